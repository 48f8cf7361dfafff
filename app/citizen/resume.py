""" "Später weitermachen": the saved page with the resume code, resuming, and access codes."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from app.citizen import bp
from app.citizen.security import csrf_failed
from app.citizen.state import (
    access_key_name,
    current_draft,
    draft_ttl,
    load_survey,
    now,
    sent_page,
    set_form_key,
    survey_groups,
)
from app.common.ratelimit import client_bucket
from app.extensions import db, limiter
from app.i18n import translate_error
from surveys.access_codes import check_access_code, mark_key
from surveys.drafts import load_draft
from surveys.errors import ValidationError
from surveys.models import AccessMode, Survey, TargetGroup
from surveys.pages import pages_for
from surveys.random_codes import normalize_code
from surveys.translations import LANGUAGES

MAX_CODE_INPUT = 100


def group_by_id(survey: Survey, group_id: int | None) -> TargetGroup | None:
    """Return the survey's group with this id, or ``None``."""
    return next((grp for grp in survey_groups(survey) if grp.id == group_id), None)


@bp.get("/<slug>/gespeichert")
def saved(slug: str) -> ResponseReturnValue:
    """Show the resume code of this session's draft, with a link and the expiry date."""
    survey = load_survey(slug)
    if (sent := sent_page(survey)) is not None:
        return sent
    draft = current_draft(survey)
    code = session.get(f"form-{survey.id}")
    if draft is None or not code:
        return redirect(url_for("citizen.landing", slug=slug))
    link = url_for("citizen.resume", slug=slug, code=code, _external=True)
    group = group_by_id(survey, draft.target_group_id)
    return render_template(
        "citizen/saved.html",
        survey=survey,
        code=code,
        link=link,
        expires_on=draft.expires_at.date(),
        days=draft_ttl().days,
        continue_url=resume_target(survey, group, draft.step) if group else None,
    )


def resume_target(survey: Survey, group: TargetGroup, step: int) -> str:
    """Return where a resumed draft continues: its page, or the check page when complete."""
    total = len(pages_for(survey, group.key))
    if step > total:
        return url_for("citizen.check", slug=survey.slug, group_key=group.key)
    return url_for("citizen.page", slug=survey.slug, group_key=group.key, step=max(step, 1))


def code_limit() -> str:
    """Failed code entries of one client per minute (``CODE_RATE_LIMIT``)."""
    return str(current_app.config["CODE_RATE_LIMIT"])


def _code_refused(response: Response) -> bool:
    """Only a refused code counts: a good one redirects to the questions."""
    return response.status_code not in (302, 303)


@bp.route("/<slug>/weiter", methods=["GET", "POST"])
@limiter.limit(code_limit, key_func=client_bucket, methods=["POST"], deduct_when=_code_refused)
def resume(slug: str) -> ResponseReturnValue:
    """Continue a saved draft: a form with the code (the link from the saved page fills it)."""
    survey = load_survey(slug)
    if (sent := sent_page(survey)) is not None:
        return sent  # the resume code of the sent answers, or any other: no second answer
    code = (request.values.get("code") or "")[:MAX_CODE_INPUT].strip()
    error = None
    notice = None
    if request.method == "POST" and csrf_failed():
        notice = _("Ihre Sitzung war abgelaufen. Bitte senden Sie den Code erneut.")
    elif request.method == "POST":
        if not code:
            error = _("Bitte geben Sie Ihren Code zum Weitermachen ein.")
        else:
            draft = load_draft(db.session, survey, code, now())
            group = group_by_id(survey, draft.target_group_id) if draft else None
            if draft is None or group is None:
                error = ngettext(
                    "Zu diesem Code finden wir keine gespeicherten Antworten. Bitte prüfen Sie "
                    "den Code. Gespeicherte Antworten werden nach %(days)s Tag gelöscht. "
                    "Wenn Sie Ihre Antworten schon abgesendet haben, gilt der Code nicht mehr.",
                    "Zu diesem Code finden wir keine gespeicherten Antworten. Bitte prüfen Sie "
                    "den Code. Gespeicherte Antworten werden nach %(days)s Tagen gelöscht. "
                    "Wenn Sie Ihre Antworten schon abgesendet haben, gilt der Code nicht mehr.",
                    draft_ttl().days,
                    days=draft_ttl().days,
                )
            else:
                set_form_key(survey, "-".join(_groups(normalize_code(code))))
                if draft.language in LANGUAGES and draft.language != "de":
                    session.setdefault("lang", draft.language)
                return redirect(resume_target(survey, group, draft.step), code=303)
    return render_template(
        "citizen/resume.html", survey=survey, code=code, error=error, notice=notice
    )


def _groups(code: str) -> list[str]:
    """Split a normalised code into groups of four for display."""
    return [code[i : i + 4] for i in range(0, len(code), 4)]


@bp.route("/<slug>/zugang", methods=["GET", "POST"])
@limiter.limit(code_limit, key_func=client_bucket, methods=["POST"], deduct_when=_code_refused)
def access_code(slug: str) -> ResponseReturnValue:
    """Ask for the single-use access code before the questions (access-code mode only)."""
    survey = load_survey(slug)
    if (sent := sent_page(survey)) is not None:
        return sent
    group_key = request.values.get("gruppe", "")
    valid_groups = {grp.key for grp in survey_groups(survey)}
    group_key = group_key if group_key in valid_groups else ""
    if survey.access_mode != AccessMode.CODE:
        return redirect(url_for("citizen.landing", slug=slug))
    if request.method == "POST":
        code = (request.form.get("access_code") or "")[:MAX_CODE_INPUT].strip()
    else:
        # The letter's QR link pre-fills the code; nothing is checked or stored on GET.
        code = (request.args.get("code") or "")[:MAX_CODE_INPUT].strip()
    error = None
    notice = None
    if request.args.get("fehler") == "verwendet":
        error = _("Dieser Zugangscode wurde bereits verwendet.")
    if request.method == "POST" and csrf_failed():
        notice = _("Ihre Sitzung war abgelaufen. Bitte senden Sie den Zugangscode erneut.")
    elif request.method == "POST":
        if not code:
            error = _("Bitte geben Sie Ihren Zugangscode ein.")
        else:
            try:
                check_access_code(
                    db.session, survey, code, mark_key(current_app.config["SECRET_KEY"])
                )
            except ValidationError as exc:
                error = translate_error(exc.errors[0].message, exc.errors[0].params)
            else:
                session[access_key_name(survey)] = code
                draft = current_draft(survey)
                group = group_by_id(survey, draft.target_group_id) if draft else None
                if draft is not None and group is not None:
                    target = resume_target(survey, group, draft.step)
                elif group_key:
                    target = url_for("citizen.page", slug=slug, group_key=group_key, step=1)
                else:
                    target = url_for("citizen.landing", slug=slug)
                return redirect(target, code=303)
    return render_template(
        "citizen/access_code.html",
        survey=survey,
        code=code,
        error=error,
        notice=notice,
        group_key=group_key,
    )
