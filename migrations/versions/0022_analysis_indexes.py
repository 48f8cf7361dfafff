"""analysis: answers indexed by question, then respondent

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 03:00:00

The analysis reads one question's answers per respondent: the breakdown answers of every
response (Stadtteil, age group) for the disclosure guard's atoms, the respondents of multiple
choice and ranking questions, the rows of conditional questions. ``(question_id,
response_id, option_id)`` answers each lookup from the index alone; without it PostgreSQL
intersects two bitmap scans per response (the demo's atoms: 0.5 s instead of 0.01 s).
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_answer_question_response", ["question_id", "response_id", "option_id"]
        )


def downgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index("ix_answer_question_response")
