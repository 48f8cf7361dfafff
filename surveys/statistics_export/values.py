"""The values of a statistics export: one row per response, numbers where numeric.

A response's stored answer rows are read back into answers by question key (each type's
``from_rows``), then the questionnaire is walked in order as the respondent met it
(:func:`surveys.responses.effective_answers`): a question not asked of the response's target
group, or whose condition did not hold, is "nicht gezeigt" (-9); one asked and left out is
"nicht beantwortet" (-2).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from surveys.conditions import condition_holds
from surveys.db import SessionLike
from surveys.exports import _responses_in_batches
from surveys.models import Question, QuestionType, Survey
from surveys.question_types import DONT_KNOW, spec_for
from surveys.statistics_export.variables import (
    DONT_KNOW as DONT_KNOW_CODE,
)
from surveys.statistics_export.variables import (
    NOT_ANSWERED,
    NOT_RANKED,
    NOT_SHOWN,
    Variable,
)

#: A value of a row: a number, a text, a date or ``None`` (an empty text or date).
Cell = Any


@dataclass(slots=True)
class _Stored:
    """One stored answer row as the question types read it back."""

    item_id: int | None
    option_id: int | None
    num: float | None
    text: str | None
    dont_know: bool


def _answers(survey: Survey, rows: list[Any]) -> dict[str, Any]:
    """The answers of one response by question key, from its stored rows."""
    by_question: dict[int, list[_Stored]] = defaultdict(list)
    for question_id, item_id, option_id, num, text, dont_know in rows:
        by_question[question_id].append(_Stored(item_id, option_id, num, text, dont_know))
    answers: dict[str, Any] = {}
    for question in survey.questions():
        stored = by_question.get(question.id)
        if stored:
            value = spec_for(question.type).from_rows(question, stored)
            if value is not None:
                answers[question.key] = value
    return answers


def _point(variable: Variable, value: Any) -> Cell:
    if value == DONT_KNOW:
        return variable.code(DONT_KNOW_CODE)
    return int(value)


def _number(value: Any) -> Cell:
    number = float(value)
    return int(number) if number.is_integer() else number


def _cell(variable: Variable, question: Question, value: Any) -> Cell:
    """The cell of an answered question (``value`` as ``from_rows`` gives it)."""
    part = variable.part
    kind = question.type
    if kind == QuestionType.LIKERT:
        return _point(variable, value)
    if kind == QuestionType.MATRIX:
        key = getattr(part, "key", None)
        return _point(variable, value[key]) if key in value else variable.code(NOT_ANSWERED)
    if kind == QuestionType.SINGLE:
        return variable.option_codes[value]
    if kind == QuestionType.MULTI:
        if part == "other":
            return value.get("other") or None
        return 1 if getattr(part, "code", None) in value["choices"] else 0
    if kind == QuestionType.RANKING:
        code = getattr(part, "code", None)
        return value.index(code) + 1 if code in value else variable.code(NOT_RANKED)
    if kind == QuestionType.YESNO:
        return 1 if value else 0
    if kind == QuestionType.NUMBER:
        return _number(value)
    if kind == QuestionType.TEXT:
        return str(value)
    return _as_text(question, part, value)


def _as_text(question: Question, part: object, value: Any) -> Cell:
    """A type without a statistics form: the check page's text, or a part's own entry."""
    if part is None:
        return spec_for(question.type).display(question, value)
    key = getattr(part, "key", None) or getattr(part, "code", None) or part
    if isinstance(value, dict) and key in value:
        entry = value[key]
        return None if entry is None else str(entry)
    return None


def _empty(variable: Variable, reason: Any) -> Cell:
    return None if variable.kind == "string" else variable.code(reason)


def response_values(
    session: SessionLike, survey: Survey, variables: list[Variable]
) -> Iterator[list[Cell]]:
    """Yield one row per response (by response id) with a cell per variable.

    Texts are as written (the CSV writer neutralises them); the meta variables come as the
    running number, the survey's slug, the day (a ``date``), and the target group, channel
    and language as their keys.
    """
    by_question: dict[int, list[tuple[int, Variable]]] = defaultdict(list)
    for index, variable in enumerate(variables):
        if variable.question is not None:
            by_question[variable.question.id].append((index, variable))
    questions = survey.questions()
    for number, response in enumerate(_responses_in_batches(session, survey), start=1):
        row: list[Cell] = [None] * len(variables)
        meta = {
            "response_id": number,
            "survey": survey.slug,
            "submitted_on": response.submitted_on,
            "target_group": response.target_group,
            "channel": response.channel,
            "language": response.language,
        }
        for index, variable in enumerate(variables):
            if variable.question is None:
                row[index] = meta[variable.name]
        answers = _answers(survey, response.answers)
        kept: dict[str, Any] = {}
        for question in questions:
            shown = question.shown_to(response.target_group) and condition_holds(
                question.condition, kept
            )
            value = answers.get(question.key) if shown else None
            if value is not None:
                kept[question.key] = value
            for index, variable in by_question.get(question.id, []):
                if not shown:
                    row[index] = _empty(variable, NOT_SHOWN)
                elif value is None:
                    row[index] = _empty(variable, NOT_ANSWERED)
                else:
                    row[index] = _cell(variable, question, value)
        yield row
