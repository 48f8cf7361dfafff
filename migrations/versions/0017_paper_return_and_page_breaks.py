"""survey: return address and deadline of the paper sheet; question: page break

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 18:30:00

The paper questionnaire prints where to send it back (and by when), set per survey. A long
section (16-19 questions, some 6,000 px on a phone) can be split over several online pages:
a question may start a new page. Existing surveys keep one page per section and no address.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('return_address', sa.Text(), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('return_by', sa.Date(), nullable=True))
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('page_break', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('page_break')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('return_by')
        batch_op.drop_column('return_address')
