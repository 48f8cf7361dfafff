"""The audit log: who created, changed, opened, closed, exported or deleted what, and when."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.i18n import N_
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
    PAPER_CHANGE = "paper.change"
    PAPER_DELETE = "paper.delete"
    CODES_GENERATE = "codes.generate"
    LIBRARY_CHANGE = "library.change"
    USER_CREATE = "user.create"
    USER_DISABLE = "user.disable"
    USER_ENABLE = "user.enable"
    USER_DELETE = "user.delete"
    USER_PASSWORD = "user.password"  # noqa: S105 - an action name
    USER_LOGIN = "user.login"
    USER_ROLE = "user.role"
    USER_SSO_LOGIN = "user.sso.login"
    USER_SSO_CREATE = "user.sso.create"
    USER_SSO_LINK = "user.sso.link"
    USER_SSO_REFUSED = "user.sso.refused"
    TWO_FACTOR_ENROL = "user.2fa.enrol"
    TWO_FACTOR_CODES = "user.2fa.codes"
    TWO_FACTOR_DISABLE = "user.2fa.disable"
    TWO_FACTOR_RESET = "user.2fa.reset"
    TWO_FACTOR_RECOVERY = "user.2fa.recovery"
    TWO_FACTOR_FAILED = "user.2fa.failed"


#: German names of the actions for the audit log page (the code stays in the database).
ACTION_LABELS: dict[str, str] = {
    Action.SURVEY_CREATE: N_("Umfrage angelegt"),
    Action.SURVEY_CHANGE: N_("Umfrage geändert"),
    Action.SURVEY_WORDING: N_("Wortlaut geändert (nach Eingang von Antworten)"),
    Action.SURVEY_OPEN: N_("Umfrage geöffnet"),
    Action.SURVEY_CLOSE: N_("Umfrage geschlossen"),
    Action.SURVEY_REOPEN: N_("Umfrage wieder geöffnet"),
    Action.RESULTS_CHANGE: N_("Auswahl der öffentlichen Ergebnisse geändert"),
    Action.RESULTS_PUBLISH: N_("Ergebnisse veröffentlicht"),
    Action.RESULTS_UNPUBLISH: N_("Ergebnisse zurückgezogen"),
    Action.SURVEY_COPY: N_("Umfrage kopiert"),
    Action.SURVEY_DELETE: N_("Umfrage gelöscht"),
    Action.SURVEY_IMPORT: N_("Fragebogen importiert"),
    Action.SURVEY_EXPORT: N_("Fragebogen exportiert"),
    Action.RESPONSES_EXPORT: N_("Antworten exportiert"),
    Action.PAPER_ENTRY: N_("Papierbogen erfasst"),
    Action.PAPER_CHANGE: N_("Papierbogen geändert"),
    Action.PAPER_DELETE: N_("Papierbogen gelöscht"),
    Action.CODES_GENERATE: N_("Zugangscodes erzeugt"),
    Action.LIBRARY_CHANGE: N_("Fragenbibliothek geändert"),
    Action.USER_CREATE: N_("Konto angelegt"),
    Action.USER_DISABLE: N_("Konto gesperrt"),
    Action.USER_ENABLE: N_("Konto entsperrt"),
    Action.USER_DELETE: N_("Konto gelöscht"),
    Action.USER_PASSWORD: N_("Passwort geändert"),
    Action.USER_LOGIN: N_("Anmeldung"),
    Action.USER_ROLE: N_("Rolle geändert"),
    Action.USER_SSO_LOGIN: N_("Anmeldung mit dem Stadtkonto"),
    Action.USER_SSO_CREATE: N_("Konto über das Stadtkonto angelegt"),
    Action.USER_SSO_LINK: N_("Konto mit dem Stadtkonto verbunden"),
    Action.USER_SSO_REFUSED: N_("Anmeldung mit dem Stadtkonto abgelehnt"),
    Action.TWO_FACTOR_ENROL: N_("Zweiter Faktor eingerichtet"),
    Action.TWO_FACTOR_CODES: N_("Neue Wiederherstellungscodes erzeugt"),
    Action.TWO_FACTOR_DISABLE: N_("Zweiter Faktor ausgeschaltet"),
    Action.TWO_FACTOR_RESET: N_("Zweiter Faktor zurückgesetzt"),
    Action.TWO_FACTOR_RECOVERY: N_("Mit Wiederherstellungscode angemeldet"),
    Action.TWO_FACTOR_FAILED: N_("Falscher Code beim zweiten Faktor"),
}


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
