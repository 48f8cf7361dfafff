"""The list of typed-in paper forms of a survey: correcting and deleting one (staff only)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.auth import role_required
from app.extensions import db
from app.saving import commit_and_return
from app.staff import bp
from app.staff.helpers import actor, get_survey_or_404
from app.staff.paper_views import blank_form_error, group_or_404, render_paper_form, shown_again
from surveys.models import Response as StoredResponse
from surveys.models import Role, Survey
from surveys.paper_entry import accepts_paper, parse_paper_form
from surveys.paper_forms import (
    PaperForm,
    correct_paper_form,
    delete_paper_form,
    find_paper_form,
    paper_forms,
    ref_key,
    stored_answers,
)


def _key() -> bytes:
    return ref_key(current_app.config["SECRET_KEY"])


def _list_url(survey: Survey) -> str:
    return url_for("staff.paper_forms_list", survey_id=survey.id)


def _form_or_gone(survey: Survey, ref: str) -> tuple[PaperForm, StoredResponse] | Response:
    """The paper form of ``ref``, or a redirect to the list when it is not (or no longer) one.

    Online responses have no reference, so they can never be opened here.
    """
    if not accepts_paper(survey):
        flash(_("Papierbögen können erst erfasst werden, wenn die Umfrage geöffnet ist."), "error")
        return redirect(url_for("staff.survey_detail", survey_id=survey.id))
    found = find_paper_form(db.session, survey, _key(), ref)
    if found is None:
        flash(_("Diesen Papierbogen gibt es nicht (mehr). Bitte wählen Sie ihn aus der Liste."))
        return redirect(_list_url(survey))
    return found


@bp.get("/umfragen/<int:survey_id>/papier/boegen")
@role_required(Role.STAFF)
def paper_forms_list(survey_id: int) -> str:
    """Every typed-in paper form by target group, with a neutral number and a summary."""
    survey = get_survey_or_404(survey_id)
    return render_template(
        "staff/paper_list.html",
        survey=survey,
        forms=paper_forms(db.session, survey, _key()),
        editable=accepts_paper(survey),
    )


@bp.route("/umfragen/<int:survey_id>/papier/boegen/<ref>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def paper_form_edit(survey_id: int, ref: str) -> Response | tuple[str, int]:
    """The entry form prefilled with a typed-in form's answers; saving replaces them."""
    survey = get_survey_or_404(survey_id)
    found = _form_or_gone(survey, ref)
    if isinstance(found, Response):
        return found
    form, stored = found
    group = group_or_404(survey, form.group_key)
    if request.method == "GET":
        return render_paper_form(
            survey, group, stored_answers(db.session, survey, stored), [], editing=form
        )
    raw = request.form.to_dict(flat=False)
    answers, errors = parse_paper_form(survey, group.key, raw)
    blank = blank_form_error(answers, errors)
    if errors or blank:
        shown = shown_again(survey, group, answers, raw, errors)
        return render_paper_form(
            survey, group, shown, list(errors), 422, postal_errors=blank, editing=form
        )
    return commit_and_return(
        lambda: correct_paper_form(db.session, survey, stored, answers, actor()),
        _("Die Änderungen an Papierbogen Nr. %(number)s sind gespeichert.", number=form.number),
        _list_url(survey),
    )


@bp.route("/umfragen/<int:survey_id>/papier/boegen/<ref>/loeschen", methods=["GET", "POST"])
@role_required(Role.STAFF)
def paper_form_delete(survey_id: int, ref: str) -> str | Response:
    """Ask first (GET), then delete the form and its answers (POST)."""
    survey = get_survey_or_404(survey_id)
    found = _form_or_gone(survey, ref)
    if isinstance(found, Response):
        return found
    form, stored = found
    if request.method == "GET":
        return render_template("staff/paper_delete.html", survey=survey, form=form)
    return commit_and_return(
        lambda: delete_paper_form(db.session, survey, stored, actor()),
        _("Papierbogen Nr. %(number)s wurde gelöscht.", number=form.number),
        _list_url(survey),
    )
