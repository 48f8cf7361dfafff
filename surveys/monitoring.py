"""Response counts while a survey runs: per target group, channel and week (counts only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from surveys.db import SessionLike
from surveys.models import Channel, Response, Survey, TargetGroup


@dataclass(frozen=True)
class CountTable:
    """Counts by (row label, column key); rows are weeks (Monday) or target groups."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], int]

    def total(self, column: str) -> int:
        """Sum of one column."""
        return sum(v for (_, c), v in self.cells.items() if c == column)


def counts_by_group_and_channel(session: SessionLike, survey: Survey) -> CountTable:
    """Return response counts per target group (rows) and channel (columns)."""
    result = session.execute(
        select(TargetGroup.label, Response.channel, func.count(Response.id))
        .join(TargetGroup, TargetGroup.id == Response.target_group_id)
        .where(Response.survey_id == survey.id)
        .group_by(TargetGroup.label, TargetGroup.position, Response.channel)
        .order_by(TargetGroup.position)
    ).all()
    rows: list[str] = [g.label for g in survey.target_groups]
    cells: dict[tuple[str, str], int] = {}
    for label, channel, count in result:
        if label not in rows:
            rows.append(label)
        cells[(label, Channel(channel).value)] = int(count)
    return CountTable(rows, [c.value for c in Channel], cells)


def counts_by_week(session: SessionLike, survey: Survey) -> CountTable:
    """Return response counts per calendar week (Monday) and channel."""
    result = session.execute(
        select(Response.submitted_on, Response.channel, func.count(Response.id))
        .where(Response.survey_id == survey.id)
        .group_by(Response.submitted_on, Response.channel)
    ).all()
    cells: dict[tuple[str, str], int] = {}
    for day, channel, count in result:
        monday: date = day - timedelta(days=day.weekday())
        key = (monday.isoformat(), Channel(channel).value)
        cells[key] = cells.get(key, 0) + int(count)
    rows = sorted({week for week, _ in cells})
    return CountTable(rows, [c.value for c in Channel], cells)
