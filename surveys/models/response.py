"""Anonymous responses and their answers, drafts, access codes and submission receipts.

Nothing here links a response to a person: no IP address, user agent, timestamp
finer than a day, access code or resume code is stored with a response.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.models.base import Base, UTCDateTime, str_enum
from surveys.models.reference import TargetGroup


class Channel(enum.StrEnum):
    """How a response reached us."""

    ONLINE = "online"
    PAPER = "paper"


class Response(Base):
    """One submitted questionnaire; anonymous by construction."""

    __tablename__ = "response"
    __table_args__ = (Index("ix_response_survey_group", "survey_id", "target_group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="RESTRICT"))
    target_group_id: Mapped[int] = mapped_column(ForeignKey("target_group.id"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel), default=Channel.ONLINE)
    language: Mapped[str] = mapped_column(String(10), default="de")
    submitted_on: Mapped[date] = mapped_column(Date)  # day precision on purpose

    target_group: Mapped[TargetGroup] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(Base):
    """One value of a response, in long format for analysis.

    ``item_id`` is set for matrix rows, ``option_id`` for choice and ranking answers,
    ``num`` holds scale points, numbers, ranks and yes/no (1/0), ``text`` free text
    and "Sonstiges" texts; ``dont_know`` marks "weiß nicht / keine Angabe".
    """

    __tablename__ = "answer"
    __table_args__ = (
        # The count tables group by these columns in this order, so the database reads the
        # index in order instead of sorting (migration 0023; its prefix serves lookups by
        # question and item, as the former (question_id, item_id) index did).
        Index(
            "ix_answer_cells",
            "question_id",
            "item_id",
            "option_id",
            "num",
            "dont_know",
            "response_id",
        ),
        # One question's answers per respondent, from the index alone (migration 0022).
        Index("ix_answer_question_response", "question_id", "response_id", "option_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="RESTRICT"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id", ondelete="RESTRICT"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("option.id", ondelete="RESTRICT"))
    num: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    dont_know: Mapped[bool] = mapped_column(Boolean, default=False)

    response: Mapped[Response] = relationship(back_populates="answers")


class SubmissionReceipt(Base):
    """Proof that a one-time submission id was used, so a repeated POST stores nothing twice.

    Holds only a hash of the random id; deliberately not linked to the response.
    """

    __tablename__ = "submission_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    received_on: Mapped[date] = mapped_column(Date)


class Draft(Base):
    """A partly answered questionnaire saved under a resume code (stored only as a hash)."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    target_group_id: Mapped[int | None] = mapped_column(ForeignKey("target_group.id"))
    language: Mapped[str] = mapped_column(String(10), default="de")
    step: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AccessCode(Base):
    """A single-use code for surveys in ``code`` access mode; never linked to a response.

    The row is written once, when the code is made, and never again while the survey runs:
    redeeming a code adds a keyed mark (:class:`surveys.models.postal.SpentCode`) instead.
    Marking or deleting the row in the submit transaction would give it the response's
    ``xmin`` (or ``xmax``), and a live observer would see which code went with which
    response. ``batch_id`` is the mailing the code was printed for (never a person).
    """

    __tablename__ = "access_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("code_batch.id", ondelete="CASCADE"), index=True
    )
