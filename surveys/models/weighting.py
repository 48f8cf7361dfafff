"""Population margins from the municipal statistics, to which a survey's sample is raked.

A :class:`PopulationMargin` is one "Gewichtungsmerkmal": a single-choice question of the
survey (e.g. Stadtteil) and, for the respondents of one target group, the population count
or share of each of its answer options (:class:`MarginTarget`), with its source and
reference date ("Quelle: Melderegister, Stand 31.12.2025"). An option may be excluded
explicitly (e.g. "Ich wohne nicht in Delmenhorst"): its respondents count as "fehlend" for
this margin (see ``docs/weighting.md``).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.models.base import Base, UTCDateTime, str_enum, utcnow
from surveys.models.reference import TargetGroup
from surveys.models.survey import Option, Question, Survey


class MarginKind(enum.StrEnum):
    """Whether the population figures are counts of people or shares in percent."""

    COUNT = "count"
    SHARE = "share"


class PopulationMargin(Base):
    """The population distribution of one weighting question for one target group."""

    __tablename__ = "population_margin"
    __table_args__ = (UniqueConstraint("survey_id", "target_group_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    target_group_id: Mapped[int] = mapped_column(ForeignKey("target_group.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    kind: Mapped[MarginKind] = mapped_column(str_enum(MarginKind), default=MarginKind.COUNT)
    #: Where the figures come from, e.g. "Melderegister der Stadt Delmenhorst".
    source: Mapped[str] = mapped_column(String(300))
    #: The day the figures describe ("Stand").
    reference_date: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    survey: Mapped[Survey] = relationship()
    target_group: Mapped[TargetGroup] = relationship()
    question: Mapped[Question] = relationship()
    targets: Mapped[list[MarginTarget]] = relationship(
        back_populates="margin", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<PopulationMargin survey={self.survey_id} question={self.question_id}>"


class MarginTarget(Base):
    """The population figure of one answer option (``None`` when the option is excluded)."""

    __tablename__ = "margin_target"

    margin_id: Mapped[int] = mapped_column(
        ForeignKey("population_margin.id", ondelete="CASCADE"), primary_key=True
    )
    option_id: Mapped[int] = mapped_column(
        ForeignKey("option.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[float | None] = mapped_column(Float)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)

    margin: Mapped[PopulationMargin] = relationship(back_populates="targets")
    option: Mapped[Option] = relationship()
