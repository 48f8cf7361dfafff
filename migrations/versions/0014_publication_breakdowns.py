"""results: staff choose which breakdown tables (e.g. index per Stadtteil) are public

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 14:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('result_publication', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('breakdowns', sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('result_publication', schema=None) as batch_op:
        batch_op.drop_column('breakdowns')
