"""Surveys by post: batches of access codes per target group and stratum, spent-code marks.

A batch records how many letters went out to which stratum (e.g. a Stadtteil) so that
response rates per batch can be computed; it never holds an address. A spent-code mark is
written when a code is redeemed instead of touching the code's own row (see
:mod:`surveys.access_codes` and ``docs/privacy.md``, "Access codes and linkage").
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.models.base import Base, str_enum
from surveys.models.reference import TargetGroup
from surveys.models.response import Channel


class CodeBatch(Base):
    """Codes made for one mailing: a target group and a stratum, and the letters sent."""

    __tablename__ = "code_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    target_group_id: Mapped[int | None] = mapped_column(ForeignKey("target_group.id"))
    #: Free text ("Düsternort") or the label of a breakdown answer; the sample stratum.
    stratum: Mapped[str] = mapped_column(String(120))
    codes_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Letters actually posted (gross sample); may be below ``codes_count`` (spare codes).
    letters_sent: Mapped[int] = mapped_column(Integer, default=0)
    #: Paper questionnaires returned for this batch without a code (counted at paper entry).
    paper_returns: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_on: Mapped[date] = mapped_column(Date)

    target_group: Mapped[TargetGroup | None] = relationship()


class SpentCode(Base):
    """A keyed mark of a redeemed access code: ``HMAC(key, code_hash)``.

    Without the application's key nobody can tell which code a mark belongs to, so the
    code rows never change while a survey runs. ``channel`` says whether the code came back
    online or on paper (the response it was written with has the same channel anyway).
    """

    __tablename__ = "spent_access_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    mark_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel), default=Channel.ONLINE)
