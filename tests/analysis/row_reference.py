"""The row-based reference of the analysis: every answer row loaded into pandas.

This is the former product path (:func:`analysis.frames.load_survey`, then the tables of
:mod:`analysis.stats`, :mod:`analysis.rankings` and :mod:`analysis.nonresponse` on the long
answer frame). The product computes the same tables from count tables
(:func:`analysis.report.run_full_analysis`); :mod:`tests.analysis.test_aggregates` holds
both paths to the same result, table for table, on random surveys and on the demo.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import replace

import pandas as pd
from sqlalchemy import Connection, Engine

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
    FIELD,
    GROUP,
    ITEM,
    KIND,
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
from analysis.pipeline import responses_table
from analysis.privacy import DEFAULT_POLICY, Policy, suppress
from analysis.questions import date_months, number_parts
from analysis.rankings import importance_performance, ranking_table, strengths_weaknesses
from analysis.report import (
    BREAKDOWN,
    OK,
    TOO_FEW,
    VALUE_COLUMN,
    AnalysisResult,
    Progress,
)
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
    result.responses = responses_table(data.responses, policy)
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
    result.number_parts = number_parts(answers, meta, policy)
    result.date_months = date_months(answers, meta, policy)
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
