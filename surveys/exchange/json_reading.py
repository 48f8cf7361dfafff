"""Reading parts of a questionnaire document defensively, collecting errors with their path."""

from __future__ import annotations

from datetime import date
from typing import Any

from surveys.conditions import normalize_condition
from surveys.errors import FieldError
from surveys.i18n import N_
from surveys.models import Item, Option, Question, QuestionRole, QuestionType, TargetGroup
from surveys.question_types import spec_for

MAX_TEXT = 20_000


def read_text(
    data: dict[str, Any], name: str, where: str, errors: list[FieldError], default: str = ""
) -> str:
    value = data.get(name, default)
    if value is None:
        value = default
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        errors.append(
            FieldError(
                "file",
                N_("%(where)s: „%(name)s“ muss ein Text sein."),
                {"where": where, "name": name},
            )
        )
        return default
    return value


def read_date(value: Any, where: str, errors: list[FieldError]) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.append(FieldError("file", N_("%(where)s: ungültiges Datum."), {"where": where}))
        return None


def read_list(value: Any, where: str, errors: list[FieldError]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(FieldError("file", N_("%(where)s: Liste erwartet."), {"where": where}))
        return []
    return value


def read_groups(
    keys: Any, known: dict[str, TargetGroup], where: str, errors: list[FieldError]
) -> list[TargetGroup]:
    groups = []
    for key in read_list(keys, where, errors):
        if key not in known:
            errors.append(
                FieldError(
                    "file",
                    N_("%(where)s: unbekannte Zielgruppe „%(key)s“."),
                    {"where": where, "key": str(key)[:40]},
                )
            )
        else:
            groups.append(known[key])
    return groups


def question_from_dict(
    data: Any, known_groups: dict[str, TargetGroup], where: str, errors: list[FieldError]
) -> Question | None:
    """Build an unattached question from its JSON definition, collecting errors."""
    if not isinstance(data, dict):
        errors.append(FieldError("file", N_("%(where)s: Objekt erwartet."), {"where": where}))
        return None
    try:
        qtype = QuestionType(str(data.get("type")))
    except ValueError:
        errors.append(FieldError("file", N_("%(where)s: unbekannte Fragenart."), {"where": where}))
        return None
    spec = spec_for(qtype)
    role_value = data.get("role")
    role = None
    if role_value is not None:
        try:
            role = QuestionRole(role_value)
        except ValueError:
            errors.append(FieldError("file", N_("%(where)s: unbekannte Rolle."), {"where": where}))
    settings = data.get("settings") or {}
    condition = data.get("condition")
    if not isinstance(settings, dict) or (
        condition is not None and not isinstance(condition, dict)
    ):
        errors.append(
            FieldError("file", N_("%(where)s: ungültige Einstellungen."), {"where": where})
        )
        settings, condition = {}, None
    # Files written before the condition builder hold one bare rule.
    condition = normalize_condition(condition) if isinstance(condition, dict) else None
    options = []
    for index, o in enumerate(read_list(data.get("options"), where, errors)):
        if not isinstance(o, dict):
            errors.append(
                FieldError(
                    "file",
                    N_("%(where)s: Objekt erwartet."),
                    {"where": f"{where}.options[{index}]"},
                )
            )
            continue
        options.append(
            Option(
                code=read_text(o, "code", where, errors), label=read_text(o, "label", where, errors)
            )
        )
    items = []
    for index, i in enumerate(read_list(data.get("items"), where, errors)):
        if not isinstance(i, dict):
            errors.append(
                FieldError(
                    "file", N_("%(where)s: Objekt erwartet."), {"where": f"{where}.items[{index}]"}
                )
            )
            continue
        items.append(
            Item(
                key=read_text(i, "key", where, errors),
                text=read_text(i, "text", where, errors),
                reversed=i.get("reversed") is True,
            )
        )
    return Question(
        key=read_text(data, "key", where, errors),
        type=qtype,
        role=role,
        text=read_text(data, "text", where, errors),
        help_text=read_text(data, "help_text", where, errors),
        required=bool(data.get("required", False)),
        # Only scale questions have a polarity; the flag is ignored elsewhere.
        reversed=data.get("reversed") is True and spec.uses_scale,
        # Only types that offer it break down results (a single choice); older files have
        # no flag.
        breakdown=data.get("breakdown") is True and spec.offers_breakdown,
        target_groups=read_groups(data.get("target_groups"), known_groups, where, errors),
        settings=settings,
        condition=condition,
        options=options,
        items=items,
    )
