"""Check your answers, submit (one transaction, one-time id, PRG) and the thank-you page."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.citizen import bp
from app.citizen.security import csrf_failed
from app.citizen.state import (
    access_key_name,
    answers_of,
    current_draft,
    forget,
    group_or_404,
    load_survey,
    needs_access_code,
    sent_page,
    today,
)
from app.common.ratelimit import client_bucket
from app.extensions import db, limiter
from app.i18n import current_language
from app.i18n_content import localizer_for
from surveys.access_codes import mark_key
from surveys.answering import SubmitResult, pending_input, submit
from surveys.drafts import draft_typed, submission_token
from surveys.models import Survey, SurveyStatus, TargetGroup
from surveys.pages import page_number_of, pages_for
from surveys.queries import survey_by_slug
from surveys.question_types import spec_for
from surveys.responses import effective_answers, missing_required, visible_questions

HONEYPOT = "website"


def summary_rows(survey: Survey, group: TargetGroup, answers: dict[str, Any]) -> list[Any]:
    """Return, per section, the visible questions with the answer as text (or ``None``) and
    the page each is asked on, for its "Ändern" link (a long section spans several pages)."""
    kept = effective_answers(survey, group.key, answers)
    local = localizer_for(survey)
    defaults = {
        "dont_know_label": _("weiß nicht / keine Angabe"),
        "other_label": _("Sonstiges"),
        "yes_label": _("Ja"),
        "no_label": _("Nein"),
    }
    sections: list[dict[str, Any]] = []
    for number, page in enumerate(pages_for(survey, group.key), start=1):
        rows = []
        for question in visible_questions(page, group.key, kept):
            value = kept.get(question.key)
            shown = local.question_copy(question, defaults)
            text = spec_for(question.type).display(shown, value) if value is not None else None
            rows.append({"question": question, "text": text, "step": number})
        if not rows:
            continue
        if sections and sections[-1]["section"] is page.section:
            sections[-1]["rows"] += rows
        else:
            sections.append({"section": page.section, "step": number, "rows": rows})
    return sections


def render_check(
    survey: Survey, group: TargetGroup, notice: str | None = None, status: int = 200
) -> ResponseReturnValue:
    """Render the check-your-answers page with the submit form."""
    draft = current_draft(survey)
    answers = answers_of(draft)
    missing = missing_required(survey, group.key, answers)
    pending = pending_input(survey, group.key, answers, draft_typed(draft))
    pages = pages_for(survey, group.key)
    token = submission_token(db.session, draft) if draft is not None else ""
    db.session.commit()
    return (
        render_template(
            "citizen/check.html",
            survey=survey,
            group=group,
            has_draft=draft is not None,
            sections=summary_rows(survey, group, answers),
            missing=[(q, page_number_of(pages, q.key) or 1) for q in missing],
            pending=pending,
            pending_keys={q.key for q, _step in pending},
            token=token,
            notice=notice,
            honeypot=HONEYPOT,
        ),
        status,
    )


def submit_limit() -> str:
    """The configured rate limit of submissions (``SUBMIT_RATE_LIMIT``)."""
    return str(current_app.config["SUBMIT_RATE_LIMIT"])


@bp.route("/<slug>/<group_key>/pruefen", methods=["GET", "POST"])
@limiter.limit(submit_limit, key_func=client_bucket, methods=["POST"])
def check(slug: str, group_key: str) -> ResponseReturnValue:
    """Show every answer with "ändern" links; on POST store the response once."""
    survey = load_survey(slug)
    group = group_or_404(survey, group_key)
    if (sent := sent_page(survey)) is not None:
        # Back after the thank-you page shows that; a repeated click on "Antworten
        # absenden" (an old page) ends on the thank-you page as before.
        if request.method == "POST":
            return redirect(url_for("citizen.thanks", slug=slug), code=303)
        return sent
    if needs_access_code(survey):
        return redirect(url_for("citizen.access_code", slug=slug, gruppe=group.key))
    if request.method == "GET":
        return render_check(survey, group)
    if csrf_failed():
        return render_check(
            survey,
            group,
            _(
                "Ihre Sitzung war abgelaufen. Ihre Antworten sind noch da – "
                "bitte klicken Sie erneut auf „Antworten absenden“."
            ),
        )
    token = request.form.get("submission_id", "")
    thanks = redirect(url_for("citizen.thanks", slug=slug), code=303)
    if request.form.get(HONEYPOT):
        return thanks  # a bot: pretend success, store nothing
    result = submit(
        db.session,
        survey,
        group,
        current_draft(survey),
        token,
        access_code=str(session.get(access_key_name(survey), "")),
        code_mark_key=mark_key(current_app.config["SECRET_KEY"]),
        today=today(),
        language=current_language(),
    )
    if result in (SubmitResult.STORED, SubmitResult.RECEIVED_BEFORE):
        db.session.commit()
        forget(survey)
        return thanks
    if result == SubmitResult.CODE_SPENT:
        session.pop(access_key_name(survey), None)
        return redirect(
            url_for("citizen.access_code", slug=slug, gruppe=group.key, fehler="verwendet")
        )
    if result == SubmitResult.LOST:
        return render_check(
            survey,
            group,
            _(
                "Wir finden Ihre Antworten nicht mehr. Vermutlich ist die Sitzung abgelaufen. "
                "Wenn Sie einen Code zum Weitermachen haben, geben Sie ihn bitte ein."
            ),
        )
    if result == SubmitResult.STALE:
        return render_check(survey, group, _("Bitte senden Sie Ihre Antworten noch einmal ab."))
    return render_check(survey, group)  # incomplete: the check page lists what is missing


@bp.get("/<slug>/danke")
def thanks(slug: str) -> ResponseReturnValue:
    """Thank-you page: what happens next with the answers.

    Shown even when the survey closed meanwhile (the last answers arrive at closing time).
    """
    survey = survey_by_slug(db.session, slug)
    if survey is None or survey.status == SurveyStatus.DRAFT:
        abort(404)
    return render_template("citizen/thanks.html", survey=survey)
