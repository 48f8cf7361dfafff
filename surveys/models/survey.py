"""A questionnaire: survey, its sections, questions, answer options and matrix items."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from surveys.models.base import Base, UTCDateTime, str_enum, utcnow
from surveys.models.reference import Handlungsfeld, TargetGroup


class SurveyStatus(enum.StrEnum):
    """Lifecycle of a survey: designed as draft, open for answers, then closed."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class AccessMode(enum.StrEnum):
    """Whether answering needs a single-use access code."""

    PUBLIC = "public"
    CODE = "code"


class QuestionType(enum.StrEnum):
    """The question types the domain knows; each has a class in ``surveys.question_types``."""

    LIKERT = "likert"
    MATRIX = "matrix"
    SINGLE = "single"
    MULTI = "multi"
    RANKING = "ranking"
    TEXT = "text"
    NUMBER = "number"
    YESNO = "yesno"
    DATE = "date"
    MULTINUMBER = "multinumber"
    NUMBERMATRIX = "numbermatrix"


class QuestionRole(enum.StrEnum):
    """What a question measures, so that the analysis can pair and rank items."""

    SATISFACTION = "satisfaction"
    IMPORTANCE = "importance"
    PRIORITY = "priority"
    COMMENT = "comment"


survey_target_group = Table(
    "survey_target_group",
    Base.metadata,
    Column("survey_id", ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True),
    Column("target_group_id", ForeignKey("target_group.id"), primary_key=True),
)

question_target_group = Table(
    "question_target_group",
    Base.metadata,
    Column("question_id", ForeignKey("question.id", ondelete="CASCADE"), primary_key=True),
    Column("target_group_id", ForeignKey("target_group.id"), primary_key=True),
)


class Survey(Base):
    """A questionnaire with its metadata and lifecycle state."""

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    intro: Mapped[str] = mapped_column(Text, default="")
    intro_easy: Mapped[str] = mapped_column(Text, default="")  # Leichte Sprache
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    #: Landing page "Warum wir fragen": why this survey asks (empty: the section is left out).
    purpose: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: "Was mit Ihren Antworten passiert" (landing) and "Wie es weitergeht" (thank-you page):
    #: one step per paragraph; empty: a neutral sentence about anonymous evaluation.
    next_steps: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[SurveyStatus] = mapped_column(str_enum(SurveyStatus), default=SurveyStatus.DRAFT)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    access_mode: Mapped[AccessMode] = mapped_column(str_enum(AccessMode), default=AccessMode.PUBLIC)
    baseline_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: "Bitte zurücksenden an": the postal address printed on the paper questionnaire, one
    #: line per line of the address (empty: the sheet says to hand it in at the town hall).
    return_address: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Last day to send the paper questionnaire back, printed on it (optional).
    return_by: Mapped[date | None] = mapped_column(Date)
    #: Access codes ever generated (rows redeemed before migration 0012 were deleted).
    access_codes_issued: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    baseline: Mapped[Survey | None] = relationship(remote_side=[id])
    target_groups: Mapped[list[TargetGroup]] = relationship(
        secondary=survey_target_group, order_by=TargetGroup.position
    )
    sections: Mapped[list[Section]] = relationship(
        back_populates="survey",
        order_by="Section.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )

    def questions(self) -> list[Question]:
        """Return every question in questionnaire order."""
        return [q for s in self.sections for q in s.questions]

    def __repr__(self) -> str:
        return f"<Survey {self.slug}>"


class Section(Base):
    """A part of the questionnaire, usually bound to one Handlungsfeld.

    Online it is one page, or several when questions start a new page
    (:attr:`Question.page_break`, see :mod:`surveys.pages`); on paper it is one block.
    """

    __tablename__ = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    handlungsfeld_id: Mapped[int | None] = mapped_column(ForeignKey("handlungsfeld.id"))

    survey: Mapped[Survey] = relationship(back_populates="sections")
    handlungsfeld: Mapped[Handlungsfeld | None] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="section",
        order_by="Question.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Section {self.position} {self.title!r}>"


class Question(Base):
    """A question of one type; ``settings`` holds type-specific configuration.

    ``settings`` keys by type: likert/matrix ``scale`` (labels, low to high),
    ``dont_know`` (bool), ``dont_know_label``; multi/single ``other`` (bool),
    ``max_choices``; ranking ``rank_count``; number ``min``, ``max``, ``integer``,
    ``unit``; text ``max_length``, ``multiline``.
    ``condition``: ``{"question": key, "op": "equals|not_equals|in|answered", "value": ...}``.
    ``reversed`` marks a negatively worded scale question ("umgepolt"): agreeing is bad, so
    the analysis scores point ``p`` of ``k`` as ``k + 1 - p``; it reverses all its items.
    ``page_break`` splits a long section over several online pages; it changes neither the
    data nor the paper version.
    ``breakdown`` ("Auswertungsmerkmal") marks a single-choice question, e.g. Stadtteil, by
    whose answers the outputs can be broken down and filtered (at most
    ``surveys.designer_form.MAX_BREAKDOWNS`` per survey).
    """

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("survey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Denormalised from the section so that keys are unique per survey in the database.
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(80))
    type: Mapped[QuestionType] = mapped_column(str_enum(QuestionType))
    role: Mapped[QuestionRole | None] = mapped_column(str_enum(QuestionRole))
    text: Mapped[str] = mapped_column(Text)
    help_text: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    reversed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    breakdown: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Online, the question starts a new page of its section (ignored on the first one).
    page_break: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    condition: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    section: Mapped[Section] = relationship(back_populates="questions")
    survey: Mapped[Survey] = relationship()
    target_groups: Mapped[list[TargetGroup]] = relationship(
        secondary=question_target_group, order_by=TargetGroup.position
    )
    options: Mapped[list[Option]] = relationship(
        back_populates="question",
        order_by="Option.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )
    items: Mapped[list[Item]] = relationship(
        back_populates="question",
        order_by="Item.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )

    def shown_to(self, target_group_key: str) -> bool:
        """Return whether the question is asked of the given target group."""
        return any(tg.key == target_group_key for tg in self.target_groups)

    def __repr__(self) -> str:
        return f"<Question {self.key} {self.type}>"


class Option(Base):
    """An answer choice of a single, multiple choice or ranking question."""

    __tablename__ = "option"
    __table_args__ = (UniqueConstraint("question_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(Text)

    question: Mapped[Question] = relationship(back_populates="options")


class Item(Base):
    """A row of a matrix question; items of different questions pair by ``key``.

    ``reversed`` marks a negatively worded item (see :attr:`Question.reversed`).
    """

    __tablename__ = "item"
    __table_args__ = (UniqueConstraint("question_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    reversed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    question: Mapped[Question] = relationship(back_populates="items")


@event.listens_for(Session, "before_flush")
def _question_survey_from_section(session: Session, _context: Any, _instances: Any) -> None:
    """Fill the denormalised ``Question.survey`` from the question's section before insert."""
    for obj in session.new:
        if isinstance(obj, Question) and obj.survey_id is None and obj.section is not None:
            obj.survey = obj.section.survey


def _owning_survey(obj: Any) -> Survey | None:
    """Return the survey a questionnaire part belongs to (``None`` for other objects)."""
    if isinstance(obj, Survey):
        return obj
    if isinstance(obj, Section):
        return obj.survey
    if isinstance(obj, Question):
        return obj.survey or (obj.section.survey if obj.section is not None else None)
    if isinstance(obj, Option | Item):
        question = obj.question
        return _owning_survey(question) if question is not None else None
    return None


@event.listens_for(Session, "before_flush")
def _touch_survey_on_questionnaire_change(session: Session, _context: Any, _instances: Any) -> None:
    """Move ``Survey.updated_at`` whenever the survey or one of its parts changes.

    Parts are sections, questions, options and matrix items; changes of a relationship
    (target groups) count too, though they do not update the survey's own row.

    ``updated_at`` is then the version of the whole questionnaire: the citizen pages keep a
    loaded questionnaire per process and reload it when this timestamp moves
    (``surveys.questionnaire_cache``). Changes made with Core statements bypass this and must
    touch the survey themselves.
    """
    touched: set[Survey] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        survey = _owning_survey(obj)
        if survey is None or survey in touched or survey in session.deleted:
            continue
        touched.add(survey)
        survey.updated_at = utcnow()
