"""Conditions that show a question only when earlier answers have given values.

A condition is stored as ``{"match": "all" | "any", "rules": [rule, ...]}``; each rule is
``{"question": key, "op": op, "value": ...}``. ``match`` "all" needs every rule to hold,
"any" at least one. Before migration ``0018`` a condition was one bare rule; such a
condition (from an old exchange file, say) is read as ``match`` "all" with that one rule,
so every reader goes through :func:`normalize_condition` or the helpers below.

Operators: ``equals`` / ``not_equals`` (a choice, yes/no, scale point or number; on a
multiple-choice answer "contains" / "does not contain"), ``contains`` (multiple choice),
``gt``, ``ge``, ``lt``, ``le`` (numbers and scale points), ``answered``, and ``in`` (one of
several values, kept for old conditions). An unanswered trigger makes its rule false.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from surveys.errors import FieldError
from surveys.i18n import N_
from surveys.models import Question, QuestionType
from surveys.question_types import REGISTRY, spec_for
from surveys.question_types.base import condition_number as _as_number

OPERATORS = ("equals", "not_equals", "contains", "gt", "ge", "lt", "le", "answered", "in")
#: Operators comparing numbers.
NUMBER_OPERATORS = ("gt", "ge", "lt", "le")
MATCHES = ("all", "any")
#: Most rules one condition may have.
MAX_RULES = 10

#: Which operators fit which type of trigger question (``answered`` fits every type; each
#: type says which others it offers: ``QuestionTypeSpec.condition_operators``).
OPERATORS_BY_TYPE: dict[QuestionType, tuple[str, ...]] = {
    qtype: spec.condition_operators
    for qtype, spec in REGISTRY.items()
    if spec.condition_operators != ("answered",)
}


def normalize_condition(condition: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Return ``condition`` in the stored form (``match`` and ``rules``), or ``None``.

    An old single-rule condition becomes one rule; an old ``in`` with several values
    becomes one ``equals`` rule per value, any of which suffices.
    """
    if not condition:
        return None
    if "rules" not in condition:
        rule = {k: condition[k] for k in ("question", "op", "value") if k in condition}
        rule.setdefault("op", "equals")
        if rule["op"] == "in" and isinstance(rule.get("value"), list):
            values = rule["value"]
            if len(values) > 1:
                return {
                    "match": "any",
                    "rules": [
                        {"question": rule.get("question"), "op": "equals", "value": v}
                        for v in values
                    ],
                }
            rule = {"question": rule.get("question"), "op": "equals", "value": values[0]}
        return {"match": "all", "rules": [rule]}
    rules = [dict(r) for r in condition.get("rules") or [] if isinstance(r, Mapping)]
    if not rules:
        return None
    match = condition.get("match", "all")
    return {"match": match if match in MATCHES else "all", "rules": rules}


def condition_rules(condition: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Return the rules of a condition (old or new form); none without a condition."""
    normal = normalize_condition(condition)
    return normal["rules"] if normal else []


def condition_match(condition: Mapping[str, Any] | None) -> str:
    """Return "all" or "any"."""
    normal = normalize_condition(condition)
    return str(normal["match"]) if normal else "all"


def condition_questions(condition: Mapping[str, Any] | None) -> list[str]:
    """Return the keys of the questions a condition refers to, in rule order, once each."""
    keys: list[str] = []
    for rule in condition_rules(condition):
        key = str(rule.get("question") or "")
        if key and key not in keys:
            keys.append(key)
    return keys


def _matches(answer: Any, expected: Any) -> bool:
    """Compare one answer with one expected value, looking inside multi-choice answers."""
    if isinstance(answer, dict) and "choices" in answer:
        return expected in answer["choices"]
    if isinstance(answer, bool):
        return answer == (expected in (True, "ja", "true", 1))
    if str(answer) == str(expected):
        return True
    number, wanted = _as_number(answer), _as_number(expected)
    return number is not None and wanted is not None and number == wanted


def _compare(answer: Any, op: str, expected: Any) -> bool:
    number, wanted = _as_number(answer), _as_number(expected)
    if number is None or wanted is None:
        return False
    if op == "gt":
        return number > wanted
    if op == "ge":
        return number >= wanted
    if op == "lt":
        return number < wanted
    return number <= wanted


def rule_holds(rule: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """Return whether one rule holds for the answers given so far (by question key)."""
    answer = answers.get(str(rule.get("question")))
    op = rule.get("op", "equals")
    if answer is None or answer in ("", [], {}):
        return False
    if op == "answered":
        return True
    expected = rule.get("value")
    if op == "in":
        values = expected if isinstance(expected, list) else [expected]
        return any(_matches(answer, v) for v in values)
    if op == "not_equals":
        return not _matches(answer, expected)
    if op in NUMBER_OPERATORS:
        return _compare(answer, op, expected)
    return _matches(answer, expected)  # equals, contains


def condition_holds(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Return whether ``condition`` holds for the answers given so far (by question key).

    A question without a condition is always shown; an unanswered trigger makes its rule
    false (so it hides the question unless another rule of an "any" condition holds).
    """
    normal = normalize_condition(condition)
    if normal is None:
        return True
    results = (rule_holds(rule, answers) for rule in normal["rules"])
    return any(results) if normal["match"] == "any" else all(results)


def browser_condition(
    condition: Mapping[str, Any] | None, page_keys: set[str], answers: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Return the condition for live show/hide in the browser, or ``None`` if it cannot change.

    The browser sees only the answers of its page: a rule on an earlier page is replaced
    by its outcome (``{"op": "const", "value": true|false}``).
    """
    normal = normalize_condition(condition)
    if normal is None or not any(r.get("question") in page_keys for r in normal["rules"]):
        return None
    rules = [
        dict(rule)
        if rule.get("question") in page_keys
        else {"op": "const", "value": rule_holds(rule, answers)}
        for rule in normal["rules"]
    ]
    return {"match": normal["match"], "rules": rules}


def _rule_field(index: int, part: str) -> str:
    """The form field of one rule's part (``question``, ``op``, ``value``), 1-based."""
    return f"condition_{index}_{part}"


def validate_condition(question: Question, earlier: Sequence[Question]) -> list[FieldError]:
    """Check each rule: an earlier question, a fitting operator, a value it can have.

    Errors name the rule's field (``condition_<n>_question``, ``..._op``, ``..._value``).
    """
    condition = question.condition
    if not condition:
        return []
    if "rules" in condition and condition.get("match", "all") not in MATCHES:
        return [FieldError("condition", N_("Bitte wählen Sie „alle“ oder „mindestens eine“."))]
    rules = condition_rules(condition)
    if len(rules) > MAX_RULES:
        return [
            FieldError(
                "condition",
                N_("Eine Bedingung hat höchstens %(count)s Regeln."),
                {"count": MAX_RULES},
            )
        ]
    errors: list[FieldError] = []
    for index, rule in enumerate(rules, start=1):
        errors += _rule_errors(question, earlier, rule, index)
    return errors


def _rule_errors(
    question: Question, earlier: Sequence[Question], rule: Mapping[str, Any], index: int
) -> list[FieldError]:
    key = rule.get("question")
    if key == question.key:
        return [
            FieldError(
                _rule_field(index, "question"),
                N_("Eine Frage kann nicht von sich selbst abhängen."),
            )
        ]
    trigger = next((q for q in earlier if q.key == key), None)
    if trigger is None:
        return [
            FieldError(
                _rule_field(index, "question"),
                N_(
                    "Die Bedingung muss sich auf eine frühere Frage beziehen "
                    "(„%(key)s“ steht nicht davor)."
                ),
                {"key": key},
            )
        ]
    op = rule.get("op", "equals")
    if op not in OPERATORS:
        return [FieldError(_rule_field(index, "op"), N_("Unbekannte Art von Bedingung."))]
    if op == "answered":
        return []
    fitting = OPERATORS_BY_TYPE.get(trigger.type)
    if fitting is None:
        return [
            FieldError(
                _rule_field(index, "op"),
                N_("Von dieser Art von Frage kann nur „beantwortet“ abhängen."),
            )
        ]
    if op not in fitting and op != "in":
        return [
            FieldError(
                _rule_field(index, "op"),
                N_("Dieser Vergleich passt nicht zur Frage „%(key)s“."),
                {"key": key},
            )
        ]
    value = rule.get("value")
    values = value if isinstance(value, list) else [value]
    return spec_for(trigger.type).condition_value_errors(
        trigger, values, _rule_field(index, "value")
    )


_OPERATOR_WORDS = {
    "equals": N_("ist"),
    "not_equals": N_("ist nicht"),
    "contains": N_("enthält"),
    "gt": N_("ist größer als"),
    "ge": N_("ist mindestens"),
    "lt": N_("ist kleiner als"),
    "le": N_("ist höchstens"),
    "in": N_("ist eine von"),
}


def describe_condition(
    condition: Mapping[str, Any] | None,
    questions: Mapping[str, Question],
    translate: Any = lambda text: text,
) -> str:
    """Return the condition in words, e.g. „kinder_anzahl“ ist größer als 2 oder ….

    Option codes are shown with their labels; ``translate`` is gettext in the web layer.
    """
    normal = normalize_condition(condition)
    if normal is None:
        return ""
    parts = []
    for rule in normal["rules"]:
        key = str(rule.get("question") or "")
        op = str(rule.get("op", "equals"))
        if op == "answered":
            parts.append(f"„{key}“ " + translate(N_("wurde beantwortet")))
            continue
        trigger = questions.get(key)
        labels = {o.code: o.label for o in trigger.options} if trigger is not None else {}
        raw = rule.get("value")
        values = raw if isinstance(raw, list) else [raw]
        shown = " / ".join(
            f"„{labels[str(v)]}“ ({v})" if str(v) in labels else f"„{v}“" for v in values
        )
        word = _OPERATOR_WORDS.get(op, op)
        parts.append(f"„{key}“ {translate(word)} {shown}")
    joiner = translate(N_("oder")) if normal["match"] == "any" else translate(N_("und"))
    return f" {joiner} ".join(parts)
