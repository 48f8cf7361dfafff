"""The audit log: who created, changed, opened, closed, exported or deleted what, and when."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.models import AuditEvent, Survey, User, utcnow


class Action(enum.StrEnum):
    """Kinds of audited staff actions."""

    SURVEY_CREATE = "survey.create"
    SURVEY_CHANGE = "survey.change"
    SURVEY_WORDING = "survey.wording"
    SURVEY_OPEN = "survey.open"
    SURVEY_CLOSE = "survey.close"
    SURVEY_REOPEN = "survey.reopen"
    RESULTS_CHANGE = "results.change"
    RESULTS_PUBLISH = "results.publish"
    RESULTS_UNPUBLISH = "results.unpublish"
    SURVEY_COPY = "survey.copy"
    SURVEY_DELETE = "survey.delete"
    SURVEY_IMPORT = "survey.import"
    SURVEY_EXPORT = "survey.export"
    RESPONSES_EXPORT = "responses.export"
    PAPER_ENTRY = "responses.paper"
    CODES_GENERATE = "codes.generate"
    LIBRARY_CHANGE = "library.change"
    USER_CREATE = "user.create"
    USER_DISABLE = "user.disable"
    USER_ENABLE = "user.enable"
    USER_DELETE = "user.delete"
    USER_PASSWORD = "user.password"  # noqa: S105 - an action name
    USER_LOGIN = "user.login"


def record(
    session: SessionLike,
    actor: User | None,
    action: Action,
    *,
    survey: Survey | None = None,
    details: str = "",
) -> AuditEvent:
    """Add one audit event (flush, no commit); ``actor`` None means the command line."""
    event = AuditEvent(
        user_id=actor.id if actor else None,
        actor=actor.email if actor else "Kommandozeile",
        action=str(action),
        survey_id=survey.id if survey else None,
        details=details[:2000],
        created_at=utcnow(),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class AuditFilter:
    """Filter of the audit log page; empty values do not filter."""

    actor: str = ""
    action: str = ""
    survey_id: int | None = None
    since: date | None = None
    until: date | None = None


def events(session: SessionLike, filt: AuditFilter, limit: int = 500) -> Sequence[AuditEvent]:
    """Return the newest events matching ``filt`` (at most ``limit``)."""
    stmt = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if filt.actor:
        stmt = stmt.where(AuditEvent.actor.contains(filt.actor.strip(), autoescape=True))
    if filt.action:
        stmt = stmt.where(AuditEvent.action.startswith(filt.action, autoescape=True))
    if filt.survey_id is not None:
        stmt = stmt.where(AuditEvent.survey_id == filt.survey_id)
    if filt.since:
        stmt = stmt.where(AuditEvent.created_at >= datetime.combine(filt.since, time(), UTC))
    if filt.until:
        end = datetime.combine(filt.until + timedelta(days=1), time(), UTC)
        stmt = stmt.where(AuditEvent.created_at < end)
    return session.scalars(stmt.limit(limit)).all()
