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
from typing import Any, NamedTuple

from surveys.conditions import condition_holds
from surveys.db import SessionLike
from surveys.exports import _responses_in_batches
from surveys.models import Question, Survey
from surveys.question_types import QuestionTypeSpec, spec_for
from surveys.question_types.base import StatisticsMissing
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


def _answers(questions: dict[int, tuple[Question, Any]], rows: list[Any]) -> dict[str, Any]:
    """The answers of one response by question key, from its stored rows."""
    by_question: dict[int, list[_Stored]] = defaultdict(list)
    for question_id, item_id, option_id, num, text, dont_know in rows:
        by_question[question_id].append(_Stored(item_id, option_id, num, text, dont_know))
    answers: dict[str, Any] = {}
    for question_id, stored in by_question.items():
        if question_id in questions:
            question, spec = questions[question_id]
            value = spec.from_rows(question, stored)
            if value is not None:
                answers[question.key] = value
    return answers


#: The missing-value code of each reason a type gives for an answered question's cell.
_REASONS = {
    StatisticsMissing.DONT_KNOW: DONT_KNOW_CODE,
    StatisticsMissing.NOT_ANSWERED: NOT_ANSWERED,
    StatisticsMissing.NOT_RANKED: NOT_RANKED,
}


def _cell(variable: Variable, spec: QuestionTypeSpec, question: Question, value: Any) -> Cell:
    """The cell of an answered question (``value`` as ``from_rows`` gives it), as its type
    gives it (``QuestionTypeSpec.statistics_cell``); a reason of a missing value becomes its
    code (in a numeric variable; an empty text or date elsewhere)."""
    cell = spec.statistics_cell(question, variable.part, value, variable.option_codes)
    if isinstance(cell, StatisticsMissing):
        return variable.code(_REASONS[cell]) if variable.kind == "numeric" else None
    return cell


def _empty(variable: Variable, reason: Any) -> Cell:
    return variable.code(reason) if variable.kind == "numeric" else None


class _Step(NamedTuple):
    """One question as the walk through a response needs it (read from the ORM once)."""

    question: Question
    spec: QuestionTypeSpec
    key: str
    groups: frozenset[str]
    condition: Any
    #: ``(index, variable, cell if not shown, cell if not answered)`` per variable.
    cells: list[tuple[int, Variable, Cell, Cell]]


def _steps(survey: Survey, variables: list[Variable]) -> list[_Step]:
    by_question: dict[int, list[tuple[int, Variable, Cell, Cell]]] = defaultdict(list)
    for index, variable in enumerate(variables):
        if variable.question is not None:
            by_question[variable.question.id].append(
                (index, variable, _empty(variable, NOT_SHOWN), _empty(variable, NOT_ANSWERED))
            )
    return [
        _Step(
            q,
            spec_for(q.type),
            q.key,
            frozenset(g.key for g in q.target_groups),
            q.condition,
            by_question.get(q.id, []),
        )
        for q in survey.questions()
    ]


def response_values(
    session: SessionLike, survey: Survey, variables: list[Variable]
) -> Iterator[list[Cell]]:
    """Yield one row per response (by response id) with a cell per variable.

    Texts are as written (the CSV writer neutralises them); the meta variables come as the
    running number, the survey's slug, the day (a ``date``), and the target group, channel
    and language as their keys.
    """
    steps = _steps(survey, variables)
    questions = {step.question.id: (step.question, step.spec) for step in steps}
    meta_indexes = [(i, v.name) for i, v in enumerate(variables) if v.question is None]
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
        for index, name in meta_indexes:
            row[index] = meta[name]
        answers = _answers(questions, response.answers)
        kept: dict[str, Any] = {}
        for step in steps:
            shown = response.target_group in step.groups and condition_holds(step.condition, kept)
            value = answers.get(step.key) if shown else None
            if value is not None:
                kept[step.key] = value
            for index, variable, not_shown, not_answered in step.cells:
                if not shown:
                    row[index] = not_shown
                elif value is None:
                    row[index] = not_answered
                else:
                    row[index] = _cell(variable, step.spec, step.question, value)
        yield row
