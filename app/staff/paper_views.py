"""Paper entry (typing in returned paper forms) and the citizen-identical preview."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app.auth import role_required
from app.common.fields import collect_errors
from app.extensions import db
from app.i18n import translate_error
from app.staff import bp
from app.staff.helpers import get_survey_or_404
from surveys.access_codes import mark_key, redeem_access_code
from surveys.answering import invalid_keys
from surveys.conditions import condition_match, condition_questions, condition_rules
from surveys.errors import FieldError, ValidationError
from surveys.models import AccessMode, Channel, CodeBatch, Question, Role, Survey, TargetGroup
from surveys.pages import pages_for
from surveys.paper_entry import (
    MAX_LABELLED_COLUMNS,
    accepts_paper,
    paper_count,
    parse_paper_form,
    sheet_layout,
    store_paper_form,
)
from surveys.paper_forms import PaperForm
from surveys.postal import batch_of, batches_of, count_paper_return
from surveys.redisplay import page_values
from surveys.responses import DuplicateSubmission

SESSION_COUNTER = "paper_entered"


def group_or_404(survey: Survey, group_key: str) -> TargetGroup:
    group = next((g for g in survey.target_groups if g.key == group_key), None)
    if group is None:
        abort(404)
    return group


def _session_count(survey_id: int) -> int:
    counts: dict[str, int] = session.get(SESSION_COUNTER, {})
    return int(counts.get(str(survey_id), 0))


def _bump_session_count(survey_id: int) -> None:
    counts: dict[str, int] = dict(session.get(SESSION_COUNTER, {}))
    counts[str(survey_id)] = counts.get(str(survey_id), 0) + 1
    session[SESSION_COUNTER] = counts


@bp.get("/umfragen/<int:survey_id>/papier")
@role_required(Role.STAFF)
def paper_start(survey_id: int) -> str | Response:
    """Choose the target group of the paper form (skipped when there is only one)."""
    survey = get_survey_or_404(survey_id)
    if accepts_paper(survey) and len(survey.target_groups) == 1:
        return redirect(
            url_for("staff.paper_entry", survey_id=survey_id, group_key=survey.target_groups[0].key)
        )
    return render_template(
        "staff/paper_start.html",
        survey=survey,
        accepts=accepts_paper(survey),
        total=paper_count(db.session, survey),
        mine=_session_count(survey_id),
    )


def render_paper_form(
    survey: Survey,
    group: TargetGroup,
    values: dict[str, object],
    errors: list[FieldError],
    status: int = 200,
    postal: dict[str, str] | None = None,
    postal_errors: dict[str, str] | None = None,
    editing: PaperForm | None = None,
) -> tuple[str, int]:
    """Render the entry form in the layout of the group's paper sheet.

    ``editing`` is the typed-in form being corrected (no return fields, no counter then).
    """
    blocks = sheet_layout(survey, group.key)
    questions = [q for block in blocks for _, q in block.questions]
    by_field, summary = collect_errors(questions, errors)
    action = (
        url_for("staff.paper_form_edit", survey_id=survey.id, ref=editing.ref)
        if editing
        else url_for("staff.paper_entry", survey_id=survey.id, group_key=group.key)
    )
    return (
        render_template(
            "staff/paper_entry.html",
            survey=survey,
            group=group,
            blocks=blocks,
            values=values,
            errors=by_field,
            summary=summary,
            action=action,
            editing=editing,
            token=secrets.token_urlsafe(24),
            total=paper_count(db.session, survey),
            mine=_session_count(survey.id),
            batches=[] if editing else batches_of(db.session, survey),
            postal=postal or {"paper_batch": request.args.get("versand", "")},
            postal_errors=postal_errors or {},
            max_labelled=MAX_LABELLED_COLUMNS,  # as on the sheet: wider matrices get numbers
        ),
        status,
    )


def shown_again(
    survey: Survey,
    group: TargetGroup,
    answers: dict[str, object],
    raw: dict[str, list[str]],
    errors: list[FieldError],
) -> dict[str, object]:
    """What the form shows after a refusal: the parsed answers, invalid input as typed."""
    questions = [q for q in survey.questions() if q.shown_to(group.key)]
    return page_values(questions, answers, raw, invalid_keys(questions, errors))


def blank_form_error(answers: dict[str, object], errors: list[FieldError]) -> dict[str, str]:
    """Ask before storing a form without any answer, unless the person confirmed it.

    A blank returned sheet is a real return (it counts for the response rate), but usually
    it is a slip of the Enter key.
    """
    if errors or answers or request.form.get("leer_ok") == "1":
        return {}
    return {
        "leer_ok": _(
            "Dieser Bogen enthält keine einzige Antwort. Wenn er wirklich leer "
            "zurückkam, bestätigen Sie das bitte; sonst tragen Sie die Antworten ein."
        )
    }


def _return_of(survey: Survey) -> tuple[str, CodeBatch | None, dict[str, str], dict[str, str]]:
    """The code or the batch a paper form came back with (both optional), and their errors.

    A code is used up like online (a keyed mark, see surveys.access_codes); a form without
    a code but from a known mailing is counted for its batch, for response rates per batch.
    """
    code = request.form.get("paper_code", "")[:100].strip()
    raw = request.form.get("paper_batch", "").strip()
    postal = {"paper_code": code, "paper_batch": raw}
    errors: dict[str, str] = {}
    batch = batch_of(db.session, survey, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if raw and batch is None:
        errors["paper_batch"] = _("Bitte wählen Sie einen Versand dieser Umfrage.")
    if code and survey.access_mode != AccessMode.CODE:
        errors["paper_code"] = _("Diese Umfrage hat keine Zugangscodes; lassen Sie das Feld leer.")
    return code, batch, postal, errors


@bp.route("/umfragen/<int:survey_id>/papier/<group_key>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def paper_entry(survey_id: int, group_key: str) -> str | Response | tuple[str, int]:
    """One compact form per paper questionnaire; saves and starts the next empty form."""
    survey = get_survey_or_404(survey_id)
    group = group_or_404(survey, group_key)
    if not accepts_paper(survey):
        flash(_("Papierbögen können erst erfasst werden, wenn die Umfrage geöffnet ist."), "error")
        return redirect(url_for("staff.survey_detail", survey_id=survey_id))
    if request.method == "GET":
        return render_paper_form(survey, group, {}, [])
    raw = request.form.to_dict(flat=False)
    answers, errors = parse_paper_form(survey, group.key, raw)
    code, batch, postal, postal_errors = _return_of(survey)
    postal_errors = {**postal_errors, **blank_form_error(answers, errors)}
    if errors or postal_errors:
        shown = shown_again(survey, group, answers, raw, errors)
        return render_paper_form(survey, group, shown, list(errors), 422, postal, postal_errors)
    try:
        if code:
            key = mark_key(current_app.config["SECRET_KEY"])
            redeem_access_code(db.session, survey, code, key, channel=Channel.PAPER)
        elif batch is not None:
            count_paper_return(db.session, batch)
        store_paper_form(
            db.session,
            survey,
            group,
            answers,
            today=date.today(),
            submission_token=request.form.get("token", "") or secrets.token_urlsafe(24),
        )
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        shown = shown_again(survey, group, answers, raw, [])
        message = translate_error(exc.errors[0].message, exc.errors[0].params)
        return render_paper_form(survey, group, shown, [], 422, postal, {"paper_code": message})
    except (DuplicateSubmission, IntegrityError):
        db.session.rollback()
        flash(_("Dieser Bogen wurde bereits gespeichert (doppelt abgeschickt)."), "info")
        return redirect(url_for("staff.paper_entry", survey_id=survey_id, group_key=group.key))
    _bump_session_count(survey_id)
    flash(
        _(
            "Bogen gespeichert. Insgesamt %(total)s Papierbögen erfasst, %(mine)s davon in "
            "dieser Sitzung. Das Formular ist leer für den nächsten Bogen.",
            total=paper_count(db.session, survey),
            mine=_session_count(survey_id),
        ),
        "success",
    )
    return redirect(
        url_for(
            "staff.paper_entry",
            survey_id=survey_id,
            group_key=group.key,
            versand=batch.id if batch is not None and not code else None,
        )
    )


@bp.get("/umfragen/<int:survey_id>/vorschau/<group_key>")
@role_required(Role.STAFF)
def preview(survey_id: int, group_key: str) -> str:
    """Show one page of the questionnaire exactly as citizens of a group see it (the same
    pages, page breaks included, and conditions live as on the citizen pages)."""
    survey = get_survey_or_404(survey_id)
    group = group_or_404(survey, group_key)
    pages = pages_for(survey, group.key)
    step = request.args.get("seite", "1")
    number = int(step) if step.isdigit() else 1
    if pages and not 1 <= number <= len(pages):
        abort(404)
    current = pages[number - 1] if pages else None
    own = [q for q in current.questions if q.shown_to(group.key)] if current else []
    return render_template(
        "staff/preview.html",
        survey=survey,
        group=group,
        section=current.section if current else None,
        page=current,
        number=number,
        total=len(pages),
        entries=[_preview_entry(q, {p.key for p in own}) for q in own],
    )


def _preview_entry(question: Question, on_page: set[str]) -> dict[str, Any]:
    """How the preview shows a question: rules on this page stay live (citizen.js), rules on
    earlier pages count as met, with a note for staff naming those questions."""
    rules = condition_rules(question.condition)
    earlier = [k for k in condition_questions(question.condition) if k not in on_page]
    match = condition_match(question.condition)
    condition = None
    if any(r.get("question") in on_page for r in rules):
        met = {"op": "const", "value": True}
        condition = {
            "match": match,
            "rules": [r if r.get("question") in on_page else met for r in rules],
        }
    return {
        "question": question,
        "condition": condition,
        # Hidden until the live rules hold, unless an earlier rule alone already shows it.
        "hidden": condition is not None and not (match == "any" and earlier),
        "earlier": earlier,
    }
