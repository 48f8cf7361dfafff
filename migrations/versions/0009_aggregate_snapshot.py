"""retention: aggregate snapshots kept when responses are purged

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 16:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('aggregate_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('min_cell', sa.Integer(), nullable=False),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.Column('cells', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_aggregate_snapshot_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aggregate_snapshot'))
    )
    with op.batch_alter_table('aggregate_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aggregate_snapshot_survey_id'), ['survey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('aggregate_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aggregate_snapshot_survey_id'))
    op.drop_table('aggregate_snapshot')
