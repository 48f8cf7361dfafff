"""Retention: delete expired drafts and, after the audit, raw data of a closed survey.

Raw free text and whole responses are deleted only for a *closed* survey. Before responses
go, an :class:`~surveys.models.AggregateSnapshot` keeps counts and means per question, item,
option and target group (cells below ``min_cell`` responses are left out), so the survey's
reports stay available. All functions flush and never commit; time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, delete, func, select, update

from surveys.db import SessionLike
from surveys.drafts import purge_expired
from surveys.errors import ValidationError
from surveys.i18n import N_
from surveys.models import AggregateSnapshot, Answer, Response, Survey, SurveyStatus, TargetGroup
from surveys.models.base import utcnow


@dataclass(frozen=True)
class PurgeResult:
    """What a purge removed."""

    drafts: int = 0
    texts: int = 0
    responses: int = 0
    snapshot_id: int | None = None


def purge_drafts(session: SessionLike, now: datetime) -> PurgeResult:
    """Delete every draft that expired before ``now``."""
    return PurgeResult(drafts=purge_expired(session, now))


def _require_closed(survey: Survey) -> None:
    if survey.status != SurveyStatus.CLOSED:
        raise ValidationError.single(
            "survey", N_("Nur bei einer geschlossenen Umfrage können Rohdaten gelöscht werden.")
        )


def aggregate_cells(session: SessionLike, survey: Survey, min_cell: int) -> list[dict[str, object]]:
    """Return counts and means per question × item × option × target group (n ≥ ``min_cell``).

    ``n`` counts distinct responses, so a cell never describes fewer than ``min_cell`` people.
    """
    n = func.count(func.distinct(Answer.response_id))
    rows = session.execute(
        select(
            Answer.question_id,
            Answer.item_id,
            Answer.option_id,
            TargetGroup.key,
            n.label("n"),
            func.avg(Answer.num).label("mean"),
            func.sum(case((Answer.dont_know.is_(True), 1), else_=0)).label("dont_know"),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(TargetGroup, TargetGroup.id == Response.target_group_id)
        .where(Response.survey_id == survey.id)
        .group_by(Answer.question_id, Answer.item_id, Answer.option_id, TargetGroup.key)
        .having(n >= min_cell)
        .order_by(Answer.question_id, Answer.item_id, Answer.option_id, TargetGroup.key)
    ).all()
    return [
        {
            "question_id": r.question_id,
            "item_id": r.item_id,
            "option_id": r.option_id,
            "group": r.key,
            "n": int(r.n),
            "mean": None if r.mean is None else round(float(r.mean), 4),
            "dont_know": int(r.dont_know or 0),
        }
        for r in rows
    ]


def take_snapshot(
    session: SessionLike, survey: Survey, *, today: date, min_cell: int, reason: str
) -> AggregateSnapshot:
    """Store the aggregate snapshot of ``survey`` (flush)."""
    total = session.scalar(select(func.count(Response.id)).where(Response.survey_id == survey.id))
    snapshot = AggregateSnapshot(
        survey_id=survey.id,
        created_on=today,
        reason=reason,
        min_cell=min_cell,
        responses=int(total or 0),
        cells=aggregate_cells(session, survey, min_cell),
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def purge_free_text(session: SessionLike, survey: Survey) -> PurgeResult:
    """Remove every free text (text answers and "Sonstiges" texts) of a closed survey.

    Answers that held only text are deleted; other answers keep their numbers and options.
    """
    _require_closed(survey)
    ids = select(Response.id).where(Response.survey_id == survey.id)
    only_text = (
        Answer.response_id.in_(ids)
        & Answer.text.is_not(None)
        & Answer.num.is_(None)
        & Answer.option_id.is_(None)
        & Answer.dont_know.is_(False)
    )
    removed = session.execute(
        delete(Answer).where(only_text).execution_options(synchronize_session=False)
    )
    cleared = session.execute(
        update(Answer)
        .where(Answer.response_id.in_(ids), Answer.text.is_not(None))
        .values(text=None)
        .execution_options(synchronize_session=False)
    )
    survey.updated_at = utcnow()  # tells every process's analysis cache (data_version)
    session.flush()
    count = int(getattr(removed, "rowcount", 0) or 0) + int(getattr(cleared, "rowcount", 0) or 0)
    return PurgeResult(texts=count)


def purge_responses(
    session: SessionLike, survey: Survey, *, today: date, min_cell: int
) -> PurgeResult:
    """Snapshot the aggregates, then delete every response of a closed survey with its answers."""
    _require_closed(survey)
    snapshot = take_snapshot(session, survey, today=today, min_cell=min_cell, reason="responses")
    ids = select(Response.id).where(Response.survey_id == survey.id)
    session.execute(
        delete(Answer)
        .where(Answer.response_id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    result = session.execute(
        delete(Response)
        .where(Response.survey_id == survey.id)
        .execution_options(synchronize_session=False)
    )
    survey.updated_at = utcnow()
    session.flush()
    return PurgeResult(responses=int(getattr(result, "rowcount", 0) or 0), snapshot_id=snapshot.id)
