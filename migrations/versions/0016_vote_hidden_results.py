"""workshop: a live vote may keep its results hidden until it ends

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 15:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('vote_session', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('hide_results', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('vote_session', schema=None) as batch_op:
        batch_op.drop_column('hide_results')
