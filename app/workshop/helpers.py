"""Shared helpers of the workshop views: loading, role guard, error messages, downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from app.auth import role_required
from app.extensions import db
from app.i18n import translate_error
from app.saving import commit_and_return
from surveys.errors import Conflict, ValidationError
from surveys.models import AuditEvent, GoalAgreement, Handlungsfeld, Role, Survey
from surveys.queries import survey_by_slug
from surveys.workshop.agreements import agreement_for

#: Guard of every moderator page: moderators and staff (admins pass every check).
moderator_required = role_required(Role.MODERATOR, Role.STAFF)


def load_survey(slug: str) -> Survey:
    """Return the survey with ``slug`` or answer 404."""
    survey = survey_by_slug(db.session, slug)
    if survey is None:
        abort(404)
    return survey


def load_agreement(slug: str) -> tuple[Survey, GoalAgreement]:
    """Return the survey and its goal agreement; 404 when either is missing."""
    survey = load_survey(slug)
    agreement = agreement_for(db.session, survey)
    if agreement is None:
        abort(404)
    return survey, agreement


def load_field(key: str) -> Handlungsfeld:
    """Return the Handlungsfeld with ``key`` or answer 404."""
    field = db.session.scalar(select(Handlungsfeld).where(Handlungsfeld.key == key))
    if field is None:
        abort(404)
    return field


def actor() -> str:
    """Name of the logged-in user for the records."""
    return str(current_user.email)


def audit(action: str, survey: Survey, details: str = "") -> None:
    """Add an audit event for the logged-in user (committed with the change it records)."""
    db.session.add(
        AuditEvent(
            user_id=current_user.id,
            actor=actor(),
            action=action,
            survey_id=survey.id,
            details=details,
        )
    )


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Return ``{field: translated message}`` (first message per field)."""
    errors: dict[str, str] = {}
    for error in exc.errors:
        errors.setdefault(error.field, translate_error(error.message, error.params))
    return errors


def conflict_redirect(exc: Conflict, endpoint: str, **values: Any) -> Response:
    """Flash the translated conflict message and redirect to ``endpoint``."""
    flash(translate_error(exc.message, exc.params), "error")
    return redirect(url_for(endpoint, **values))  # type: ignore[return-value]


def save_or_errors(
    save: Callable[[], object], message: str, back: str
) -> BaseResponse | dict[str, str]:
    """Save a form with :func:`app.saving.commit_and_return`; invalid input gives field errors.

    On a ``ValidationError`` the session is rolled back and ``{field: translated message}`` is
    returned, so that the view shows the form again with what the person entered.
    """
    try:
        return commit_and_return(save, message, back)
    except ValidationError as exc:
        db.session.rollback()
        return field_errors(exc)
