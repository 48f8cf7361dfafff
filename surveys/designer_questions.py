"""Designing questions: create, edit (with the wording-only lock), delete and reorder.

Options, items and scales are edited as "one per line" text (``code: label`` allowed).
Flush, never commit; problems are raised as :class:`ValidationError` or :class:`Conflict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from surveys.audit import Action, record
from surveys.db import SessionLike
from surveys.designer import LOCKED_MESSAGE, _groups, ensure_unlocked, is_locked, renumber
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.i18n import N_
from surveys.lines import format_lines, parse_lines, plain_lines
from surveys.models import Item, Option, Question, QuestionRole, QuestionType, Section, User
from surveys.rules import question_errors

CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTI, QuestionType.RANKING)
SCALE_TYPES = (QuestionType.LIKERT, QuestionType.MATRIX)


@dataclass
class QuestionValues:
    """What the question form posts; numbers as strings, flags as booleans."""

    key: str
    type: str
    text: str
    help_text: str = ""
    required: bool = False
    role: str = ""
    target_groups: list[str] = field(default_factory=list)
    options: str = ""
    items: str = ""
    scale: str = ""
    dont_know: bool = False
    dont_know_label: str = ""
    other: bool = False
    other_label: str = ""
    max_choices: str = ""
    rank_count: str = ""
    min: str = ""
    max: str = ""
    integer: bool = False
    unit: str = ""
    max_length: str = ""
    multiline: bool = False
    condition_question: str = ""
    condition_op: str = "equals"
    condition_value: str = ""


def _number(value: str, name: str, errors: list[FieldError], integer: bool) -> Any:
    text = value.strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        errors.append(FieldError(name, N_("Bitte geben Sie eine Zahl ein.")))
        return None
    if integer:
        if not number.is_integer():
            errors.append(FieldError(name, N_("Bitte geben Sie eine ganze Zahl ein.")))
            return None
        return int(number)
    return int(number) if number.is_integer() else number


def _settings(
    qtype: QuestionType, values: QuestionValues, errors: list[FieldError]
) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if qtype in SCALE_TYPES:
        settings["scale"] = plain_lines(values.scale)
        settings["dont_know"] = values.dont_know
        if values.dont_know_label.strip():
            settings["dont_know_label"] = values.dont_know_label.strip()
    elif qtype in (QuestionType.SINGLE, QuestionType.MULTI):
        settings["other"] = values.other
        if values.other_label.strip():
            settings["other_label"] = values.other_label.strip()
        if qtype == QuestionType.MULTI:
            max_choices = _number(values.max_choices, "max_choices", errors, True)
            if max_choices is not None:
                settings["max_choices"] = max_choices
    elif qtype == QuestionType.RANKING:
        rank_count = _number(values.rank_count, "rank_count", errors, True)
        if rank_count is not None:
            settings["rank_count"] = rank_count
    elif qtype == QuestionType.NUMBER:
        for name in ("min", "max"):
            number = _number(getattr(values, name), name, errors, False)
            if number is not None:
                settings[name] = number
        if "min" in settings and "max" in settings and settings["min"] > settings["max"]:
            errors.append(FieldError("max", N_("Der Höchstwert muss über dem Mindestwert liegen.")))
        settings["integer"] = values.integer
        if values.unit.strip():
            settings["unit"] = values.unit.strip()
    elif qtype == QuestionType.TEXT:
        max_length = _number(values.max_length, "max_length", errors, True)
        if max_length is not None:
            if max_length < 1:
                errors.append(
                    FieldError("max_length", N_("Die Höchstlänge muss mindestens 1 sein."))
                )
            settings["max_length"] = max_length
        settings["multiline"] = values.multiline
    return settings


def _condition(values: QuestionValues) -> dict[str, Any] | None:
    trigger = values.condition_question.strip()
    if not trigger:
        return None
    op = values.condition_op or "equals"
    condition: dict[str, Any] = {"question": trigger, "op": op}
    if op == "in":
        condition["value"] = [v.strip() for v in values.condition_value.split(",") if v.strip()]
    elif op != "answered":
        raw = values.condition_value.strip()
        condition["value"] = int(raw) if raw.isdigit() else raw
    return condition


def _structure(question: Question) -> tuple[Any, ...]:
    """Everything the analysis depends on; wording is left out."""
    settings = {k: v for k, v in (question.settings or {}).items() if not k.endswith("label")}
    scale = settings.pop("scale", [])
    return (
        question.key,
        question.type,
        question.role,
        [o.code for o in question.options],
        [i.key for i in question.items],
        len(scale),
        sorted(g.key for g in question.target_groups),
        question.condition,
        sorted(settings.items()),
    )


def _wording(question: Question) -> tuple[Any, ...]:
    return (
        question.text,
        question.help_text,
        [o.label for o in question.options],
        [i.text for i in question.items],
        list((question.settings or {}).get("scale", [])),
    )


def _sync_options(question: Question, pairs: list[tuple[str, str]]) -> None:
    """Update options in place by code (keeps ids), add new ones, drop missing ones."""
    existing = {o.code: o for o in question.options}
    question.options = [
        _relabel(existing[code], label) if code in existing else Option(code=code, label=label)
        for code, label in pairs
    ]
    renumber(question.options)


def _relabel(option: Option, label: str) -> Option:
    option.label = label
    return option


def _sync_items(question: Question, pairs: list[tuple[str, str]]) -> None:
    existing = {i.key: i for i in question.items}
    items = []
    for key, text in pairs:
        item = existing.get(key) or Item(key=key, text=text)
        item.text = text
        items.append(item)
    question.items = items
    renumber(question.items)


def save_question(
    session: SessionLike,
    section: Section,
    question: Question | None,
    values: QuestionValues,
    actor: User | None,
) -> Question:
    """Create (``question`` None) or change a question and validate it in its place.

    On a :class:`ValidationError` about an existing question, the caller rolls back.

    With responses, only wording (text, help, labels) may change; the change is logged.
    """
    survey = section.survey
    locked = is_locked(session, survey)
    if question is None and locked:
        raise Conflict(LOCKED_MESSAGE)
    errors: list[FieldError] = []
    try:
        qtype = QuestionType(values.type)
    except ValueError:
        raise ValidationError.single("type", N_("Bitte wählen Sie eine Fragenart.")) from None
    try:
        role = QuestionRole(values.role) if values.role else None
    except ValueError:
        raise ValidationError.single("role", N_("Bitte wählen Sie eine Rolle.")) from None
    with session.no_autoflush:
        before = (_structure(question), _wording(question)) if question is not None else None
        if question is None:
            question = Question(survey_id=survey.id, key="", type=qtype, text="", settings={})
            section.questions.append(question)
        question.key = values.key.strip()
        question.type = qtype
        question.role = role
        question.text = values.text.strip()
        question.help_text = values.help_text.strip()
        question.required = values.required
        question.target_groups = _groups(session, values.target_groups)
        question.settings = _settings(qtype, values, errors)
        question.condition = _condition(values)
        _sync_options(question, parse_lines(values.options) if qtype in CHOICE_TYPES else [])
        _sync_items(
            question, parse_lines(values.items, "i") if qtype == QuestionType.MATRIX else []
        )
        all_questions = survey.questions()
        index = all_questions.index(question)
        errors += question_errors(question, all_questions[:index], survey)
        if any(q.key == question.key for q in all_questions if q is not question):
            errors.append(FieldError("key", N_("Diesen Schlüssel hat schon eine andere Frage.")))
        if errors:
            if before is None:  # leave no half-made question behind
                section.questions.remove(question)
                renumber(section.questions)
                if question in session:
                    session.expunge(question)
            raise ValidationError(errors)
        if before is not None and locked:
            if _structure(question) != before[0]:
                raise Conflict(LOCKED_MESSAGE)
            if _wording(question) != before[1]:
                record(
                    session,
                    actor,
                    Action.SURVEY_WORDING,
                    survey=survey,
                    details=f"{question.key}: {question.text}",
                )
    session.flush()
    record(session, actor, Action.SURVEY_CHANGE, survey=survey, details=f"Frage {question.key}")
    return question


def delete_question(session: SessionLike, question: Question, actor: User | None) -> None:
    """Delete a question unless the survey has responses or a later question depends on it."""
    section = question.section
    survey = section.survey
    ensure_unlocked(session, survey)
    dependants = [
        q.key for q in survey.questions() if (q.condition or {}).get("question") == question.key
    ]
    if dependants:
        raise Conflict(
            N_("Die Frage kann nicht gelöscht werden: Von ihr hängen ab: %(keys)s."),
            keys=", ".join(dependants),
        )
    section.questions.remove(question)
    renumber(section.questions)
    session.flush()
    record(
        session,
        actor,
        Action.SURVEY_CHANGE,
        survey=survey,
        details=f"Frage gelöscht: {question.key}",
    )


def move_question(session: SessionLike, question: Question, offset: int) -> None:
    """Move a question up (-1) or down (+1); at a section's edge it moves to the next section."""
    section = question.section
    survey = section.survey
    ensure_unlocked(session, survey)
    questions = section.questions
    index = questions.index(question)
    target = index + offset
    if 0 <= target < len(questions):
        questions.insert(target, questions.pop(index))
        renumber(questions)
    else:
        sections = survey.sections
        neighbour_index = sections.index(section) + offset
        if not 0 <= neighbour_index < len(sections):
            return
        neighbour = sections[neighbour_index]
        questions.remove(question)
        renumber(questions)
        if offset < 0:
            neighbour.questions.append(question)
        else:
            neighbour.questions.insert(0, question)
        renumber(neighbour.questions)
    errors = [e for e in _survey_condition_errors(survey)]
    if errors:
        raise ValidationError(errors)
    session.flush()


def _survey_condition_errors(survey: Any) -> list[FieldError]:
    from surveys.rules import survey_errors

    return [e for e in survey_errors(survey) if e.field.endswith(".condition")]


def question_form_values(question: Question) -> dict[str, Any]:
    """Return the form values of an existing question (for the edit form)."""
    settings = question.settings or {}
    condition = question.condition or {}
    value = condition.get("value", "")
    return {
        "key": question.key,
        "type": question.type.value,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "role": question.role.value if question.role else "",
        "target_groups": [g.key for g in question.target_groups],
        "options": format_lines([(o.code, o.label) for o in question.options]),
        "items": format_lines([(i.key, i.text) for i in question.items]),
        "scale": "\n".join(str(s) for s in settings.get("scale", [])),
        "dont_know": bool(settings.get("dont_know")),
        "dont_know_label": settings.get("dont_know_label", ""),
        "other": bool(settings.get("other")),
        "other_label": settings.get("other_label", ""),
        "max_choices": settings.get("max_choices", ""),
        "rank_count": settings.get("rank_count", ""),
        "min": settings.get("min", ""),
        "max": settings.get("max", ""),
        "integer": bool(settings.get("integer")),
        "unit": settings.get("unit", ""),
        "max_length": settings.get("max_length", ""),
        "multiline": bool(settings.get("multiline")),
        "condition_question": condition.get("question", ""),
        "condition_op": condition.get("op", "equals"),
        "condition_value": ", ".join(map(str, value)) if isinstance(value, list) else value,
    }
