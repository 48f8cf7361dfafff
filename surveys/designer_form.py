"""What the question form posts, turned into settings and conditions, and back for editing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from surveys.conditions import condition_match, condition_rules
from surveys.designer_lists import format_lines
from surveys.errors import FieldError
from surveys.i18n import N_
from surveys.models import Question, QuestionType
from surveys.question_types import REGISTRY, spec_for

#: Types with a scale of steps (each type says so itself).
SCALE_TYPES = tuple(spec.type for spec in REGISTRY.values() if spec.uses_scale)
#: Types whose answers can break down the results ("Auswertungsmerkmal").
BREAKDOWN_TYPES = tuple(spec.type for spec in REGISTRY.values() if spec.offers_breakdown)
#: At most this many breakdown questions per survey.
MAX_BREAKDOWNS = 3


@dataclass
class RuleValues:
    """One row of the condition builder: an earlier question, a comparison, a value.

    ``value`` is the picked option (or yes/no, scale point); ``number`` the typed number
    for number questions.
    """

    question: str = ""
    op: str = "equals"
    value: str = ""
    number: str = ""


@dataclass
class QuestionValues:
    """What the question form posts; numbers as strings, flags as booleans."""

    key: str
    type: str
    text: str
    help_text: str = ""
    required: bool = False
    #: Negatively worded ("umgepolt") scale question: all its items are scored reversed.
    reversed: bool = False
    #: Single-choice question by whose answers the results can be broken down and filtered.
    breakdown: bool = False
    role: str = ""
    target_groups: list[str] = field(default_factory=list)
    options: str = ""
    items: str = ""
    #: Keys of the matrix items that are negatively worded on their own.
    reversed_items: list[str] = field(default_factory=list)
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
    #: One rule in the old single-condition shape (kept for callers that set one rule).
    condition_question: str = ""
    condition_op: str = "equals"
    condition_value: str = ""
    #: "all" (every rule must hold) or "any" (at least one).
    condition_match: str = "all"
    #: The rule rows of the condition builder, empty rows included.
    condition_rules: list[RuleValues] = field(default_factory=list)
    #: The settings of types that read their own (``setting_<name>`` inputs, by name).
    type_settings: dict[str, str] = field(default_factory=dict)


def settings_from_values(
    qtype: QuestionType, values: QuestionValues, errors: list[FieldError]
) -> dict[str, Any]:
    """The settings of a question of ``qtype``, read by the type itself (its plain inputs
    or its ``setting_<type>_<name>`` inputs), with German errors appended."""
    spec = spec_for(qtype)
    raw: Mapping[str, str] = values.type_settings
    if spec.plain_settings:
        raw = {name: _as_input(getattr(values, name)) for name in spec.plain_settings}
    return spec.settings_from_form(raw, errors) or {}


def _as_input(value: Any) -> str:
    """A form value as the designer's input posts it: flags as "1" or ""."""
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value)


def _typed(raw: str) -> Any:
    """Return a number for a number-like value (``"2"``, ``"1,5"``), else the text."""
    text = raw.strip()
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def condition_rows(values: QuestionValues) -> list[RuleValues]:
    """Return the rule rows posted, the old single-rule fields as the first row."""
    rows = list(values.condition_rules)
    if not any(r.question.strip() for r in rows) and values.condition_question.strip():
        rows = [RuleValues(values.condition_question, values.condition_op, values.condition_value)]
    return rows


def condition_from_values(
    values: QuestionValues, types: Mapping[str, QuestionType] | None = None
) -> dict[str, Any] | None:
    """Build the stored condition from the filled rule rows (``None`` if none is filled).

    ``types`` (question key to type) decides whether a rule's value is the picked option
    or the typed number; a number that is not one is kept as text, so validation can say so.
    """
    rules: list[dict[str, Any]] = []
    for row in condition_rows(values):
        trigger = row.question.strip()
        if not trigger:
            continue
        op = row.op or "equals"
        rule: dict[str, Any] = {"question": trigger, "op": op}
        if op == "in":
            rule["value"] = [v.strip() for v in row.value.split(",") if v.strip()]
        elif op != "answered":
            ttype = (types or {}).get(trigger)
            given = spec_for(ttype).condition_input if ttype is not None else ""
            if given == "number" or (ttype is None and row.number.strip()):
                rule["value"] = _typed(row.number)
            elif given == "code":
                rule["value"] = row.value.strip()
            else:
                rule["value"] = _typed(row.value)
        rules.append(rule)
    if not rules:
        return None
    match = values.condition_match if values.condition_match in ("all", "any") else "all"
    return {"match": match, "rules": rules}


def condition_form_rows(condition: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """Return the rule rows of a stored condition as form values (for the edit form)."""
    rows = []
    for rule in condition_rules(condition):
        value = rule.get("value", "")
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        if value is True or value is False:
            value = "ja" if value else "nein"
        text = "" if value is None else str(value)
        number = text.replace(".", ",") if isinstance(value, float) else text
        rows.append(
            {
                "question": str(rule.get("question", "")),
                "op": str(rule.get("op", "equals")),
                "value": text,
                "number": number,
            }
        )
    return rows


def question_form_values(question: Question) -> dict[str, Any]:
    """Return the form values of an existing question (for the edit form)."""
    spec = spec_for(question.type)
    own = spec.settings_form_values(question)
    return {
        "key": question.key,
        "type": question.type.value,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "reversed": question.reversed,
        "breakdown": question.breakdown,
        "reversed_items": [i.key for i in question.items if i.reversed],
        "role": question.role.value if question.role else "",
        "target_groups": [g.key for g in question.target_groups],
        "options": format_lines([(o.code, o.label) for o in question.options]),
        "items": format_lines([(i.key, i.text) for i in question.items]),
        # The older types' settings in their plain inputs, the newer ones' by name.
        **(own if spec.plain_settings else {}),
        "condition_match": condition_match(question.condition),
        "condition_rules": condition_form_rows(question.condition),
        "type_settings": {} if spec.plain_settings else own,
    }


#: Ready-made answer scales (five points, low to high) for Likert and matrix questions.
SCALE_PRESETS: dict[str, tuple[str, list[str]]] = {
    "zufriedenheit": (
        N_("Zufriedenheit"),
        [
            "sehr unzufrieden",
            "eher unzufrieden",
            "teils, teils",
            "eher zufrieden",
            "sehr zufrieden",
        ],
    ),
    "wichtigkeit": (
        N_("Wichtigkeit"),
        ["gar nicht wichtig", "wenig wichtig", "teils, teils", "eher wichtig", "sehr wichtig"],
    ),
    "zustimmung": (
        N_("Zustimmung"),
        [
            "stimme gar nicht zu",
            "stimme eher nicht zu",
            "teils, teils",
            "stimme eher zu",
            "stimme voll zu",
        ],
    ),
    "haeufigkeit": (
        N_("Häufigkeit"),
        ["nie", "selten", "manchmal", "oft", "immer"],
    ),
}


def apply_scale_preset(values: QuestionValues, preset: str) -> QuestionValues:
    """``values`` with the scale of ``preset`` (unknown presets change nothing)."""
    if preset not in SCALE_PRESETS:
        return values
    return replace(values, scale="\n".join(SCALE_PRESETS[preset][1]))
