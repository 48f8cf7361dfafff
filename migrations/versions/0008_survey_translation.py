"""survey translations: texts of a survey per language and text path

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 15:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('path', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_translation_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_translation')),
    sa.UniqueConstraint('survey_id', 'language', 'path', name=op.f('uq_survey_translation_survey_id'))
    )
    with op.batch_alter_table('survey_translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_translation_survey_id'), ['survey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_translation_survey_id'))

    op.drop_table('survey_translation')
