"""Read operations of the survey domain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import selectinload

from surveys.db import SessionLike
from surveys.models import (
    Handlungsfeld,
    Question,
    Response,
    Section,
    Survey,
    SurveyStatus,
    TargetGroup,
)


def survey_by_slug(session: SessionLike, slug: str) -> Survey | None:
    """Return the survey with this slug, or ``None``."""
    return session.scalar(select(Survey).where(Survey.slug == slug))


def survey_for_answering(session: SessionLike, slug: str) -> Survey | None:
    """Return the survey with its whole questionnaire loaded in a few queries, or ``None``.

    The citizen pages walk every section, question, option, item and target group; loading
    them lazily cost about 20 queries per request (see ``bench/load.py``).
    """
    questions = selectinload(Survey.sections).selectinload(Section.questions)
    return session.scalar(
        select(Survey)
        .where(Survey.slug == slug)
        .options(
            selectinload(Survey.target_groups),
            questions.selectinload(Question.options),
            questions.selectinload(Question.items),
            questions.selectinload(Question.target_groups),
            selectinload(Survey.sections).selectinload(Section.handlungsfeld),
        )
    )


def data_version(session: SessionLike | Connection, survey_id: int | None) -> tuple[Any, ...]:
    """Return a value that changes whenever the survey's stored data may have changed.

    It combines the survey's ``updated_at`` (moved by questionnaire changes and by the
    retention purges, which delete free text without changing the number of responses) with
    the number and the highest id of its responses. Caches of analyses key on it, so that no
    process keeps showing texts that were purged in another one.
    """
    if survey_id is None:
        return ()
    row = session.execute(
        select(Survey.updated_at, func.count(Response.id), func.max(Response.id))
        .select_from(Survey)
        .outerjoin(Response, Response.survey_id == Survey.id)
        .where(Survey.id == survey_id)
        .group_by(Survey.id, Survey.updated_at)
    ).one_or_none()
    return tuple(row) if row is not None else ()


def open_surveys(session: SessionLike, today: date) -> Sequence[Survey]:
    """Return the surveys that take answers today, newest first."""
    stmt = (
        select(Survey)
        .where(Survey.status == SurveyStatus.OPEN)
        .where(or_(Survey.opens_on.is_(None), Survey.opens_on <= today))
        .where(or_(Survey.closes_on.is_(None), Survey.closes_on >= today))
        .order_by(Survey.created_at.desc())
    )
    return session.scalars(stmt).all()


def handlungsfelder(session: SessionLike) -> Sequence[Handlungsfeld]:
    """Return the six Handlungsfelder in their order."""
    return session.scalars(select(Handlungsfeld).order_by(Handlungsfeld.number)).all()


def target_groups(session: SessionLike) -> Sequence[TargetGroup]:
    """Return all target groups in their order."""
    return session.scalars(select(TargetGroup).order_by(TargetGroup.position)).all()


def target_group_by_key(session: SessionLike, key: str) -> TargetGroup | None:
    """Return the target group with this key, or ``None``."""
    return session.scalar(select(TargetGroup).where(TargetGroup.key == key))


def response_count(session: SessionLike, survey: Survey) -> int:
    """Return how many responses the survey has."""
    return (
        session.scalar(select(func.count(Response.id)).where(Response.survey_id == survey.id)) or 0
    )
