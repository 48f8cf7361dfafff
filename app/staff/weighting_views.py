"""Weighting to register figures: staff enter population margins and see the weighted figures."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.auth import role_required
from app.common.weighting import (
    configured_bounds,
    decimal,
    figure_labels,
    percent,
    survey_weighting,
)
from app.extensions import db
from app.i18n import translate_error
from app.staff import bp
from app.staff.helpers import actor, apply_errors, get_survey_or_404
from app.suppression import configured_policy
from surveys.errors import ValidationError
from surveys.models import MarginKind, PopulationMargin, Question, Role, Survey, TargetGroup
from surveys.weighting import (
    delete_margin,
    find_margin,
    group_margins,
    margins_of,
    parse_margin,
    save_margin,
    weighting_questions,
)


def _group_or_404(survey: Survey, group_key: str) -> TargetGroup:
    group = next((g for g in survey.target_groups if g.key == group_key), None)
    if group is None:
        abort(404)
    return group


def _question_or_404(survey: Survey, group: TargetGroup, question_key: str) -> Question:
    question = next((q for q in weighting_questions(survey, group) if q.key == question_key), None)
    if question is None:
        abort(404)
    return question


@bp.get("/umfragen/<int:survey_id>/gewichtung")
@role_required(Role.STAFF)
def weighting(survey_id: int) -> str:
    """The margins per target group and the weighted figures they give."""
    survey = get_survey_or_404(survey_id)
    by_group = group_margins(margins_of(db.session, survey))
    groups = []
    for group in survey.target_groups:
        used = {m.question_id for m in by_group.get(group.key, [])}
        groups.append(
            {
                "group": group,
                "margins": by_group.get(group.key, []),
                "choices": [q for q in weighting_questions(survey, group) if q.id not in used],
            }
        )
    questions, parts = figure_labels(survey)
    return render_template(
        "staff/weighting.html",
        survey=survey,
        groups=groups,
        results=survey_weighting(survey),
        bounds=configured_bounds(),
        min_cell=configured_policy().min_cell,
        questions=questions,
        parts=parts,
        decimal=decimal,
        percent=percent,
        error_text=lambda error: translate_error(error.message, error.params),
    )


def _values(margin: PopulationMargin | None, question: Question) -> dict[str, Any]:
    """The form's values from a stored margin (or empty for a new one)."""
    if margin is None:
        return {"kind": "", "source": "", "reference_date": ""}
    values: dict[str, Any] = {
        "kind": margin.kind.value,
        "source": margin.source,
        "reference_date": margin.reference_date.isoformat(),
    }
    by_option = {t.option_id: t for t in margin.targets}
    for option in question.options:
        target = by_option.get(option.id)
        if target is None:
            continue
        if target.excluded:
            values[f"exclude-{option.code}"] = "1"
        elif target.value is not None:
            value = target.value
            shown = decimal(value, 0) if margin.kind == MarginKind.COUNT else decimal(value, 1)
            values[f"value-{option.code}"] = shown.replace("\u202f", "")
    return values


def _form(
    survey: Survey,
    group: TargetGroup,
    question: Question,
    margin: PopulationMargin | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "staff/weighting_form.html",
        survey=survey,
        group=group,
        question=question,
        margin=margin,
        values=values,
        errors=errors,
    ), status


@bp.get("/umfragen/<int:survey_id>/gewichtung/<group_key>/<question_key>")
@role_required(Role.STAFF)
def weighting_margin(survey_id: int, group_key: str, question_key: str) -> tuple[str, int]:
    """Enter or change the population figures of one weighting question."""
    survey = get_survey_or_404(survey_id)
    group = _group_or_404(survey, group_key)
    question = _question_or_404(survey, group, question_key)
    margin = find_margin(db.session, survey, group, question)
    return _form(survey, group, question, margin, _values(margin, question), {})


@bp.post("/umfragen/<int:survey_id>/gewichtung/<group_key>/<question_key>")
@role_required(Role.STAFF)
def weighting_margin_save(
    survey_id: int, group_key: str, question_key: str
) -> Response | tuple[str, int]:
    """Store the margin; errors show at their fields and keep what was typed."""
    survey = get_survey_or_404(survey_id)
    group = _group_or_404(survey, group_key)
    question = _question_or_404(survey, group, question_key)
    margin = find_margin(db.session, survey, group, question)
    raw = {k: v for k, v in request.form.items() if k != "csrf_token"}
    try:
        data = parse_margin(question, raw)
        save_margin(db.session, survey, group, question, data, actor())
    except ValidationError as exc:
        db.session.rollback()
        return _form(survey, group, question, margin, raw, apply_errors(exc.errors), 422)
    db.session.commit()
    flash(
        _("Die Randverteilung „%(question)s“ für %(group)s ist gespeichert.",
          question=question.text, group=group.label),
        "success",
    )  # fmt: skip
    return redirect(url_for("staff.weighting", survey_id=survey.id))


@bp.post("/umfragen/<int:survey_id>/gewichtung/<group_key>/<question_key>/loeschen")
@role_required(Role.STAFF)
def weighting_margin_delete(survey_id: int, group_key: str, question_key: str) -> Response:
    """Remove a margin (the figures of that group are then weighted without it)."""
    survey = get_survey_or_404(survey_id)
    group = _group_or_404(survey, group_key)
    question = _question_or_404(survey, group, question_key)
    margin = find_margin(db.session, survey, group, question)
    if margin is None:
        abort(404)
    delete_margin(db.session, margin, actor())
    db.session.commit()
    flash(_("Die Randverteilung ist gelöscht."), "success")
    return redirect(url_for("staff.weighting", survey_id=survey.id))


@bp.get("/umfragen/<int:survey_id>/gewichtung/neu")
@role_required(Role.STAFF)
def weighting_choose(survey_id: int) -> Response:
    """The "Merkmal hinzufügen" form (GET): go to the chosen question's margin form."""
    survey = get_survey_or_404(survey_id)
    group_key = request.args.get("gruppe", "")
    question_key = request.args.get("frage", "")
    group = _group_or_404(survey, group_key)
    if not any(q.key == question_key for q in weighting_questions(survey, group)):
        flash(_("Bitte wählen Sie eine Frage als Gewichtungsmerkmal."), "error")
        return redirect(url_for("staff.weighting", survey_id=survey.id, _anchor=f"g-{group.key}"))
    return redirect(
        url_for(
            "staff.weighting_margin",
            survey_id=survey.id,
            group_key=group.key,
            question_key=question_key,
        )
    )
