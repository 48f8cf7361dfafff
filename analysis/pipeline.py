"""The full analysis of a survey from count tables the database computes.

The count tables come from :mod:`analysis.aggregates`.

Same result as the former analysis of the loaded rows, table for table (the tests hold both
to it on random surveys and on the demo, with that analysis kept as their reference in
``tests/analysis/row_reference.py``), but reading only count tables, one per-respondent
aggregate for the Handlungsfeld index and the free text. Disclosure control
happens in the one place it always does: the guard is built from the atoms (respondents per
combination of target group, channel, language and breakdown answers) and every table passes
:func:`analysis.privacy.suppress` under the view of the active filters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from analysis import cell_tables
from analysis.aggregates import (
    index_moments,
    load_atoms,
    load_cells,
    load_respondents,
    load_texts_streamed,
    responses_from_atoms,
    select_atoms,
)
from analysis.columns import (
    CHANNEL,
    FIELD,
    GROUP,
    ITEM,
    OPTION,
    QUESTION,
    TOTAL,
    VALUE,
)
from analysis.compare import (
    Method,
    baseline_items,
    baseline_left_out,
    choice_differences,
    group_differences,
    index_pairs,
)
from analysis.disclosure import BASE_DIMENSIONS, Guard, View, candidates_of
from analysis.frames import (
    Filters,
    SurveyData,
    breakdown_column,
    breakdown_questions,
    load_answers,
    load_responses,
)
from analysis.languages import language_tables
from analysis.meta import SurveyMeta, load_meta
from analysis.nonresponse_cells import item_nonresponse_cells
from analysis.polarity import merged_polarity
from analysis.privacy import (
    DEFAULT_POLICY,
    SUPPRESSED,
    Policy,
    suppress,
    suppress_sets,
)
from analysis.questions import month_table
from analysis.rankings import importance_performance, strengths_weaknesses
from analysis.report import (
    BREAKDOWN,
    OK,
    TOO_FEW,
    VALUE_COLUMN,
    AnalysisResult,
    Progress,
)
from analysis.stats import INDEX_STATS, point_counts, rows_of_kind, scale_table
from analysis.text import TextTables, code_keywords, text_tables


def responses_table(responses: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Responses per group and channel (plus total), suppressed."""
    counts = responses.groupby([GROUP, CHANNEL], observed=True).size().unstack(fill_value=0)
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


def number_parts_of_cells(
    cells: pd.DataFrame, meta: SurveyMeta, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """:func:`analysis.questions.number_parts` from the value counts: n, mean, median and
    sum of each number of the multiple number entries (per item) and number matrices (per
    item and column), per group and in total, suppressed like every other table."""
    rows = rows_of_kind(cells, meta, "multinumber", "numbermatrix")
    rows = rows[rows[VALUE].notna()]
    keys = [QUESTION, ITEM, OPTION]
    records = []
    for by in ([*keys, GROUP], keys):
        for key, part in rows.groupby(by, observed=True, sort=True):
            values = part[VALUE].to_numpy(dtype=float)
            weights = part["n"].to_numpy(dtype=float)
            n, mean, median, _sd = cell_tables._weighted(values, weights)
            names = key if isinstance(key, tuple) else (key,)
            records.append(
                {
                    QUESTION: str(names[0]),
                    ITEM: str(names[1]),
                    OPTION: str(names[2]),
                    GROUP: str(names[3]) if len(by) == 4 else TOTAL,
                    "n": n,
                    "mean": mean,
                    "median": median,
                    "sum": float((values * weights).sum()),
                }
            )
    columns = [QUESTION, ITEM, OPTION, GROUP, "n", "mean", "median", "sum"]
    table = pd.DataFrame.from_records(records, columns=columns)
    return suppress(
        table, counts=["n"], base="n", stats=["mean", "median", "sum"], policy=policy
    ).drop(columns=[SUPPRESSED])


def date_months_of_cells(
    cells: pd.DataFrame, meta: SurveyMeta, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """:func:`analysis.questions.date_months` from the value counts: answers per month
    ("2024-03") of the date questions (the value is the day number since 1970-01-01), per
    group and in total, with the share of the group's answers."""
    rows = rows_of_kind(cells, meta, "date")
    rows = rows[rows[VALUE].notna()]
    columns = [QUESTION, GROUP, "month", "count", "respondents", "share"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    months = pd.to_datetime(rows[VALUE].astype("int64"), unit="D").dt.strftime("%Y-%m")
    frame = pd.DataFrame(
        {
            QUESTION: rows[QUESTION].astype(str).to_numpy(),
            GROUP: rows[GROUP].astype(str).to_numpy(),
            "month": months.to_numpy(),
            "n": rows["n"].to_numpy(dtype=np.int64),
        }
    )
    return month_table(frame, policy)


def guard_of_atoms(atoms: pd.DataFrame, meta: SurveyMeta, policy: Policy) -> Guard:
    """The guard over target group, channel, language and the breakdown questions, from the
    atoms of all responses (the same guard :func:`analysis.disclosure.build_guard` builds
    from one row per response)."""
    split = [breakdown_column(k) for k in breakdown_questions(meta)]
    present = [d for d in BASE_DIMENSIONS if d in atoms.columns]
    columns = [*present, *[b for b in split if b in atoms.columns]]
    if atoms.empty or int(atoms["n"].sum()) == 0:
        return Guard(pd.DataFrame(columns=columns), np.zeros(0), [], policy)
    keys = atoms[columns].astype(str).fillna("")
    merged = keys.assign(n=atoms["n"].to_numpy()).groupby(columns, sort=False)["n"].sum()
    frame = merged.reset_index()
    counts = frame["n"].to_numpy(dtype=np.int64)
    frame = frame[columns]
    return Guard(frame, counts, candidates_of(frame, present, counts, split), policy)


def _breakdown_tables(
    moments: pd.DataFrame, atoms: pd.DataFrame, meta: SurveyMeta, policy: Policy
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Index per Handlungsfeld and respondents per value of every breakdown question, from
    the index moments and the atoms.

    Each row describes the filters' set narrowed to one value; the guard decides as for any
    row (:mod:`analysis.disclosure`), so a Stadtteil with few answers is never shown, nor one
    that the others and the total would give away.
    """
    index_parts, size_parts = [], []
    for key in breakdown_questions(meta):
        column = breakdown_column(key)
        if column not in atoms.columns:
            continue
        options = meta.options[meta.options[QUESTION] == key]
        order = [str(o) for o in options.sort_values("position")["option"]]
        sizes = atoms.groupby(atoms[column].astype(str))["n"].sum()
        size = pd.DataFrame(
            {
                BREAKDOWN: key,
                VALUE_COLUMN: [*order, TOTAL],
                "n": [int(sizes.get(v, 0)) for v in order] + [int(atoms["n"].sum())],
            }
        )
        size_parts.append(
            suppress(size, counts=[], base="n", group=VALUE_COLUMN, dimension=column, policy=policy)
        )
        by_value = moments.assign(**{VALUE_COLUMN: moments[column].astype(str)})
        by_value[FIELD] = pd.Categorical(by_value[FIELD], categories=["", *meta.fields.index])
        chosen = by_value[by_value[VALUE_COLUMN] != ""]
        per_value = cell_tables.summarise(chosen, [FIELD, VALUE_COLUMN])
        total = cell_tables.summarise(by_value, [FIELD]).reset_index()
        total = total.assign(**{VALUE_COLUMN: TOTAL})
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


def _shared_per_field(
    meta: SurveyMeta, baseline_meta: SurveyMeta
) -> tuple[set[tuple[str, str]], dict[str, int]]:
    shared = index_pairs(meta) & index_pairs(baseline_meta)
    per_field: dict[str, int] = {}
    for question, _item in shared:
        key = str(meta.questions.at[question, FIELD])
        per_field[key] = per_field.get(key, 0) + 1
    return shared, per_field


#: The baseline's cells, the shared items, their number per field, and the index moments
#: of both surveys over the shared items.
_BaselineCounts = tuple[
    pd.DataFrame, set[tuple[str, str]], dict[str, int], pd.DataFrame, pd.DataFrame
]


T = TypeVar("T")

#: Opens a connection of its own to the analysed database (``Engine.connect``).
Connect = Callable[[], AbstractContextManager[Connection]]


def _baseline_counts(
    conn: Connection, meta: SurveyMeta, baseline_meta: SurveyMeta, filters: Filters
) -> tuple[pd.DataFrame, _BaselineCounts | None]:
    """The baseline's atoms (for its guard and the check for baseline answers, read once)
    and, when the filters leave it any respondents, its count tables over the shared items."""
    baseline_atoms = load_atoms(conn, baseline_meta)
    if filters.breakdown is not None or not int(select_atoms(baseline_atoms, filters)["n"].sum()):
        return baseline_atoms, None
    shared, per_field = _shared_per_field(meta, baseline_meta)
    then = (
        load_cells(conn, baseline_meta, filters),
        shared,
        per_field,
        index_moments(conn, merged_polarity(meta, baseline_meta), filters, shared),
        index_moments(conn, merged_polarity(baseline_meta, meta), filters, shared),
    )
    return baseline_atoms, then


def _on_own_connection(connect: Connect, read: Callable[..., T], *args: Any) -> T:
    """``read(conn, *args)`` on a connection of its own, closed when it returns."""
    with connect() as conn:
        return read(conn, *args)


def _texts_on_own_connection(
    connect: Connect, meta: SurveyMeta, filters: Filters, policy: Policy, notes: bool
) -> TextTables:
    """The text tables, counted after the texts' connection is closed again."""
    texts = _on_own_connection(connect, load_texts_streamed, meta, filters)
    return text_tables(texts, policy, notes=notes)


def analyse_survey(
    conn: Connection,
    survey_id: int,
    filters: Filters | None = None,
    *,
    policy: Policy = DEFAULT_POLICY,
    categories: Mapping[str, Sequence[str]] | None = None,
    method: Method = "holm",
    progress: Progress | None = None,
    guards: tuple[Guard | None, Guard | None] | None = None,
    connect: Connect | None = None,
) -> AnalysisResult:
    """Every table of :class:`AnalysisResult` from the database's count tables (see
    :func:`analysis.report.run_full_analysis` for the arguments).

    ``connect`` opens another connection to the same database: the baseline's count
    queries then run on it while ``conn`` runs the survey's own (without it, one after
    the other on ``conn``, e.g. inside a caller's transaction).
    """
    filters = filters or Filters()
    step = progress or (lambda _name: None)
    step("load")
    meta = load_meta(conn, survey_id)
    everyone = load_atoms(conn, meta)
    atoms = select_atoms(everyone, filters)
    n = int(atoms["n"].sum())
    if policy.too_few(n):
        return AnalysisResult(meta, filters, policy, TOO_FEW, None)
    baseline_meta = load_meta(conn, meta.baseline_id) if meta.baseline_id is not None else None
    guard = guards[0] if guards is not None else None
    baseline_guard = guards[1] if guards is not None else None
    # The guard's search and the baseline's count queries (on a connection of their own) go
    # beside the survey's own count queries, which wait on the database. HiGHS holds the
    # interpreter lock while it solves, so the search overlaps only that waiting, not the
    # Python work that follows (measured: a busy thread beside it runs serially).
    pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="analysis")
    try:
        pending = pool.submit(guard_of_atoms, everyone, meta, policy) if guard is None else None
        baseline = (
            pool.submit(_on_own_connection, connect, _baseline_counts, meta, baseline_meta, filters)
            if connect is not None and baseline_meta is not None
            else None
        )
        # Lists of comments can be intersected and subtracted as sets, so a filtered list
        # beside the unfiltered one would show which comments a small group wrote: no texts.
        # Read and counted on a connection of their own, the texts' tokenising goes beside
        # the count queries, which wait on the database.
        reading = (
            pool.submit(_texts_on_own_connection, connect, meta, filters, policy, bool(categories))
            if connect is not None and not filters.describe()
            else None
        )
        step("scale")
        cells = load_cells(conn, meta, filters)
        respondents = load_respondents(conn, meta, filters)
        moments = index_moments(conn, meta, filters)
        texts: TextTables | None = None
        if reading is not None:
            texts = reading.result()
        elif not filters.describe():
            texts = text_tables(
                load_texts_streamed(conn, meta, filters), policy, notes=bool(categories)
            )
        if baseline is not None:
            baseline_atoms, then = baseline.result()
        elif baseline_meta is not None:
            baseline_atoms, then = _baseline_counts(conn, meta, baseline_meta, filters)
        else:
            baseline_atoms, then = None, None
        if pending is not None:
            guard = pending.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    assert guard is not None
    if baseline_meta is not None and baseline_atoms is not None and baseline_guard is None:
        baseline_guard = guard_of_atoms(baseline_atoms, baseline_meta, policy)
    if filters.breakdown is not None:
        baseline_meta = None  # the baseline has its own questions: no breakdown to compare
    base = tuple(sorted(filters.dimensions().items()))
    view = View(guard, base)
    policy = replace(
        policy,
        view=view,
        baseline_view=View(baseline_guard, base) if baseline_guard is not None else None,
    )
    result = AnalysisResult(
        meta,
        filters,
        policy,
        OK,
        n if view.described else None,
        baseline_meta,
        guard=guard,
        baseline_guard=baseline_guard,
    )
    responses = responses_from_atoms(atoms)
    result.responses = responses_table(responses, policy)
    result.languages, result.languages_by_group = language_tables(responses, policy)
    del responses
    counts = point_counts(cells, meta)
    result.scale = scale_table(cells, meta, policy, counts)
    result.field_index = cell_tables.field_index(moments, policy)
    result.breakdown_index, result.breakdown_sizes = _breakdown_tables(moments, atoms, meta, policy)

    def rows(keys: set[str]) -> SurveyData:
        frame = load_responses(conn, meta, filters)
        answers = load_answers(conn, meta, frame, filters, sorted(keys))
        return SurveyData(meta=meta, responses=frame, answers=answers)

    result.nonresponse = item_nonresponse_cells(meta, atoms, cells, respondents, policy, rows)
    step("choices")
    result.choices = cell_tables.choice_table(cells, respondents, meta, policy)
    result.numbers = cell_tables.number_table(cells, meta, policy)
    result.number_parts = number_parts_of_cells(cells, meta, policy)
    result.date_months = date_months_of_cells(cells, meta, policy)
    step("rankings")
    result.rankings = cell_tables.ranking_table(cells, respondents, meta, policy)
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
    result.group_differences = group_differences(cells, meta, policy, method, counts, visible)
    result.choice_differences = choice_differences(result.choices, meta, method)
    if baseline_meta is not None and then is not None:
        step("baseline")
        then_cells, _shared, per_field, now_moments, then_moments = then
        result.baseline_items = baseline_items(
            cells, meta, then_cells, baseline_meta, policy, method
        )
        result.baseline_index = cell_tables.baseline_index(
            now_moments, then_moments, per_field, policy, method
        )
        result.baseline_left_out = baseline_left_out(meta, baseline_meta)
    step("text")
    if texts is None:
        return result
    result.words, result.bigrams = texts.words, texts.bigrams
    result.comments, result.other_texts = texts.comments, texts.other_texts
    if categories:
        result.keywords = code_keywords(texts.notes, categories, policy=policy)
    return result


__all__ = ["CHANNEL", "analyse_survey", "guard_of_atoms", "responses_table"]
