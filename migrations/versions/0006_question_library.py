"""question library: reusable question definitions per Handlungsfeld

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 14:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('library_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('handlungsfeld_id', sa.Integer(), nullable=True),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['handlungsfeld_id'], ['handlungsfeld.id'], name=op.f('fk_library_question_handlungsfeld_id_handlungsfeld')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_question')),
    sa.UniqueConstraint('key', name=op.f('uq_library_question_key'))
    )
    with op.batch_alter_table('library_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_question_handlungsfeld_id'), ['handlungsfeld_id'], unique=False)


def downgrade():
    with op.batch_alter_table('library_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_question_handlungsfeld_id'))
    op.drop_table('library_question')
