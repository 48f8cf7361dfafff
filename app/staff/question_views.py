"""Designer views of sections and questions: create, edit, reorder, delete.

With ``?partial=1`` (what designer-inline.js asks for) the question form, its save and the
moves answer with fragments of the survey page instead of whole pages and redirects: the
form as a card (``X-Designer-Fragment: editor``), or after a save or a move the sections and
questions again with the outcome (``X-Designer-Fragment: sections``). Without JavaScript the
same views serve the pages of one question and redirect back, as before.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.auth import role_required
from app.extensions import db
from app.i18n import translate_error
from app.saving import commit_and_return
from app.staff import bp
from app.staff.helpers import (
    actor,
    apply_errors,
    back_to_survey,
    get_survey_or_404,
    move_and_return,
    section_or_404,
)
from surveys.conditions import MAX_RULES, OPERATORS, OPERATORS_BY_TYPE
from surveys.designer import is_locked
from surveys.designer_form import (
    SCALE_PRESETS,
    QuestionValues,
    RuleValues,
    apply_scale_preset,
    condition_rows,
    question_form_values,
)
from surveys.designer_lists import parse_lines
from surveys.designer_questions import delete_question, move_question, save_question
from surveys.errors import Conflict, ValidationError
from surveys.models import Question, QuestionRole, QuestionType, Role, Section, Survey
from surveys.queries import target_groups
from surveys.question_types import REGISTRY, spec_for

OFFSETS = {"hoch": -1, "runter": 1}
BOOL_FIELDS = ("required", "reversed", "breakdown", "dont_know", "other", "integer", "multiline")
LIST_FIELDS = ("target_groups", "reversed_items")
OPERATOR_LABELS = {
    "equals": "ist / =",
    "not_equals": "ist nicht / ≠",
    "contains": "enthält",
    "gt": "größer als (>)",
    "ge": "größer oder gleich (≥)",
    "lt": "kleiner als (<)",
    "le": "kleiner oder gleich (≤)",
    "answered": "wurde beantwortet",
    "in": "ist eine von (durch Komma getrennt)",
}
#: Rule rows the condition builder shows at first (more with "weitere Bedingung").
RULE_ROWS = 3
ROLE_LABELS = {
    "": "keine besondere",
    QuestionRole.SATISFACTION.value: "Zufriedenheit",
    QuestionRole.IMPORTANCE.value: "Wichtigkeit",
    QuestionRole.PRIORITY.value: "Priorität",
    QuestionRole.COMMENT.value: "Kommentar",
}


#: The response header that marks a fragment for the inline designer (and names its kind).
FRAGMENT_HEADER = "X-Designer-Fragment"


def _partial() -> bool:
    """Whether the inline designer asked for a fragment (``?partial=1``)."""
    return request.args.get("partial") == "1"


def _fragment(html: str, kind: str, status: int = 200) -> Response:
    response = make_response(html, status)
    response.headers[FRAGMENT_HEADER] = kind
    return response


def _sections_fragment(
    survey_id: int, text: str, kind: str, section_id: int, focus: str, status: int = 200
) -> Response:
    """The survey's sections and questions as now stored, with ``text`` at ``section_id``."""
    survey = get_survey_or_404(survey_id)
    html = render_template(
        "staff/_designer_sections.html",
        survey=survey,
        locked=is_locked(db.session, survey),
        types=REGISTRY,
        notice={"section_id": section_id, "text": text, "kind": kind},
        focus=focus,
    )
    return _fragment(html, "sections", status)


def _question_or_404(survey: Survey, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.survey_id != survey.id:
        abort(404)
    return question


def _rule_count(form: Any) -> int:
    """How many rule rows the form had (``condition_count``), within 1 … MAX_RULES."""
    raw = str(form.get("condition_count", ""))
    count = int(raw) if raw.isdigit() else RULE_ROWS
    return max(1, min(count, MAX_RULES))


def _question_values(form: Any) -> QuestionValues:
    names = QuestionValues.__dataclass_fields__
    data: dict[str, Any] = {}
    for name in names:
        if name in BOOL_FIELDS:
            data[name] = form.get(name) == "1"
        elif name in LIST_FIELDS:
            data[name] = form.getlist(name)
        elif name == "type_settings":
            # The settings the chosen type reads itself: inputs "setting_<type>_<name>".
            prefix = f"setting_{form.get('type', '')}_"
            data[name] = {
                key.removeprefix(prefix): str(form.get(key, ""))
                for key in form
                if key.startswith(prefix)
            }
        elif name == "condition_rules":
            # Filled rows only, in order: rule n of the condition is row n of the form again.
            rows = [
                RuleValues(
                    question=form.get(f"condition_{n}_question", ""),
                    op=form.get(f"condition_{n}_op", "equals"),
                    value=form.get(f"condition_{n}_value", ""),
                    number=form.get(f"condition_{n}_number", ""),
                )
                for n in range(1, _rule_count(form) + 1)
            ]
            data[name] = [r for r in rows if r.question.strip()]
        else:
            data[name] = form.get(name, "")
    data["condition_match"] = data["condition_match"] or "all"
    return QuestionValues(**data)


def _form_values(values: QuestionValues) -> dict[str, Any]:
    """The posted values as the template reads them (rule rows as dicts)."""
    posted = dict(values.__dict__)
    posted["condition_rules"] = [dict(r.__dict__) for r in condition_rows(values)]
    posted["condition_count"] = _rule_count(request.form)
    return posted


def _trigger_data(question: Question) -> dict[str, Any]:
    """What the condition builder offers for one earlier question: its operators and values."""
    spec = spec_for(question.type)
    return {
        "key": question.key,
        "label": f"{question.key}: {question.text[:60]}",
        "type": question.type.value,
        "ops": list(OPERATORS_BY_TYPE.get(question.type, ("answered",))),
        "options": spec.condition_choices(question, _),
        "number": spec.condition_input == "number",
    }


def _rule_rows(values: dict[str, Any], extra: int = 0) -> list[dict[str, str]]:
    """The rule rows to show: the given ones (+ ``extra`` blank), at least RULE_ROWS."""
    blank = {"question": "", "op": "equals", "value": "", "number": ""}
    rows = [dict(r) for r in values.get("condition_rules") or []]
    wanted = max(RULE_ROWS, len(rows), int(values.get("condition_count") or 0)) + extra
    rows += [dict(blank) for _ in range(min(wanted, MAX_RULES) - len(rows))]
    return rows[:MAX_RULES]


def _question_page(
    survey: Survey,
    section: Section,
    question: Question | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    extra_rows: int = 0,
) -> str | Response:
    earlier: list[Question] = []
    if question is None:
        for other in survey.sections:
            earlier += other.questions
            if other.id == section.id:
                break
    else:
        everything = survey.questions()
        earlier = everything[: everything.index(question)]
    html = render_template(
        "staff/_question_editor.html" if _partial() else "staff/question_form.html",
        survey=survey,
        section=section,
        question=question,
        values=values,
        errors=errors,
        types=REGISTRY,
        type_choices=[(t.value, _(REGISTRY[t].label)) for t in QuestionType],
        scale_presets=[("", _("– Vorlage wählen –"))]
        + [(key, f"{_(name)}: {', '.join(steps)}") for key, (name, steps) in SCALE_PRESETS.items()],
        role_choices=[(k, _(v)) for k, v in ROLE_LABELS.items()],
        group_choices=[
            (g.key, g.label) for g in target_groups(db.session) if g in survey.target_groups
        ],
        triggers=[_trigger_data(q) for q in earlier],
        trigger_choices=[("", _("– keine –"))]
        + [(q.key, f"{q.key}: {q.text[:60]}") for q in earlier],
        rule_rows=_rule_rows(values, extra_rows),
        max_rules=MAX_RULES,
        operator_choices=[(op, _(OPERATOR_LABELS[op])) for op in OPERATORS],
        # "in" (one of several codes) only for old conditions that use it
        operator_choices_new=[(op, _(OPERATOR_LABELS[op])) for op in OPERATORS if op != "in"],
        locked=is_locked(db.session, survey),
        item_choices=parse_lines(str(values.get("items") or ""), "i"),
    )
    return _fragment(html, "editor") if _partial() else html


@bp.route(
    "/umfragen/<int:survey_id>/abschnitte/<int:section_id>/fragen/neu", methods=["GET", "POST"]
)
@role_required(Role.STAFF)
def question_new(survey_id: int, section_id: int) -> str | Response | tuple[str | Response, int]:
    """Add a question of the chosen type to a section."""
    survey = get_survey_or_404(survey_id)
    section = section_or_404(survey, section_id)
    if request.method == "GET":
        qtype = request.args.get("type", QuestionType.SINGLE.value)
        if qtype not in {t.value for t in QuestionType}:
            qtype = QuestionType.SINGLE.value
        values: dict[str, Any] = {
            "type": qtype,
            "target_groups": [g.key for g in survey.target_groups],
        }
        return _question_page(survey, section, None, values, {})
    return _save(survey, section, None)


@bp.route("/umfragen/<int:survey_id>/fragen/<int:question_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def question_edit(survey_id: int, question_id: int) -> str | Response | tuple[str | Response, int]:
    """Edit a question; with responses only its wording."""
    survey = get_survey_or_404(survey_id)
    question = _question_or_404(survey, question_id)
    if request.method == "GET":
        return _question_page(
            survey, question.section, question, question_form_values(question), {}
        )
    return _save(survey, question.section, question)


def _save(
    survey: Survey, section: Section, question: Question | None
) -> Response | tuple[str | Response, int]:
    values = _question_values(request.form)
    if request.form.get("aktion") == "art":  # switch the type: show its fields, save nothing
        return _question_page(survey, section, question, _form_values(values), {}), 200
    if request.form.get("aktion") == "vorlage":  # fill in a ready-made scale, save nothing
        preset = apply_scale_preset(values, request.form.get("scale_preset", ""))
        return _question_page(survey, section, question, _form_values(preset), {}), 200
    if request.form.get("aktion") == "bedingung":  # one more rule row, save nothing
        return _question_page(survey, section, question, _form_values(values), {}, 1), 200
    survey_id, section_id = survey.id, section.id
    question_id = question.id if question else None
    try:
        saved = save_question(db.session, section, question, values, actor())
    except (ValidationError, Conflict) as exc:
        db.session.rollback()
        survey = get_survey_or_404(survey_id)
        section = section_or_404(survey, section_id)
        question = db.session.get(Question, question_id) if question_id else None
        if isinstance(exc, ValidationError):
            errors, status = apply_errors(exc.errors), 422
        else:
            errors, status = {"locked": [translate_error(exc.message, exc.params)]}, 409
        posted = _form_values(values)
        return _question_page(survey, section, question, posted, errors), status
    db.session.commit()
    message = _("Die Frage „%(key)s“ wurde gespeichert.", key=saved.key)
    if _partial():
        return _sections_fragment(
            survey_id, message, "success", saved.section_id, f"frage-{saved.id}"
        )
    flash(message, "success")
    return back_to_survey(survey_id, f"section-{saved.section_id}")


@bp.post("/umfragen/<int:survey_id>/fragen/<int:question_id>/<any(hoch, runter):direction>")
@role_required(Role.STAFF)
def question_move(survey_id: int, question_id: int, direction: str) -> Response:
    """Move a question up or down (across sections at the edges)."""
    survey = get_survey_or_404(survey_id)
    question = _question_or_404(survey, question_id)
    if _partial():
        return _move_fragment(survey_id, question, direction)
    return move_and_return(
        survey_id,
        lambda: move_question(db.session, question, OFFSETS[direction]),
        f"frage-{question.id}",
    )


def _move_fragment(survey_id: int, question: Question, direction: str) -> Response:
    """Move for the inline designer: the sections again, with the outcome at the question."""
    question_id, key, section_id = question.id, question.key, question.section_id
    try:
        move_question(db.session, question, OFFSETS[direction])
    except (ValidationError, Conflict) as exc:
        db.session.rollback()
        if isinstance(exc, ValidationError):
            messages = [m for ms in apply_errors(exc.errors).values() for m in ms]
            text, status = " ".join(messages), 422
        else:
            text, status = translate_error(exc.message, exc.params), 409
        return _sections_fragment(
            survey_id, text, "error", section_id, f"frage-{question_id}", status
        )
    db.session.commit()
    moved = db.session.get(Question, question_id)
    text = (
        _("Die Frage „%(key)s“ steht jetzt eine Stelle weiter oben.", key=key)
        if direction == "hoch"
        else _("Die Frage „%(key)s“ steht jetzt eine Stelle weiter unten.", key=key)
    )
    return _sections_fragment(
        survey_id,
        text,
        "success",
        moved.section_id if moved else section_id,
        f"frage-{question_id}",
    )


@bp.route("/umfragen/<int:survey_id>/fragen/<int:question_id>/loeschen", methods=["GET", "POST"])
@role_required(Role.STAFF)
def question_delete(survey_id: int, question_id: int) -> str | Response:
    """Confirm, then delete a question."""
    survey = get_survey_or_404(survey_id)
    question = _question_or_404(survey, question_id)
    if request.method == "GET":
        return render_template(
            "staff/confirm_delete.html",
            what=_("die Frage „%(key)s“", key=question.key),
            action=url_for("staff.question_delete", survey_id=survey_id, question_id=question_id),
            back=url_for("staff.survey_detail", survey_id=survey_id),
        )
    return commit_and_return(
        lambda: delete_question(db.session, question, actor()),
        _("Die Frage wurde gelöscht."),
        url_for("staff.survey_detail", survey_id=survey_id),
    )
