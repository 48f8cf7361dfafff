"""The full analysis of a survey as one result object, used by the CLI, the benchmark, the
workshop pages and notebooks alike."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine

from analysis import charts
from analysis.compare import Method
from analysis.disclosure import Guard
from analysis.frames import FIELD, GROUP, LANGUAGE, TOTAL, Filters, SurveyMeta
from analysis.privacy import DEFAULT_POLICY, Policy

#: Status codes of a result; the web layer translates them.
OK = "ok"
TOO_FEW = "too_few"

Progress = Callable[[str], None]


@dataclass
class AnalysisResult:
    """Every table of a survey's analysis; all have passed :mod:`analysis.privacy`.

    When ``status`` is ``too_few`` (the filters leave fewer than ``min_cell`` responses),
    every table is empty and ``n_responses`` is ``None``: the page says "too few".
    """

    meta: SurveyMeta
    filters: Filters
    policy: Policy
    status: str
    n_responses: int | None
    baseline_meta: SurveyMeta | None = None
    responses: pd.DataFrame = field(default_factory=pd.DataFrame)
    languages: pd.DataFrame = field(default_factory=pd.DataFrame)
    languages_by_group: pd.DataFrame = field(default_factory=pd.DataFrame)
    scale: pd.DataFrame = field(default_factory=pd.DataFrame)
    field_index: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Handlungsfeld index per value of each breakdown question ("Auswertungsmerkmal").
    breakdown_index: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Respondents per value of each breakdown question.
    breakdown_sizes: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Item non-response per question (matrix: per item): shown, answered, "weiß nicht",
    #: skipped (:func:`analysis.nonresponse.item_nonresponse`).
    nonresponse: pd.DataFrame = field(default_factory=pd.DataFrame)
    choices: pd.DataFrame = field(default_factory=pd.DataFrame)
    numbers: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: n, mean, median and sum per number of the multiple number entries and number
    #: matrices (question, item, column), per group and in total.
    number_parts: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Answers per month of the date questions, per group and in total, with their share.
    date_months: pd.DataFrame = field(default_factory=pd.DataFrame)
    rankings: pd.DataFrame = field(default_factory=pd.DataFrame)
    strengths: pd.DataFrame = field(default_factory=pd.DataFrame)
    importance_performance: pd.DataFrame = field(default_factory=pd.DataFrame)
    group_differences: pd.DataFrame = field(default_factory=pd.DataFrame)
    choice_differences: pd.DataFrame = field(default_factory=pd.DataFrame)
    baseline_items: pd.DataFrame = field(default_factory=pd.DataFrame)
    baseline_index: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Index items only one of the two surveys has (left out of ``baseline_index``).
    baseline_left_out: pd.DataFrame = field(default_factory=pd.DataFrame)
    words: pd.DataFrame = field(default_factory=pd.DataFrame)
    bigrams: pd.DataFrame = field(default_factory=pd.DataFrame)
    comments: pd.DataFrame = field(default_factory=pd.DataFrame)
    other_texts: pd.DataFrame = field(default_factory=pd.DataFrame)
    keywords: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Which sets of respondents may be described (shared by every filter of the survey).
    guard: Guard | None = None
    baseline_guard: Guard | None = None

    @property
    def too_few(self) -> bool:
        """Whether the filters leave too few responses to show anything."""
        return self.status == TOO_FEW

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return every table by name (the CLI writes one file each)."""
        skip = {
            "meta",
            "filters",
            "policy",
            "status",
            "n_responses",
            "baseline_meta",
            "guard",
            "baseline_guard",
        }
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip}


BREAKDOWN = "breakdown"
VALUE_COLUMN = "value"


#: One breakdown question's grid: per answer (then ``total``) the row of each field.
BreakdownGrid = list[tuple[str, list[dict[Hashable, Any] | None]]]


def breakdown_grids(
    result: AnalysisResult, fields: Sequence[str]
) -> list[tuple[str, BreakdownGrid]]:
    """:attr:`AnalysisResult.breakdown_index` as one grid per breakdown question: for every
    answer (table order, ``total`` last) the suppressed row of each field in ``fields``, or
    ``None`` where the table has no row. The dashboard, the Mappe and the public results
    each render these grids."""
    table = result.breakdown_index
    if table.empty:
        return []
    out = []
    for key, part in table.groupby(BREAKDOWN, sort=False):
        cells = {(str(r[FIELD]), str(r[VALUE_COLUMN])): r for r in part.to_dict("records")}
        values = [str(v) for v in dict.fromkeys(part[VALUE_COLUMN]) if str(v) != TOTAL]
        grid = [(v, [cells.get((f, v)) for f in fields]) for v in [*values, TOTAL]]
        out.append((str(key), grid))
    return out


def run_full_analysis(
    bind: Engine | Connection,
    survey_id: int,
    filters: Filters | None = None,
    *,
    policy: Policy = DEFAULT_POLICY,
    categories: Mapping[str, Sequence[str]] | None = None,
    method: Method = "holm",
    progress: Progress | None = None,
    guards: tuple[Guard | None, Guard | None] | None = None,
) -> AnalysisResult:
    """Compute every table of a survey (and its baseline, if any) from count tables the
    database computes (:func:`analysis.pipeline.analyse_survey`); only free text is read
    row by row.

    Args:
        bind: engine or connection of the database.
        survey_id: the survey to analyse.
        filters: target group, channel, language (the baseline gets the same filters).
        policy: suppression thresholds.
        categories: staff-defined keyword categories for coding comments.
        method: multiple-testing correction, ``holm`` or ``bh``.
        progress: called with a step name before each step (progress bars).
        guards: the survey's and the baseline's guards, when the caller keeps them (they
            depend only on the responses, not on the filters).
    """
    from analysis.pipeline import analyse_survey  # it builds on this module's result type

    options: dict[str, Any] = {
        "policy": policy,
        "categories": categories,
        "method": method,
        "progress": progress,
        "guards": guards,
    }
    if isinstance(bind, Engine):
        # Given an engine, the baseline's queries get a connection of their own and run
        # beside the survey's (not for an in-memory SQLite database: that is one connection).
        if bind.url.get_backend_name() != "sqlite" or bind.url.database not in (
            None,
            "",
            ":memory:",
        ):
            options["connect"] = bind.connect
        with bind.connect() as conn:
            return analyse_survey(conn, survey_id, filters, **options)
    return analyse_survey(bind, survey_id, filters, **options)


def wordclouds(result: AnalysisResult, *, top: int = 100) -> dict[tuple[str, str, str], bytes]:
    """Return a PNG word cloud per Handlungsfeld, group and language with enough comments
    (key: field, group, language; one cloud per language, so words never mix)."""
    images: dict[tuple[str, str, str], bytes] = {}
    words = result.words
    if words.empty:
        return images
    if LANGUAGE not in words.columns:
        words = words.assign(**{LANGUAGE: "de"})
    for (field_key, group, language), part in words.groupby([FIELD, GROUP, LANGUAGE], sort=True):
        freq = dict(zip(part["word"].head(top), part["count"].head(top).astype(float), strict=True))
        images[(str(field_key), str(group), str(language))] = charts.wordcloud_png(
            freq, max_words=top
        )
    return images
