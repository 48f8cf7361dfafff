"""What the question form posts, turned into settings and conditions, and back for editing."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from surveys.errors import FieldError
from surveys.i18n import N_
from surveys.lines import format_lines, plain_lines
from surveys.models import Question, QuestionType

CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTI, QuestionType.RANKING)
SCALE_TYPES = (QuestionType.LIKERT, QuestionType.MATRIX)
#: Types whose answers can break down the results ("Auswertungsmerkmal").
BREAKDOWN_TYPES = (QuestionType.SINGLE,)
#: At most this many breakdown questions per survey.
MAX_BREAKDOWNS = 3


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


def settings_from_values(
    qtype: QuestionType, values: QuestionValues, errors: list[FieldError]
) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if qtype in SCALE_TYPES:
        settings["scale"] = plain_lines(values.scale)
        settings["dont_know"] = values.dont_know
        if values.dont_know_label.strip():
            settings["dont_know_label"] = values.dont_know_label.strip()
    elif qtype == QuestionType.MULTI:  # "Sonstiges" with free text exists for multi only
        settings["other"] = values.other
        if values.other_label.strip():
            settings["other_label"] = values.other_label.strip()
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


def condition_from_values(values: QuestionValues) -> dict[str, Any] | None:
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
        "reversed": question.reversed,
        "breakdown": question.breakdown,
        "reversed_items": [i.key for i in question.items if i.reversed],
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
