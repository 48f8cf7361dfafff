"""The survey weighting as the staff page, the methods report and ``flask analyse`` show it.

Reads the population margins staff entered (:mod:`surveys.weighting`), rakes each target
group's respondents to them (:mod:`analysis.weighting_data`) under the configured trimming
bounds (``WEIGHT_TRIM``) and disclosure policy, and gives the results with their labels.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import format_decimal

from analysis.weighting import Margin, TrimBounds
from analysis.weighting_data import WeightingReport, weight_group
from app.extensions import db
from app.i18n import translate_error, translate_label
from app.suppression import configured_policy
from surveys.models import PopulationMargin, Survey, TargetGroup
from surveys.queries import data_version
from surveys.weighting import group_margins, margin_values, margins_of


@dataclass(frozen=True)
class GroupWeighting:
    """One target group's margins as entered and the raking of its respondents."""

    group: TargetGroup
    margins: list[PopulationMargin]
    report: WeightingReport

    @property
    def ok(self) -> bool:
        """Whether the raking succeeded (figures are weighted)."""
        return self.report.raking is not None


def configured_bounds() -> TrimBounds | None:
    """The trimming bounds of ``WEIGHT_TRIM`` (``None``: no trimming)."""
    trim = current_app.config.get("WEIGHT_TRIM", (0.2, 5.0))
    return None if trim is None else TrimBounds(float(trim[0]), float(trim[1]))


def analysis_margins(margins: list[PopulationMargin]) -> list[Margin]:
    """The margins as the analysis takes them (excluded options left out)."""
    return [Margin(m.question.key, margin_values(m)) for m in margins]


#: Reports kept per app (the staff page, the methods report and the Mappe ask for the same).
CACHE_SIZE = 16


def _cache() -> dict[tuple[Any, ...], WeightingReport]:
    cache: dict[tuple[Any, ...], WeightingReport] = current_app.extensions.setdefault(
        "weighting_reports", {}
    )
    return cache


def survey_weighting(survey: Survey, *, figures: bool = True) -> list[GroupWeighting]:
    """Rake every target group of ``survey`` that has margins; empty when none has.

    Without ``figures`` the reports hold the raking only (see
    :func:`analysis.weighting_data.weight_group`); a cached full report serves both.
    Reports are cached per app, keyed on the survey's data version, the margins as stored,
    the trimming bounds and the minimum group, so every node recomputes after a change.
    """
    policy = configured_policy()
    bounds = configured_bounds()
    version = data_version(db.session, survey.id)
    cache = _cache()
    out = []
    by_group = group_margins(margins_of(db.session, survey))
    for group in survey.target_groups:
        margins = by_group.get(group.key)
        if not margins:
            continue
        signature = tuple(
            (m.question_id, m.kind.value, tuple(sorted(
                (t.option_id, t.value, t.excluded) for t in m.targets
            )))
            for m in margins
        )  # fmt: skip
        key = (survey.id, group.key, version, signature, bounds, policy.min_cell)
        report = cache.get((*key, True))
        if report is None and not figures:
            report = cache.get((*key, False))
        if report is None:
            report = weight_group(
                db.engine,
                survey.id,
                group.key,
                analysis_margins(margins),
                bounds,
                policy,
                figures=figures,
            )
            if len(cache) >= CACHE_SIZE:
                # another thread may have emptied or changed it meanwhile
                with contextlib.suppress(StopIteration, RuntimeError):
                    cache.pop(next(iter(cache)), None)
            cache[(*key, figures)] = report
        out.append(GroupWeighting(group=group, margins=margins, report=report))
    return out


@dataclass(frozen=True)
class MarginSummary:
    """What the methods report says about one margin."""

    question: str
    kind: str
    source: str
    reference_date: date
    excluded: list[str]


@dataclass(frozen=True)
class GroupSummary:
    """What the methods report says about one target group's weighting.

    Only figures about the whole group: its n, Kish's design effect and the effective
    sample size; never a weight or a count per cell (see ``docs/weighting.md``).
    """

    group: str
    margins: list[MarginSummary]
    n: int | None
    deff: float | None
    effective_n: float | None
    error: str | None


def weighting_summary(survey: Survey) -> list[GroupSummary]:
    """Per weighted target group: margins, sources, deff and ESS, or why it failed."""
    out = []
    for entry in survey_weighting(survey, figures=False):
        raking = entry.report.raking
        error = entry.report.error
        margins = [
            MarginSummary(
                question=m.question.text,
                kind=m.kind.value,
                source=m.source,
                reference_date=m.reference_date,
                excluded=[t.option.label for t in m.targets if t.excluded],
            )
            for m in entry.margins
        ]
        out.append(
            GroupSummary(
                group=translate_label(entry.group.label),
                margins=margins,
                n=raking.n if raking else None,
                deff=raking.deff if raking else None,
                effective_n=raking.effective_n if raking else None,
                error=translate_error(error.message, error.params) if error else None,
            )
        )
    return out


def figure_labels(survey: Survey) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Question texts by key, and item texts / option labels by (question, key)."""
    questions: dict[str, str] = {}
    parts: dict[tuple[str, str], str] = {}
    for question in survey.questions():
        questions[question.key] = question.text
        for item in question.items:
            parts[(question.key, item.key)] = item.text
        for option in question.options:
            parts[(question.key, option.code)] = option.label
    return questions, parts


def decimal(value: float | None, digits: int = 2) -> str:
    """A German decimal number with ``digits`` places (empty when missing)."""
    if value is None or value != value:  # NaN: a hidden figure
        return ""
    return str(format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0"))


def percent(value: float | None, digits: int = 1) -> str:
    """A share 0..1 as a German percentage (empty when missing)."""
    if value is None or value != value:
        return ""
    return decimal(value * 100, digits) + "\u202f%"


__all__ = [
    "decimal",
    "percent",
    "GroupWeighting",
    "analysis_margins",
    "configured_bounds",
    "figure_labels",
    "survey_weighting",
    "weighting_summary",
]
