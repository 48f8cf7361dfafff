"""analysis: negatively worded ("umgepolt") scale questions and items

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 08:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reversed', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reversed', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_column('reversed')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('reversed')
