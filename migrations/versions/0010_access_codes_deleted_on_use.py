"""access codes: a redeemed code's row is deleted, the survey counts codes issued

Marking a code used wrote its row in the transaction that stored the response, so on
PostgreSQL both rows carried the same ``xmin`` and the code (known to whoever handed it out)
pointed at its response. Used codes are now deleted, and the number ever issued is kept on
the survey for the "n of m codes used" figure.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('access_codes_issued', sa.Integer(), server_default='0', nullable=False)
        )
    op.execute(
        "UPDATE survey SET access_codes_issued = "
        "(SELECT count(*) FROM access_code WHERE access_code.survey_id = survey.id)"
    )
    op.execute("DELETE FROM access_code WHERE used")
    with op.batch_alter_table('access_code', schema=None) as batch_op:
        batch_op.drop_column('used')


def downgrade():
    # Deleted codes cannot come back; the remaining ones are unused.
    with op.batch_alter_table('access_code', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('used', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('access_codes_issued')
