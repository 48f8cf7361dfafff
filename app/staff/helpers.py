"""Small helpers shared by the staff views: errors, lookups, form parsing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.common.forms import apply_errors as apply_errors  # the staff views' name for it
from app.extensions import db
from app.i18n import translate_error
from surveys.errors import Conflict, ValidationError
from surveys.models import Section, Survey, User


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


def section_or_404(survey: Survey, section_id: int) -> Section:
    """Return the survey's section with this id or abort with 404."""
    section = next((s for s in survey.sections if s.id == section_id), None)
    if section is None:
        abort(404)
    return section


def back_to_survey(survey_id: int, anchor: str = "") -> Response:
    """Redirect to the designer overview, optionally to an anchor."""
    url = url_for("staff.survey_detail", survey_id=survey_id)
    return redirect(url + (f"#{anchor}" if anchor else ""))


def move_and_return(survey_id: int, move: Callable[[], object], anchor: str) -> Response:
    """Run a reorder operation, commit it, and go back to the survey at ``anchor``.

    A locked survey (``Conflict``) or a refused move (``ValidationError``) is rolled back
    and shown as a message instead.
    """
    try:
        move()
    except Conflict as exc:
        return conflict_redirect(survey_id, exc)
    except ValidationError as exc:
        db.session.rollback()
        for messages in apply_errors(exc.errors).values():
            flash(" ".join(messages), "error")
        return back_to_survey(survey_id)
    db.session.commit()
    return back_to_survey(survey_id, anchor)


def conflict_redirect(survey_id: int, exc: Conflict) -> Response:
    """Roll back, show the refusal and go back to the survey."""
    db.session.rollback()
    flash(translate_error(exc.message, exc.params), "error")
    return back_to_survey(survey_id)
