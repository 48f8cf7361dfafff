"""Aggregate snapshots kept when raw responses of a closed survey are purged."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from surveys.models.base import Base


class AggregateSnapshot(Base):
    """Counts and means per question, item, option and target group at the time of a purge.

    Cells with fewer than ``min_cell`` responses are not stored, so the snapshot can be
    shown as a report without further suppression.
    """

    __tablename__ = "aggregate_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    created_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(20))
    min_cell: Mapped[int] = mapped_column(Integer)
    responses: Mapped[int] = mapped_column(Integer)
    cells: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
