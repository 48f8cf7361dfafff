"""Small helpers shared by the staff views: errors, lookups, form parsing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import abort
from flask_login import current_user

from app.extensions import db
from app.i18n import translate_error
from surveys.errors import FieldError
from surveys.models import Survey, User


def apply_errors(errors: Iterable[FieldError]) -> dict[str, list[str]]:
    """Translate domain errors and group them by field name."""
    grouped: dict[str, list[str]] = {}
    for error in errors:
        grouped.setdefault(error.field, []).append(translate_error(error.message, error.params))
    return grouped


def get_survey_or_404(survey_id: int) -> Survey:
    """Return the survey or abort with 404."""
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        abort(404)
    return survey


def actor() -> User:
    """Return the logged-in user as a plain model object (for domain calls)."""
    user: User = current_user._get_current_object()
    return user


def parse_date(value: str | None) -> date | None:
    """Parse ``YYYY-MM-DD`` (what ``<input type=date>`` posts); ``None`` when empty or invalid."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None
