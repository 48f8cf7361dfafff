"""Publication of a closed survey's results: what the public results page and open data show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.models.base import Base, UTCDateTime, utcnow
from surveys.models.survey import Survey

#: Default licence of the open data (key of :data:`surveys.publication.LICENCES`).
DEFAULT_LICENCE = "dl-de/by-2-0"


class ResultPublication(Base):
    """Staff's choice of what is public about one survey, and whether it is published.

    ``charts`` lists the Handlungsfeld keys whose chart is shown, ``breakdowns`` the breakdown
    questions whose table is shown; ``comments`` the keys of the
    individually selected comments (see :func:`surveys.publication.comment_key`), never ids
    that would lead back to a response.
    """

    __tablename__ = "result_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), unique=True)
    show_summary: Mapped[bool] = mapped_column(Boolean, default=True)
    charts: Mapped[list[str]] = mapped_column(JSON, default=list)
    comments: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Keys of the breakdown questions (e.g. ``stadtteil``) whose index table is public.
    breakdowns: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    licence: Mapped[str] = mapped_column(String(40), default=DEFAULT_LICENCE)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey: Mapped[Survey] = relationship()
