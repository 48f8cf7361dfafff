"""Write operations of the survey domain; they flush but never commit (the caller does)."""

from __future__ import annotations

from sqlalchemy import func, select

from surveys.db import SessionLike
from surveys.errors import Conflict
from surveys.i18n import N_
from surveys.models import (
    HANDLUNGSFELDER,
    TARGET_GROUPS,
    Handlungsfeld,
    Response,
    Survey,
    TargetGroup,
)


def ensure_reference_data(session: SessionLike) -> None:
    """Insert the six Handlungsfelder and the built-in target groups where missing."""
    fields = {h.key: h for h in session.scalars(select(Handlungsfeld))}
    for key, number, title in HANDLUNGSFELDER:
        if key not in fields:
            session.add(Handlungsfeld(key=key, number=number, title=title))
    groups = {g.key for g in session.scalars(select(TargetGroup))}
    for key, position, label, respondent_label in TARGET_GROUPS:
        if key not in groups:
            session.add(
                TargetGroup(
                    key=key,
                    position=position,
                    label=label,
                    respondent_label=respondent_label,
                    builtin=True,
                )
            )
    session.flush()


def response_count(session: SessionLike, survey: Survey) -> int:
    """Return how many responses the survey has."""
    return (
        session.scalar(select(func.count(Response.id)).where(Response.survey_id == survey.id)) or 0
    )


def delete_survey(session: SessionLike, survey: Survey) -> None:
    """Delete a survey that has no responses; refuse otherwise (responses are never lost)."""
    if response_count(session, survey):
        raise Conflict(
            N_(
                "Die Umfrage „%(title)s“ hat bereits Antworten und kann nicht "
                "gelöscht werden. Schließen Sie sie stattdessen."
            ),
            title=survey.title,
        )
    session.delete(survey)
    session.flush()
