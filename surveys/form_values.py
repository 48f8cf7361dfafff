"""What a form shows again after an error: the person's input exactly as they entered it.

:func:`redisplay_values` returns, per question, a value in the shape the question macros take
(the JSON value of ``parse_section``) but tolerant of invalid input: a number field keeps
"abc", a text keeps its 5,000 characters, a ranking keeps duplicate places. Nothing here is
stored; it only feeds the page the person is correcting.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from surveys.models import Question, QuestionType
from surveys.question_types.base import RawInput, field_name, first


def _raw_all(raw: RawInput, name: str) -> list[str]:
    return [v.strip() for v in raw.get(name, []) if v.strip()]


def redisplay_value(question: Question, raw: RawInput) -> Any:
    """Return what the page shows again for ``question`` from the posted ``raw`` input."""
    name = field_name(question)
    qtype = QuestionType(question.type)
    if qtype == QuestionType.MATRIX:
        return {
            item.key: first(raw, field_name(question, item.key))
            for item in question.items
            if first(raw, field_name(question, item.key))
        } or None
    if qtype == QuestionType.MULTI:
        choices = _raw_all(raw, name)
        other = raw.get(field_name(question, "other")) or [""]
        if not choices and not other[0]:
            return None
        return {"choices": choices, "other": other[0]}
    if qtype == QuestionType.RANKING:
        ranks = {
            o.code: first(raw, field_name(question, o.code))
            for o in question.options
            if first(raw, field_name(question, o.code))
        }
        return ranks or None
    if qtype == QuestionType.TEXT:
        values = raw.get(name) or [""]
        return values[0] or None  # kept as typed, blanks included
    return first(raw, name) or None


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
