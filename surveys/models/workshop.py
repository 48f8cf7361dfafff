"""Zielvereinbarung: goal agreements, their versions, goals, measures, status history, votes.

A goal agreement belongs to one survey (audit period). Its content lives in versions: one draft
that moderators edit, frozen versions with the council's resolution date and paper number.
Goals belong to a version and a Handlungsfeld; measures to a goal. Status updates track a
measure over the three years. Prioritisation votes store only the points of an anonymous
vote set and a hash of a random device token, never anything about the device or person.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.models.accounts import User
from surveys.models.base import Base, UTCDateTime, str_enum, utcnow
from surveys.models.reference import Handlungsfeld
from surveys.models.survey import Survey


class VersionState(enum.StrEnum):
    """A version is edited as a draft and frozen once the council has passed it."""

    DRAFT = "draft"
    FROZEN = "frozen"


class Priority(enum.StrEnum):
    """Priority the workshop gave a measure."""

    HIGH = "hoch"
    MEDIUM = "mittel"
    LOW = "niedrig"


class MeasureStatus(enum.StrEnum):
    """Implementation status of a measure."""

    PLANNED = "geplant"
    STARTED = "begonnen"
    DONE = "umgesetzt"
    POSTPONED = "zurückgestellt"
    DROPPED = "nicht umgesetzt"


class FindingKind(enum.StrEnum):
    """What kind of survey finding motivated a measure."""

    ITEM = "item"
    COMMENT = "comment"


class VoteState(enum.StrEnum):
    """A prioritisation session takes votes while open."""

    OPEN = "open"
    CLOSED = "closed"


class GoalAgreement(Base):
    """The Zielvereinbarung of one audit period, based on one survey."""

    __tablename__ = "goal_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey: Mapped[Survey] = relationship()
    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement",
        order_by="AgreementVersion.number",
        cascade="all, delete-orphan",
    )

    @property
    def current(self) -> AgreementVersion:
        """The newest version (a draft, or the latest frozen one)."""
        return self.versions[-1]


class AgreementVersion(Base):
    """One version of a goal agreement; frozen versions are what the council passed."""

    __tablename__ = "agreement_version"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("goal_agreement.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[VersionState] = mapped_column(str_enum(VersionState), default=VersionState.DRAFT)
    resolution_date: Mapped[date | None] = mapped_column(Date)
    paper_number: Mapped[str | None] = mapped_column(String(60))
    change_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    frozen_by: Mapped[str | None] = mapped_column(String(254))

    agreement: Mapped[GoalAgreement] = relationship(back_populates="versions")
    goals: Mapped[list[Goal]] = relationship(
        back_populates="version",
        order_by="(Goal.handlungsfeld_id, Goal.position)",
        cascade="all, delete-orphan",
    )

    @property
    def is_frozen(self) -> bool:
        """Whether the version can no longer be edited."""
        return self.state == VersionState.FROZEN


class Goal(Base):
    """A goal (Ziel) in one Handlungsfeld."""

    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_version.id", ondelete="CASCADE"), index=True
    )
    handlungsfeld_id: Mapped[int] = mapped_column(ForeignKey("handlungsfeld.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[AgreementVersion] = relationship(back_populates="goals")
    handlungsfeld: Mapped[Handlungsfeld] = relationship()
    measures: Mapped[list[Measure]] = relationship(
        back_populates="goal", order_by="Measure.position", cascade="all, delete-orphan"
    )


class Measure(Base):
    """A measure (Maßnahme) that serves a goal; ``code`` is stable across versions."""

    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    responsible_unit: Mapped[str] = mapped_column(String(300), default="")
    partners: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    indicator: Mapped[str] = mapped_column(Text, default="")
    target_value: Mapped[str] = mapped_column(String(300), default="")
    estimated_cost: Mapped[int | None] = mapped_column(Integer)  # whole euros
    priority: Mapped[Priority] = mapped_column(str_enum(Priority), default=Priority.MEDIUM)

    goal: Mapped[Goal] = relationship(back_populates="measures")
    findings: Mapped[list[MeasureFinding]] = relationship(
        back_populates="measure", order_by="MeasureFinding.id", cascade="all, delete-orphan"
    )
    updates: Mapped[list[StatusUpdate]] = relationship(
        back_populates="measure",
        order_by="(StatusUpdate.recorded_on, StatusUpdate.id)",
        cascade="all, delete-orphan",
    )

    @property
    def status(self) -> MeasureStatus:
        """The status of the newest update (``geplant`` before any update)."""
        return self.updates[-1].status if self.updates else MeasureStatus.PLANNED


class MeasureFinding(Base):
    """A survey finding that motivated a measure: a question/item key or a comment."""

    __tablename__ = "measure_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[FindingKind] = mapped_column(str_enum(FindingKind))
    question_key: Mapped[str] = mapped_column(String(80))
    item_key: Mapped[str | None] = mapped_column(String(80))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id", ondelete="SET NULL"))

    measure: Mapped[Measure] = relationship(back_populates="findings")

    @property
    def label(self) -> str:
        """Short reference such as ``kita_zufriedenheit/oeffnungszeiten`` or
        ``bildung_kommentar (Kommentar)``; never the answer id, which is sequential and would
        tie comments of one person together in the published annex."""
        if self.kind == FindingKind.COMMENT:
            return f"{self.question_key} (Kommentar)"
        return f"{self.question_key}/{self.item_key}" if self.item_key else self.question_key


class StatusUpdate(Base):
    """A dated status of a measure with a note and an indicator value."""

    __tablename__ = "measure_status_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    recorded_on: Mapped[date] = mapped_column(Date)
    status: Mapped[MeasureStatus] = mapped_column(str_enum(MeasureStatus))
    note: Mapped[str] = mapped_column(Text, default="")
    indicator_value: Mapped[str] = mapped_column(String(200), default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[str] = mapped_column(String(254), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    measure: Mapped[Measure] = relationship(back_populates="updates")
    user: Mapped[User | None] = relationship()


vote_session_measure = Table(
    "vote_session_measure",
    Base.metadata,
    Column("vote_session_id", ForeignKey("vote_session.id", ondelete="CASCADE"), primary_key=True),
    Column("measure_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
)


class VoteSession(Base):
    """A live prioritisation of one field's proposed measures, reachable at ``/v/<code>``."""

    __tablename__ = "vote_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_version.id", ondelete="CASCADE"), index=True
    )
    handlungsfeld_id: Mapped[int] = mapped_column(ForeignKey("handlungsfeld.id"))
    code: Mapped[str] = mapped_column(String(12), unique=True)
    budget: Mapped[int] = mapped_column(Integer)
    state: Mapped[VoteState] = mapped_column(str_enum(VoteState), default=VoteState.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Show the results only once the vote has ended (no bandwagon while people vote).
    hide_results: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    version: Mapped[AgreementVersion] = relationship()
    handlungsfeld: Mapped[Handlungsfeld] = relationship()
    measures: Mapped[list[Measure]] = relationship(
        secondary=vote_session_measure, order_by="(Measure.goal_id, Measure.position)"
    )
    vote_sets: Mapped[list[VoteSet]] = relationship(
        back_populates="vote_session", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        """Whether participants can still vote."""
        return self.state == VoteState.OPEN

    @property
    def results_shown(self) -> bool:
        """Whether the screen may show the points now (always once the vote has ended)."""
        return not (self.hide_results and self.is_open)


class VoteSet(Base):
    """The points one device distributed; only a hash of its random token is kept."""

    __tablename__ = "vote_set"
    __table_args__ = (UniqueConstraint("vote_session_id", "token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_session_id: Mapped[int] = mapped_column(
        ForeignKey("vote_session.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64))

    vote_session: Mapped[VoteSession] = relationship(back_populates="vote_sets")
    votes: Mapped[list[Vote]] = relationship(
        back_populates="vote_set", cascade="all, delete-orphan"
    )


class Vote(Base):
    """Points of one vote set for one measure."""

    __tablename__ = "vote"
    __table_args__ = (UniqueConstraint("vote_set_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_set_id: Mapped[int] = mapped_column(
        ForeignKey("vote_set.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    points: Mapped[int] = mapped_column(Integer)

    vote_set: Mapped[VoteSet] = relationship(back_populates="votes")
