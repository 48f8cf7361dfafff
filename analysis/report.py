"""The full analysis of a survey as one result object, used by the CLI, the benchmark, the
workshop pages and notebooks alike."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, fields, replace
from typing import Any

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
from analysis.disclosure import Guard, View, build_guard
from analysis.frames import (
    CHANNEL,
    FIELD,
    GROUP,
    ITEM,
    KIND,
    LANGUAGE,
    OPTION,
    QUESTION,
    RESPONSE,
    TOTAL,
    Filters,
    SurveyData,
    SurveyMeta,
    breakdown_column,
    breakdown_questions,
    load_responses,
    load_survey,
)
from analysis.languages import language_tables, texts_with_language
from analysis.meta import load_meta
from analysis.nonresponse import item_nonresponse
from analysis.privacy import DEFAULT_POLICY, Policy, suppress
from analysis.rankings import importance_performance, ranking_table, strengths_weaknesses
from analysis.stats import (
    INDEX_STATS,
    choice_table,
    field_index,
    number_table,
    point_counts,
    response_scores,
    scale_table,
    summarise,
)
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
    #: Handlungsfeld index per value of each breakdown question ("Auswertungsmerkmal").
    breakdown_index: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Respondents per value of each breakdown question.
    breakdown_sizes: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Item non-response per question (matrix: per item): shown, answered, "weiß nicht",
    #: skipped (:func:`analysis.nonresponse.item_nonresponse`).
    nonresponse: pd.DataFrame = field(default_factory=pd.DataFrame)
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


def _breakdown_tables(data: SurveyData, policy: Policy) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Index per Handlungsfeld and respondents per value of every breakdown question.

    Each row describes the filters' set narrowed to one value; the guard decides as for any
    row (:mod:`analysis.disclosure`), so a Stadtteil with few answers is never shown, nor one
    that the others and the total would give away.
    """
    meta = data.meta
    scores = response_scores(data.answers, meta)
    index_parts, size_parts = [], []
    for key in breakdown_questions(meta):
        column = breakdown_column(key)
        if column not in data.responses.columns:
            continue
        values = data.responses.set_index(RESPONSE)[column].astype(str)
        options = meta.options[meta.options[QUESTION] == key]
        order = [str(o) for o in options.sort_values("position")[OPTION]]
        sizes = values[values != ""].value_counts()
        size = pd.DataFrame(
            {
                BREAKDOWN: key,
                VALUE_COLUMN: [*order, TOTAL],
                "n": [int(sizes.get(v, 0)) for v in order] + [len(values)],
            }
        )
        size_parts.append(
            suppress(size, counts=[], base="n", group=VALUE_COLUMN, dimension=column, policy=policy)
        )
        by_value = scores.assign(**{VALUE_COLUMN: scores[RESPONSE].map(values).fillna("")})
        per_value = summarise(by_value[by_value[VALUE_COLUMN] != ""], [FIELD, VALUE_COLUMN])
        total = summarise(by_value, [FIELD]).reset_index().assign(**{VALUE_COLUMN: TOTAL})
        table = pd.concat([per_value.reset_index(), total], ignore_index=True)
        table = table.rename(columns={"mean": "index"}).astype({FIELD: str})
        table.insert(0, BREAKDOWN, key)
        table[VALUE_COLUMN] = pd.Categorical(table[VALUE_COLUMN], categories=[*order, TOTAL])
        table = table.sort_values([FIELD, VALUE_COLUMN], ignore_index=True)
        table[VALUE_COLUMN] = table[VALUE_COLUMN].astype(str)
        index_parts.append(
            suppress(
                table,
                counts=["n"],
                base="n",
                group=VALUE_COLUMN,
                dimension=column,
                stats=INDEX_STATS,
                policy=policy,
            )
        )
    if not index_parts:
        return pd.DataFrame(), pd.DataFrame()
    return pd.concat(index_parts, ignore_index=True), pd.concat(size_parts, ignore_index=True)


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


def _responses_table(data: SurveyData, policy: Policy) -> pd.DataFrame:
    """Responses per group and channel (plus total), suppressed."""
    from analysis.privacy import suppress_sets

    counts = data.responses.groupby([GROUP, "channel"], observed=True).size().unstack(fill_value=0)
    counts = counts.reindex(columns=["online", "paper"], fill_value=0)
    counts["n"] = counts.sum(axis=1)
    counts.loc["total"] = counts.sum()
    table = counts.reset_index().rename(columns={"index": GROUP})
    table.columns.name = None
    return suppress_sets(
        table,
        group=GROUP,
        columns={"online": "online", "paper": "paper"},
        column_dimension=CHANNEL,
        base="n",
        policy=policy,
    )


def analyse(
    data: SurveyData,
    baseline: SurveyData | None = None,
    *,
    policy: Policy = DEFAULT_POLICY,
    categories: Mapping[str, Sequence[str]] | None = None,
    method: Method = "holm",
    progress: Progress | None = None,
    filters: Filters | None = None,
    guard: Guard | None = None,
    baseline_guard: Guard | None = None,
) -> AnalysisResult:
    """Compute every table from loaded frames (see :func:`run_full_analysis`).

    ``guard`` (and ``baseline_guard``) decide which sets may be described; they must be built
    from *all* responses of the survey (:func:`survey_guard`). Without one, ``data`` is taken
    to be unfiltered and the guard is built from it.
    """
    step = progress or (lambda _name: None)
    filters = filters or Filters()
    n = len(data.responses)
    if policy.too_few(n):
        return AnalysisResult(data.meta, filters, policy, TOO_FEW, None)
    if guard is None:
        guard = _guard_of(data.responses, data.meta, policy)
    if baseline is not None and baseline_guard is None:
        if filters.describe():
            baseline = None  # a filtered baseline without its survey's guard: not comparable
        else:
            baseline_guard = _guard_of(baseline.responses, baseline.meta, policy)
    if baseline is not None and filters.breakdown is not None:
        baseline = None  # the baseline has its own questions: no breakdown to compare
    base = tuple(sorted(filters.dimensions().items()))
    view = View(guard, base)
    policy = replace(
        policy,
        view=view,
        baseline_view=View(baseline_guard, base) if baseline_guard is not None else None,
    )
    result = AnalysisResult(
        data.meta,
        filters,
        policy,
        OK,
        n if view.described else None,
        baseline.meta if baseline else None,
        guard=guard,
        baseline_guard=baseline_guard,
    )
    answers, meta = data.answers, data.meta
    result.responses = _responses_table(data, policy)
    result.languages, result.languages_by_group = language_tables(data.responses, policy)
    step("scale")
    counts = point_counts(answers, meta)
    result.scale = scale_table(answers, meta, policy, counts)
    result.field_index = field_index(answers, meta, policy)
    result.breakdown_index, result.breakdown_sizes = _breakdown_tables(data, policy)
    result.nonresponse = item_nonresponse(data, policy)
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
    if filters.describe():
        # Lists of comments can be intersected and subtracted as sets, so a filtered list
        # beside the unfiltered one would show which comments a small group wrote.
        return result
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

    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return run_full_analysis(
                conn,
                survey_id,
                filters,
                policy=policy,
                categories=categories,
                method=method,
                progress=progress,
                guards=guards,
            )
    return analyse_survey(
        bind,
        survey_id,
        filters,
        policy=policy,
        categories=categories,
        method=method,
        progress=progress,
        guards=guards,
    )


def run_row_analysis(
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
    """The same analysis from every answer row loaded into pandas (:func:`analyse`): the
    row-based reference the aggregate analysis is tested against, and the path for
    notebooks that want the tidy frames."""
    filters = filters or Filters()
    step = progress or (lambda _name: None)
    step("load")
    data = load_survey(bind, survey_id, filters)
    baseline = None
    if data.meta.baseline_id is not None:
        baseline = load_survey(bind, data.meta.baseline_id, filters)
    if guards is None:
        guards = (
            survey_guard(bind, survey_id, policy, data if not filters.describe() else None),
            survey_guard(bind, data.meta.baseline_id, policy) if baseline is not None else None,
        )
    return analyse(
        data,
        baseline,
        policy=policy,
        categories=categories,
        method=method,
        progress=progress,
        filters=filters,
        guard=guards[0],
        baseline_guard=guards[1],
    )


def survey_guard(
    bind: Engine | Connection,
    survey_id: int | None,
    policy: Policy = DEFAULT_POLICY,
    data: SurveyData | None = None,
) -> Guard | None:
    """Build the guard of a survey from all its responses (``data`` if already loaded)."""
    if survey_id is None:
        return None
    if data is None:
        with bind.connect() if isinstance(bind, Engine) else nullcontext(bind) as conn:
            meta = load_meta(conn, survey_id)
            responses = load_responses(conn, meta, Filters())
        return _guard_of(responses, meta, policy)
    return _guard_of(data.responses, data.meta, policy)


def _guard_of(responses: pd.DataFrame, meta: SurveyMeta, policy: Policy) -> Guard:
    """The guard over target group, channel, language and the breakdown questions."""
    breakdowns = [breakdown_column(k) for k in breakdown_questions(meta)]
    return build_guard(responses, policy, breakdowns=breakdowns)


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
