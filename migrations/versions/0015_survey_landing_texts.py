"""survey: landing texts of its own ("Warum wir fragen", "Was mit Ihren Antworten passiert")

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 14:45:00

Before, every survey showed the Delmenhorst audit's fixed text. Existing surveys keep an
empty text (the landing page then leaves "Warum wir fragen" out and says neutrally what
happens with the answers); the demo seeds the audit text as its content.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('next_steps', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('next_steps')
        batch_op.drop_column('purpose')
