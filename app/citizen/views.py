"""Landing page, group choice and the question pages (a section, or a part of a long one)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.citizen import bp
from app.citizen.security import csrf_failed
from app.citizen.state import (
    Progress,
    current_draft,
    draft_ttl,
    form_key,
    group_or_404,
    load_survey,
    needs_access_code,
    now,
    progress_or_404,
    sent_page,
    survey_groups,
)
from app.common.fields import collect_errors
from app.extensions import db
from app.i18n import current_language
from surveys.answering import PageResult, answer_page, page_answers
from surveys.conditions import browser_condition, condition_holds
from surveys.models import Question, Survey, TargetGroup
from surveys.question_types import spec_for
from surveys.redisplay import redisplay_values

#: Seconds a person needs per answer, for the duration shown on the landing page.
SECONDS_PER_ANSWER = 12


def estimated_minutes(survey: Survey, group_key: str | None = None) -> int:
    """Estimate the minutes to answer (a type with items, e.g. a matrix, counts one answer per
    item), rounded up to 5."""
    answers = 0
    for question in survey.questions():
        if group_key and not question.shown_to(group_key):
            continue
        answers += max(1, len(question.items)) if spec_for(question.type).uses_items else 1
    minutes = answers * SECONDS_PER_ANSWER / 60
    return max(5, 5 * math.ceil(minutes / 5))


def render_landing(
    survey: Survey, group: TargetGroup | None, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    """Render the landing page (with the group choice unless ``group`` is fixed)."""
    return (
        render_template(
            "citizen/landing.html",
            survey=survey,
            group=group,
            groups=survey_groups(survey),
            minutes=estimated_minutes(survey, group.key if group else None),
            error=error,
            chosen=request.args.get("gruppe", ""),
        ),
        status,
    )


@bp.get("/<slug>")
def landing(slug: str) -> ResponseReturnValue:
    """Why the city asks, how answers are used, privacy, then "Ich antworte als ..."."""
    survey = load_survey(slug)
    return sent_page(survey) or render_landing(survey, None)


@bp.get("/<slug>/start")
def start(slug: str) -> ResponseReturnValue:
    """Take the group chosen on the landing page (a GET form) to the first page."""
    survey = load_survey(slug)
    if (sent := sent_page(survey)) is not None:
        return sent
    chosen = request.args.get("gruppe", "")
    if chosen not in {g.key for g in survey_groups(survey)}:
        return render_landing(survey, None, _("Bitte wählen Sie aus, als wer Sie antworten."))
    return redirect(url_for("citizen.page", slug=slug, group_key=chosen, step=1))


@bp.get("/<slug>/<group_key>")
def group_landing(slug: str, group_key: str) -> ResponseReturnValue:
    """Group-specific link: the landing page without the group question."""
    survey = load_survey(slug)
    group = group_or_404(survey, group_key)
    return sent_page(survey) or render_landing(survey, group)


@dataclass
class Entry:
    """A question on a page: shown now or not, and its condition for live show/hide."""

    question: Question
    visible: bool
    condition: dict[str, Any] | None


def condition_data(
    question: Question, page_keys: set[str], answers: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """Return the condition for live show/hide in the browser when a trigger is on the page.

    Rules on earlier pages arrive already decided (``answers``: the earlier answers).
    """
    return browser_condition(question.condition, page_keys, answers or {})


def render_page(
    survey: Survey,
    group: TargetGroup,
    progress: Progress,
    values: dict[str, Any],
    answers: dict[str, Any],
    *,
    errors: list[Any] | None = None,
    notice: str | None = None,
    return_to_check: bool = False,
) -> ResponseReturnValue:
    """Render one question page with ``values`` (this page) over ``answers`` (earlier pages)."""
    context = {**answers, **values}
    own = [q for q in progress.page.questions if q.shown_to(group.key)]
    keys = {q.key for q in own}
    entries: list[Entry] = []
    for question in own:
        visible = condition_holds(question.condition, context)
        live = condition_data(question, keys, answers)
        if visible or live:
            entries.append(Entry(question, visible, live))
    by_field, summary = collect_errors(own, errors or [])
    return render_template(
        "citizen/page.html",
        survey=survey,
        group=group,
        progress=progress,
        entries=entries,
        values=values,
        errors=by_field,
        summary=summary,
        notice=notice,
        shown=",".join(e.question.key for e in entries if e.visible),
        return_to_check=return_to_check,
    )


@bp.route("/<slug>/<group_key>/seite/<int:step>", methods=["GET", "POST"])
def page(slug: str, group_key: str, step: int) -> ResponseReturnValue:
    """One page (a section or a part of it): show its questions; on POST hand them to the
    answering use case (:func:`surveys.answering.answer_page`), commit and go where it says."""
    survey = load_survey(slug)
    group = group_or_404(survey, group_key)
    progress = progress_or_404(survey, group, step)
    if (sent := sent_page(survey)) is not None:
        return sent  # e.g. Back after the thank-you page: nothing is stored
    if needs_access_code(survey):
        return redirect(url_for("citizen.access_code", slug=slug, gruppe=group.key))
    draft = current_draft(survey)
    # Opened by an "Ändern" link of the check page (a query parameter, then a hidden field).
    source = request.args if request.method == "GET" else request.form
    back_to_check = source.get("von") == "pruefen"
    if request.method == "GET":
        values, earlier = page_answers(progress.page, draft)
        return render_page(survey, group, progress, values, earlier, return_to_check=back_to_check)

    raw = request.form.to_dict(flat=False)
    if csrf_failed():
        _values, earlier = page_answers(progress.page, draft)
        own = [q for q in progress.page.questions if q.shown_to(group.key)]
        return render_page(
            survey,
            group,
            progress,
            redisplay_values(own, raw),
            earlier,
            notice=_(
                "Ihre Sitzung war abgelaufen. Ihre Angaben auf dieser Seite sind noch da – "
                "bitte prüfen Sie sie und senden Sie die Seite erneut."
            ),
            return_to_check=back_to_check,
        )
    outcome = answer_page(
        db.session,
        survey,
        group,
        step,
        raw,
        action=request.form.get("aktion", "weiter"),
        shown=filter(None, request.form.get("angezeigt", "").split(",")),
        draft=draft,
        code=lambda: str(form_key(survey, create=True)),
        now=now(),
        ttl=draft_ttl(),
        language=current_language(),
    )
    if outcome.result == PageResult.INVALID:
        return render_page(
            survey,
            group,
            progress,
            outcome.values,
            outcome.earlier,
            errors=outcome.errors,
            return_to_check=back_to_check,
        )
    db.session.commit()
    if outcome.result == PageResult.REVEALED:
        return render_page(
            survey,
            group,
            progress,
            outcome.values,
            outcome.earlier,
            notice=_(
                "Aufgrund Ihrer Antwort gibt es auf dieser Seite weitere Fragen. "
                "Bitte beantworten Sie sie und klicken Sie dann auf „Weiter“."
            ),
            return_to_check=back_to_check,
        )
    if outcome.result == PageResult.SAVED:
        return redirect(url_for("citizen.saved", slug=slug))
    if outcome.step is None and outcome.result == PageResult.BACK and not back_to_check:
        return redirect(url_for("citizen.group_landing", slug=slug, group_key=group.key))
    if outcome.step is None or back_to_check:
        # Opened from the check page: "Weiter" and "Zurück" go back there, input kept.
        return redirect(url_for("citizen.check", slug=slug, group_key=group.key))
    return redirect(url_for("citizen.page", slug=slug, group_key=group.key, step=outcome.step))
