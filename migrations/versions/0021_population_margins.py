"""weighting: population margins from the municipal statistics

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 01:30:00

One ``population_margin`` per survey, target group and weighting question (a single-choice
question, e.g. Stadtteil), with its source and reference date; one ``margin_target`` per
answer option with the population count or share, or marked as excluded.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "population_margin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("target_group_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("count", "share", name="marginkind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("reference_date", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_population_margin_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_population_margin_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_group_id"],
            ["target_group.id"],
            name=op.f("fk_population_margin_target_group_id_target_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_population_margin")),
        sa.UniqueConstraint(
            "survey_id",
            "target_group_id",
            "question_id",
            name=op.f("uq_population_margin_survey_id"),
        ),
    )
    with op.batch_alter_table("population_margin", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_population_margin_survey_id"), ["survey_id"], unique=False
        )

    op.create_table(
        "margin_target",
        sa.Column("margin_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["margin_id"],
            ["population_margin.id"],
            name=op.f("fk_margin_target_margin_id_population_margin"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["option.id"],
            name=op.f("fk_margin_target_option_id_option"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("margin_id", "option_id", name=op.f("pk_margin_target")),
    )


def downgrade():
    op.drop_table("margin_target")
    with op.batch_alter_table("population_margin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_population_margin_survey_id"))
    op.drop_table("population_margin")
