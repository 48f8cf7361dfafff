"""The question library: browse per Handlungsfeld, add questions, insert them into a survey."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth import role_required
from app.extensions import db
from app.i18n import translate_error
from app.staff import bp
from app.staff.helpers import actor, apply_errors, get_survey_or_404
from surveys.errors import Conflict, ValidationError
from surveys.library import add_to_library, delete_entry, insert_into_section, library_questions
from surveys.models import LibraryQuestion, Question, Role, Section, Survey, SurveyStatus
from surveys.queries import handlungsfelder
from surveys.question_types import REGISTRY


def _target_section() -> Section | None:
    """The section a question is to be inserted into (``?section_id=``), if any."""
    raw = request.values.get("section_id", "")
    return db.session.get(Section, int(raw)) if raw.isdigit() else None


@bp.get("/bibliothek")
@role_required(Role.STAFF)
def library() -> str:
    """Browse the library per Handlungsfeld; with a section chosen, offer "insert"."""
    field_key = request.args.get("feld", "")
    section = _target_section()
    drafts = db.session.scalars(
        select(Survey).where(Survey.status == SurveyStatus.DRAFT).order_by(Survey.title)
    ).all()
    return render_template(
        "staff/library.html",
        entries=library_questions(db.session, field_key),
        fields=handlungsfelder(db.session),
        field_key=field_key,
        section=section,
        drafts=drafts,
        types=REGISTRY,
    )


@bp.post("/bibliothek/<int:entry_id>/einfuegen")
@role_required(Role.STAFF)
def library_insert(entry_id: int) -> Response:
    """Insert a library question at the end of the chosen section."""
    entry = db.session.get(LibraryQuestion, entry_id)
    section = _target_section()
    if entry is None or section is None:
        abort(404)
    survey_id, section_id = section.survey_id, section.id
    try:
        question = insert_into_section(db.session, entry, section, actor())
    except Conflict as exc:
        db.session.rollback()
        flash(translate_error(exc.message, exc.params), "error")
        return redirect(url_for("staff.library", section_id=section_id))
    except ValidationError as exc:
        db.session.rollback()
        messages = [m for ms in apply_errors(exc.errors).values() for m in ms]
        flash(_("Die Frage passt nicht in diese Umfrage: %(why)s", why=" ".join(messages)), "error")
        return redirect(url_for("staff.library", section_id=section_id))
    db.session.commit()
    flash(_("Die Frage „%(key)s“ wurde eingefügt.", key=question.key), "success")
    return redirect(url_for("staff.survey_detail", survey_id=survey_id) + f"#section-{section_id}")


@bp.post("/umfragen/<int:survey_id>/fragen/<int:question_id>/in-bibliothek")
@role_required(Role.STAFF)
def library_add(survey_id: int, question_id: int) -> Response:
    """Store a survey's question in the library."""
    survey = get_survey_or_404(survey_id)
    question = db.session.get(Question, question_id)
    if question is None or question.survey_id != survey.id:
        abort(404)
    add_to_library(db.session, question, actor())
    db.session.commit()
    flash(_("Die Frage „%(key)s“ ist jetzt in der Fragenbibliothek.", key=question.key), "success")
    return redirect(url_for("staff.survey_detail", survey_id=survey_id))


@bp.post("/bibliothek/<int:entry_id>/entfernen")
@role_required(Role.STAFF)
def library_delete(entry_id: int) -> Response:
    """Remove an entry from the library."""
    entry = db.session.get(LibraryQuestion, entry_id)
    if entry is None:
        abort(404)
    delete_entry(db.session, entry, actor())
    db.session.commit()
    flash(_("Die Frage wurde aus der Bibliothek entfernt."), "success")
    return redirect(url_for("staff.library"))
