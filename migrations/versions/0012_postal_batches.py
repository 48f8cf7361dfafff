"""postal surveys: code batches per target group and stratum, keyed spent-code marks

Codes are made in batches (one mailing per target group and stratum, with the letters sent)
so that response rates per batch can be computed. Redeeming a code no longer touches its row:
a keyed mark goes into ``spent_access_code``, so a live observer of the database cannot see
which code went with which response (docs/privacy.md, "Access codes and linkage").

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 08:33:23

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('code_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('target_group_id', sa.Integer(), nullable=True),
    sa.Column('stratum', sa.String(length=120), nullable=False),
    sa.Column('codes_count', sa.Integer(), nullable=False),
    sa.Column('letters_sent', sa.Integer(), nullable=False),
    sa.Column('paper_returns', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_code_batch_survey_id_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_group_id'], ['target_group.id'], name=op.f('fk_code_batch_target_group_id_target_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_batch'))
    )
    with op.batch_alter_table('code_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_code_batch_survey_id'), ['survey_id'], unique=False)

    op.create_table('spent_access_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('mark_hash', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.Enum('online', 'paper', name='channel', native_enum=False, length=20), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_spent_access_code_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spent_access_code')),
    sa.UniqueConstraint('mark_hash', name=op.f('uq_spent_access_code_mark_hash'))
    )
    with op.batch_alter_table('spent_access_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spent_access_code_survey_id'), ['survey_id'], unique=False)

    with op.batch_alter_table('access_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_access_code_batch_id'), ['batch_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_access_code_batch_id_code_batch'), 'code_batch', ['batch_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('access_code', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_access_code_batch_id_code_batch'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_access_code_batch_id'))
        batch_op.drop_column('batch_id')

    with op.batch_alter_table('spent_access_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spent_access_code_survey_id'))

    op.drop_table('spent_access_code')
    with op.batch_alter_table('code_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_batch_survey_id'))

    op.drop_table('code_batch')
