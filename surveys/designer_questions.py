"""Designing questions: create, edit (with the wording-only lock), delete and reorder.

Options, items and scales are edited as "one per line" text (``code: label`` allowed).
Flush, never commit; problems are raised as :class:`ValidationError` or :class:`Conflict`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from surveys.audit import Action, record
from surveys.conditions import condition_questions
from surveys.db import SessionLike
from surveys.designer import (
    LOCKED_MESSAGE,
    ensure_unlocked,
    groups_by_key,
    is_locked,
    order_errors,
    renumber,
)
from surveys.designer_form import (
    BREAKDOWN_TYPES,
    MAX_BREAKDOWNS,
    SCALE_TYPES,
    QuestionValues,
    condition_from_values,
    settings_from_values,
)
from surveys.designer_lists import parse_lines
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import Item, Option, Question, QuestionRole, QuestionType, Section, User
from surveys.question_types import spec_for
from surveys.rules import question_errors, suggest_key


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


def _sync_items(
    question: Question, pairs: list[tuple[str, str]], reversed_keys: Collection[str] = ()
) -> None:
    existing = {i.key: i for i in question.items}
    items = []
    for key, text in pairs:
        item = existing.get(key) or Item(key=key, text=text)
        item.text = text
        item.reversed = key in reversed_keys
        items.append(item)
    question.items = items
    renumber(question.items)


def _breakdown_errors(
    question: Question, values: QuestionValues, all_questions: list[Question]
) -> list[FieldError]:
    """Refuse a breakdown on a question that is not single choice, or beyond the limit."""
    if not values.breakdown:
        return []
    if question.type not in BREAKDOWN_TYPES:
        return [
            FieldError(
                "breakdown",
                N_("Nur Fragen mit Einfachauswahl können Auswertungsmerkmal sein."),
            )
        ]
    others = [q.key for q in all_questions if q.breakdown and q is not question]
    if len(others) >= MAX_BREAKDOWNS:
        return [
            FieldError(
                "breakdown",
                N_(
                    "Eine Umfrage hat höchstens %(count)s Auswertungsmerkmale; "
                    "schon markiert sind: %(keys)s."
                ),
                {"count": MAX_BREAKDOWNS, "keys": ", ".join(others)},
            )
        ]
    return []


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
        key = values.key.strip()
        if not key and before is None and values.text.strip():
            # A new question without a key gets one from its text (shown on the next page).
            key = suggest_key(values.text, {q.key for q in survey.questions()})
        question.key = key
        question.type = qtype
        question.role = role
        question.text = values.text.strip()
        question.help_text = values.help_text.strip()
        question.required = values.required
        # Polarity is how the analysis reads the answers, not their structure: it may change
        # after responses came in (the save is audited below).
        question.reversed = values.reversed and qtype in SCALE_TYPES
        # Likewise for breakdowns: they change how answers are read, not what is stored.
        question.breakdown = values.breakdown and qtype in BREAKDOWN_TYPES
        question.target_groups = groups_by_key(session, values.target_groups)
        question.settings = settings_from_values(qtype, values, errors)
        types = {q.key: q.type for q in survey.questions()}
        question.condition = condition_from_values(values, types)
        spec = spec_for(qtype)
        _sync_options(question, parse_lines(values.options) if spec.uses_options else [])
        _sync_items(
            question,
            parse_lines(values.items, "i") if spec.uses_items else [],
            set(values.reversed_items),
        )
        all_questions = survey.questions()
        index = all_questions.index(question)
        errors += question_errors(question, all_questions[:index], survey)
        errors += _breakdown_errors(question, values, all_questions)
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
        q.key for q in survey.questions() if question.key in condition_questions(q.condition)
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
    errors = order_errors(survey) or _survey_condition_errors(survey)
    if errors:
        raise ValidationError(errors)
    session.flush()


def _survey_condition_errors(survey: Any) -> list[FieldError]:
    from surveys.rules import survey_errors

    return [e for e in survey_errors(survey) if ".condition" in e.field]
