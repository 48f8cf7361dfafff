"""The full analysis of a survey as one result object, used by the CLI, the benchmark, the
workshop pages and notebooks alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields

import pandas as pd
from sqlalchemy import Connection, Engine

from analysis import charts
from analysis.compare import (
    Method,
    baseline_index,
    baseline_items,
    baseline_left_out,
    choice_differences,
    group_differences,
)
from analysis.frames import (
    FIELD,
    GROUP,
    ITEM,
    KIND,
    QUESTION,
    Filters,
    SurveyData,
    SurveyMeta,
    load_survey,
)
from analysis.languages import language_tables, texts_with_language
from analysis.privacy import DEFAULT_POLICY, Policy
from analysis.rankings import importance_performance, ranking_table, strengths_weaknesses
from analysis.stats import choice_table, field_index, number_table, point_counts, scale_table
from analysis.text import code_keywords, comment_rows, comments, frequencies

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
    choices: pd.DataFrame = field(default_factory=pd.DataFrame)
    numbers: pd.DataFrame = field(default_factory=pd.DataFrame)
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

    @property
    def too_few(self) -> bool:
        """Whether the filters leave too few responses to show anything."""
        return self.status == TOO_FEW

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return every table by name (the CLI writes one file each)."""
        skip = {"meta", "filters", "policy", "status", "n_responses", "baseline_meta"}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip}


def _responses_table(data: SurveyData, policy: Policy) -> pd.DataFrame:
    """Responses per group and channel (plus total), suppressed."""
    from analysis.privacy import suppress

    counts = data.responses.groupby([GROUP, "channel"], observed=True).size().unstack(fill_value=0)
    counts = counts.reindex(columns=["online", "paper"], fill_value=0)
    counts["n"] = counts.sum(axis=1)
    counts.loc["total"] = counts.sum()
    table = counts.reset_index().rename(columns={"index": GROUP})
    table.columns.name = None
    return suppress(table, counts=["online", "paper"], base="n", counts_add_up=True, policy=policy)


def analyse(
    data: SurveyData,
    baseline: SurveyData | None = None,
    *,
    policy: Policy = DEFAULT_POLICY,
    categories: Mapping[str, Sequence[str]] | None = None,
    method: Method = "holm",
    progress: Progress | None = None,
) -> AnalysisResult:
    """Compute every table from loaded frames (see :func:`run_full_analysis`)."""
    step = progress or (lambda _name: None)
    n = len(data.responses)
    if policy.too_few(n):
        return AnalysisResult(data.meta, Filters(), policy, TOO_FEW, None)
    result = AnalysisResult(
        data.meta, Filters(), policy, OK, n, baseline.meta if baseline else None
    )
    answers, meta = data.answers, data.meta
    result.responses = _responses_table(data, policy)
    result.languages, result.languages_by_group = language_tables(data.responses, policy)
    step("scale")
    counts = point_counts(answers, meta)
    result.scale = scale_table(answers, meta, policy, counts)
    result.field_index = field_index(answers, meta, policy)
    step("choices")
    result.choices = choice_table(answers, meta, policy)
    result.numbers = number_table(answers, meta, policy)
    step("rankings")
    result.rankings = ranking_table(answers, meta, policy)
    result.strengths = strengths_weaknesses(result.scale)
    result.importance_performance = importance_performance(result.scale)
    step("groups")
    shown = result.scale[result.scale["n"].notna()]
    visible = set(
        zip(
            shown[QUESTION].astype(str),
            shown[ITEM].astype(str),
            shown[GROUP].astype(str),
            strict=True,
        )
    )
    result.group_differences = group_differences(answers, meta, policy, method, counts, visible)
    result.choice_differences = choice_differences(result.choices, meta, method)
    if baseline is not None and len(baseline.responses):
        step("baseline")
        result.baseline_items = baseline_items(
            answers, meta, baseline.answers, baseline.meta, policy, method
        )
        result.baseline_index = baseline_index(
            answers, meta, baseline.answers, baseline.meta, policy, method
        )
        result.baseline_left_out = baseline_left_out(meta, baseline.meta)
    step("text")
    notes = comment_rows(texts_with_language(data.texts, data.responses))
    result.words, result.bigrams = frequencies(notes, policy=policy)
    result.comments = comments(notes, policy=policy)
    others = data.texts[data.texts[KIND] != "text"] if len(data.texts) else data.texts
    result.other_texts = comments(others, by=("question", GROUP), policy=policy)
    if categories:
        result.keywords = code_keywords(notes, categories, policy=policy)
    return result


def run_full_analysis(
    bind: Engine | Connection,
    survey_id: int,
    filters: Filters | None = None,
    *,
    policy: Policy = DEFAULT_POLICY,
    categories: Mapping[str, Sequence[str]] | None = None,
    method: Method = "holm",
    progress: Progress | None = None,
) -> AnalysisResult:
    """Load a survey (and its baseline, if any) and compute every table.

    Args:
        bind: engine or connection of the database.
        survey_id: the survey to analyse.
        filters: target group, channel, language (the baseline gets the same filters).
        policy: suppression thresholds.
        categories: staff-defined keyword categories for coding comments.
        method: multiple-testing correction, ``holm`` or ``bh``.
        progress: called with a step name before each step (progress bars).
    """
    filters = filters or Filters()
    step = progress or (lambda _name: None)
    step("load")
    data = load_survey(bind, survey_id, filters)
    baseline = None
    if data.meta.baseline_id is not None:
        baseline = load_survey(bind, data.meta.baseline_id, filters)
    result = analyse(
        data, baseline, policy=policy, categories=categories, method=method, progress=progress
    )
    result.filters = filters
    return result


def wordclouds(result: AnalysisResult, *, top: int = 100) -> dict[tuple[str, str], bytes]:
    """Return a PNG word cloud per Handlungsfeld and group with enough comments."""
    images: dict[tuple[str, str], bytes] = {}
    if result.words.empty:
        return images
    for (field_key, group), part in result.words.groupby([FIELD, GROUP], sort=True):
        freq = dict(zip(part["word"].head(top), part["count"].head(top).astype(float), strict=True))
        images[(str(field_key), str(group))] = charts.wordcloud_png(freq, max_words=top)
    return images
