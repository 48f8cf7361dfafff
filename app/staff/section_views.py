"""Designer views of sections: create, edit, reorder, delete."""

from __future__ import annotations

from textwrap import shorten
from typing import Any

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.auth import role_required
from app.extensions import db
from app.saving import commit_and_return
from app.staff import bp
from app.staff.helpers import (
    actor,
    apply_errors,
    back_to_survey,
    conflict_redirect,
    get_survey_or_404,
    move_and_return,
    section_or_404,
)
from surveys.designer import delete_section, move_section, save_section
from surveys.errors import Conflict, ValidationError
from surveys.models import Role, Section
from surveys.queries import handlungsfelder

OFFSETS = {"hoch": -1, "runter": 1}


@bp.route("/umfragen/<int:survey_id>/abschnitte/<int:section_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def section_edit(survey_id: int, section_id: int | None = None) -> str | Response | tuple[str, int]:
    """Create or edit a section (title, description, Handlungsfeld, online page breaks)."""
    survey = get_survey_or_404(survey_id)
    section = section_or_404(survey, section_id) if section_id else None
    # Page breaks can be set once the section has a second question to start a page with.
    pageable = section is not None and len(section.questions) > 1
    values: dict[str, Any] = {
        "title": section.title if section else "",
        "description": section.description if section else "",
        "handlungsfeld": section.handlungsfeld.key if section and section.handlungsfeld else "",
        "page_breaks": [q.key for q in section.questions if q.page_break] if section else [],
    }
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values = dict(request.form.items())
        values["page_breaks"] = request.form.getlist("page_breaks")
        try:
            saved = save_section(
                db.session,
                survey,
                section,
                title=values.get("title", ""),
                description=values.get("description", ""),
                handlungsfeld=values.get("handlungsfeld", ""),
                page_breaks=values["page_breaks"] if pageable else None,
                actor=actor(),
            )
        except ValidationError as exc:
            db.session.rollback()
            errors, status = apply_errors(exc.errors), 422
        except Conflict as exc:
            return conflict_redirect(survey_id, exc)
        else:
            db.session.commit()
            flash(_("Der Abschnitt wurde gespeichert."), "success")
            return back_to_survey(survey_id, f"section-{saved.id}")
    choices = [("", _("keinem Handlungsfeld"))] + [
        (h.key, f"{h.number}. {h.title}") for h in handlungsfelder(db.session)
    ]
    survey = get_survey_or_404(survey_id)
    section = section_or_404(survey, section_id) if section_id else None
    return render_template(
        "staff/section_form.html",
        survey=survey,
        section=section,
        values=values,
        errors=errors,
        field_choices=choices,
        break_choices=break_choices(section) if pageable and section else [],
    ), status


def break_choices(section: Section) -> list[tuple[str, str]]:
    """Return the questions that can start a new page (all but the first) as form choices."""
    return [
        (q.key, _("Frage %(n)s: %(text)s", n=number, text=shorten(q.text, 90, placeholder=" …")))
        for number, q in enumerate(section.questions, start=1)
        if number > 1
    ]


bp.add_url_rule(
    "/umfragen/<int:survey_id>/abschnitte/neu",
    endpoint="section_new",
    view_func=section_edit,
    methods=["GET", "POST"],
)


@bp.post("/umfragen/<int:survey_id>/abschnitte/<int:section_id>/<any(hoch, runter):direction>")
@role_required(Role.STAFF)
def section_move(survey_id: int, section_id: int, direction: str) -> Response:
    """Move a section up or down."""
    survey = get_survey_or_404(survey_id)
    section = section_or_404(survey, section_id)
    return move_and_return(
        survey_id,
        lambda: move_section(db.session, section, OFFSETS[direction]),
        f"section-{section_id}",
    )


@bp.route("/umfragen/<int:survey_id>/abschnitte/<int:section_id>/loeschen", methods=["GET", "POST"])
@role_required(Role.STAFF)
def section_delete(survey_id: int, section_id: int) -> str | Response:
    """Confirm, then delete a section with its questions."""
    survey = get_survey_or_404(survey_id)
    section = section_or_404(survey, section_id)
    if request.method == "GET":
        return render_template(
            "staff/confirm_delete.html",
            what=_(
                "den Abschnitt „%(title)s“ mit %(n)s Fragen",
                title=section.title,
                n=len(section.questions),
            ),
            action=url_for("staff.section_delete", survey_id=survey_id, section_id=section_id),
            back=url_for("staff.survey_detail", survey_id=survey_id),
        )
    return commit_and_return(
        lambda: delete_section(db.session, section, actor()),
        _("Der Abschnitt wurde gelöscht."),
        url_for("staff.survey_detail", survey_id=survey_id),
    )
