"""Scales and small builders shared by the demo's Handlungsfeld sections."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from demo.spec import ALL_GROUPS, BOTH_YEARS, ItemSpec, OptionSpec, QuestionSpec
from surveys.models import QuestionRole, QuestionType

SATISFACTION_SCALE = (
    "sehr unzufrieden",
    "eher unzufrieden",
    "teils, teils",
    "eher zufrieden",
    "sehr zufrieden",
)
IMPORTANCE_SCALE = (
    "gar nicht wichtig",
    "weniger wichtig",
    "teils, teils",
    "wichtig",
    "sehr wichtig",
)
AGREEMENT_SCALE = (
    "trifft gar nicht zu",
    "trifft eher nicht zu",
    "teils, teils",
    "trifft eher zu",
    "trifft voll zu",
)


def scale_settings(scale: tuple[str, ...], dont_know: bool = True) -> dict[str, Any]:
    """Return the ``settings`` of a 5-point scale with "weiß nicht / keine Angabe"."""
    return {"scale": list(scale), "dont_know": dont_know}


def satisfaction_matrix(
    field: str,
    text: str,
    items: tuple[ItemSpec, ...],
    help_text: str = "",
    groups: tuple[str, ...] = ALL_GROUPS,
) -> QuestionSpec:
    """Build the field's satisfaction matrix (key ``<field>_zufriedenheit``)."""
    return QuestionSpec(
        key=f"{field}_zufriedenheit",
        type=QuestionType.MATRIX,
        role=QuestionRole.SATISFACTION,
        text=text,
        help_text=help_text
        or "Wenn Sie ein Angebot nicht kennen, wählen Sie „weiß nicht / keine Angabe“.",
        groups=groups,
        items=items,
        settings=scale_settings(SATISFACTION_SCALE),
        answer_rate=0.97,
    )


def importance_matrix(
    field: str, items: tuple[ItemSpec, ...], groups: tuple[str, ...] = ALL_GROUPS
) -> QuestionSpec:
    """Build the importance matrix over the same item keys (``<field>_wichtigkeit``)."""
    return QuestionSpec(
        key=f"{field}_wichtigkeit",
        type=QuestionType.MATRIX,
        role=QuestionRole.IMPORTANCE,
        text="Und wie wichtig sind Ihnen diese Punkte?",
        groups=groups,
        items=items,
        settings=scale_settings(IMPORTANCE_SCALE),
        answer_rate=0.9,
    )


def priority_ranking(
    field: str,
    text: str,
    items: tuple[ItemSpec, ...],
    weights: Mapping[str, float],
    places: int = 3,
    groups: tuple[str, ...] = ALL_GROUPS,
) -> QuestionSpec:
    """Build a ranking over item keys (``<field>_prioritaet``), ``places`` places to give.

    Option codes equal the satisfaction item keys, so that the analysis can pair them;
    only items asked in both years are offered, so the ranking compares across surveys.
    """
    options = tuple(
        OptionSpec(i.key, i.text, weights.get(i.key, 1.0)) for i in items if i.years == BOTH_YEARS
    )
    return QuestionSpec(
        key=f"{field}_prioritaet",
        type=QuestionType.RANKING,
        role=QuestionRole.PRIORITY,
        text=text,
        help_text=f"Vergeben Sie die Plätze 1 bis {places}; Platz 1 ist am dringendsten.",
        groups=groups,
        options=options,
        settings={"rank_count": places},
        answer_rate=0.8,
    )


def comment(field: str, text: str, groups: tuple[str, ...] = ALL_GROUPS) -> QuestionSpec:
    """Build the field's free-text question (``<field>_anmerkungen``)."""
    return QuestionSpec(
        key=f"{field}_anmerkungen",
        type=QuestionType.TEXT,
        role=QuestionRole.COMMENT,
        text=text,
        help_text="Bitte nennen Sie keine Namen oder andere persönliche Angaben.",
        groups=groups,
        settings={"max_length": 3000, "multiline": True},
    )


def options(*pairs: tuple[str, str], weight: float = 1.0) -> tuple[OptionSpec, ...]:
    """Build options of equal weight from ``(code, label)`` pairs."""
    return tuple(OptionSpec(code, label, weight) for code, label in pairs)
