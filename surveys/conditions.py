"""Conditions that show a question only when an earlier answer has a given value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from surveys.errors import FieldError
from surveys.i18n import N_
from surveys.models import Question, QuestionType

OPERATORS = ("equals", "not_equals", "in", "answered")
_CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTI)


def _matches(answer: Any, expected: Any) -> bool:
    """Compare one answer with one expected value, looking inside multi-choice answers."""
    if isinstance(answer, dict) and "choices" in answer:
        return expected in answer["choices"]
    if isinstance(answer, bool):
        return answer == (expected in (True, "ja", "true", 1))
    return str(answer) == str(expected)


def condition_holds(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Return whether ``condition`` holds for the answers given so far (by question key).

    A question without a condition is always shown; an unanswered trigger hides it.
    """
    if not condition:
        return True
    answer = answers.get(str(condition.get("question")))
    op = condition.get("op", "equals")
    if answer is None or answer in ("", [], {}):
        return False
    if op == "answered":
        return True
    expected = condition.get("value")
    if op == "in":
        values = expected if isinstance(expected, list) else [expected]
        return any(_matches(answer, v) for v in values)
    if op == "not_equals":
        return not _matches(answer, expected)
    return _matches(answer, expected)


def validate_condition(question: Question, earlier: Sequence[Question]) -> list[FieldError]:
    """Check that a condition refers to an earlier question and to a value it can have."""
    condition = question.condition
    if not condition:
        return []
    key = condition.get("question")
    if key == question.key:
        return [FieldError("condition", N_("Eine Frage kann nicht von sich selbst abhängen."))]
    trigger = next((q for q in earlier if q.key == key), None)
    if trigger is None:
        return [
            FieldError(
                "condition",
                N_(
                    "Die Bedingung muss sich auf eine frühere Frage beziehen "
                    "(„%(key)s“ steht nicht davor)."
                ),
                {"key": key},
            )
        ]
    op = condition.get("op", "equals")
    if op not in OPERATORS:
        return [FieldError("condition", N_("Unbekannte Art von Bedingung."))]
    if op == "answered":
        return []
    values = condition.get("value")
    values = values if isinstance(values, list) else [values]
    if trigger.type in _CHOICE_TYPES:
        codes = {o.code for o in trigger.options}
        if not values or any(v not in codes for v in values):
            return [
                FieldError(
                    "condition",
                    N_("Der Wert der Bedingung ist keine Antwortmöglichkeit der Frage „%(key)s“."),
                    {"key": key},
                )
            ]
    elif trigger.type == QuestionType.YESNO:
        if any(v not in ("ja", "nein", True, False) for v in values):
            return [
                FieldError("condition", N_("Bei Ja/Nein-Fragen ist der Wert „ja“ oder „nein“."))
            ]
    elif trigger.type not in (QuestionType.LIKERT, QuestionType.NUMBER):
        return [
            FieldError("condition", N_("Von dieser Art von Frage kann nur „beantwortet“ abhängen."))
        ]
    return []
