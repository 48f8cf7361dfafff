"""The question library: reusable question definitions per Handlungsfeld."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.models.base import Base, UTCDateTime, utcnow
from surveys.models.reference import Handlungsfeld


class LibraryQuestion(Base):
    """A question definition (the JSON of :func:`surveys.exchange.json_format.question_to_dict`)."""

    __tablename__ = "library_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    type: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    handlungsfeld_id: Mapped[int | None] = mapped_column(ForeignKey("handlungsfeld.id"), index=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    handlungsfeld: Mapped[Handlungsfeld | None] = relationship()

    def __repr__(self) -> str:
        return f"<LibraryQuestion {self.key}>"
