"""What a form shows again after an error: the person's input exactly as they entered it.

:func:`redisplay_values` returns, per question, a value in the shape the question macros take
(the JSON value of ``parse_section``) but tolerant of invalid input: a number field keeps
"abc", a text keeps its 5,000 characters, a ranking keeps duplicate places. Nothing here is
stored; it only feeds the page the person is correcting.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from surveys.models import Question
from surveys.question_types import spec_for
from surveys.question_types.base import RawInput


def redisplay_value(question: Question, raw: RawInput) -> Any:
    """Return what the page shows again for ``question`` from the posted ``raw`` input
    (each type's :meth:`~surveys.question_types.QuestionTypeSpec.redisplay`)."""
    return spec_for(question.type).redisplay(question, raw)


def redisplay_values(questions: Iterable[Question], raw: RawInput) -> dict[str, Any]:
    """Return :func:`redisplay_value` for each question that has input, by question key."""
    shown: dict[str, Any] = {}
    for question in questions:
        value = redisplay_value(question, raw)
        if value is not None:
            shown[question.key] = value
    return shown


def page_values(
    questions: Iterable[Question],
    parsed: Mapping[str, Any],
    raw: RawInput,
    invalid_keys: set[str],
) -> dict[str, Any]:
    """Combine parsed values with the raw input of questions that have errors."""
    combined = dict(parsed)
    for question in questions:
        if question.key in invalid_keys:
            value = redisplay_value(question, raw)
            if value is None:
                combined.pop(question.key, None)
            else:
                combined[question.key] = value
    return combined
