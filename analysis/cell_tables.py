"""The tables of :mod:`analysis.report` computed from count tables (:mod:`analysis.aggregates`).

Each function gives the same table as its row-based counterpart in :mod:`analysis.stats`,
:mod:`analysis.rankings`, :mod:`analysis.compare` and :mod:`analysis.nonresponse` (the
tests compare them on random surveys and on the demo), and passes the same suppression.
Scale tables, group and baseline item comparisons need no counterpart: their functions
take a count table as it is (:func:`analysis.stats.point_counts` reads its ``n``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from analysis.aggregates import MULTI_ROW_KINDS
from analysis.columns import (
    DONT_KNOW,
    FIELD,
    GROUP,
    ITEM,
    KIND,
    NONE,
    OPTION,
    QUESTION,
    TOTAL,
    VALUE,
)
from analysis.compare import Method, _publishable, cohen_d, cohen_magnitude, welch_interval
from analysis.meta import SurveyMeta
from analysis.privacy import DEFAULT_POLICY, SUPPRESSED, Policy, suppress
from analysis.rankings import ranking_from_sums
from analysis.stats import INDEX_STATS, complete_options, rows_of_kind

MOMENTS = ["n", "total", "squares"]


def _per_question_respondents(
    rows: pd.DataFrame, respondents: pd.DataFrame, meta: SurveyMeta, column: str
) -> pd.Series:
    """Respondents per (question, group): the rows themselves for one-row kinds, the
    distinct count of ``respondents`` (column ``column``) for multiple choice and ranking."""
    kind = rows[QUESTION].astype(str).map(meta.questions[KIND])
    one_row = rows[~kind.isin(MULTI_ROW_KINDS).to_numpy()]
    parts = [one_row[[QUESTION, GROUP, "n"]]]
    if len(respondents):
        wanted = respondents[QUESTION].astype(str).isin(set(rows[QUESTION].astype(str)))
        many = respondents[wanted.to_numpy() & (respondents[ITEM] == NONE).to_numpy()]
        parts.append(many[[QUESTION, GROUP, column]].rename(columns={column: "n"}))
    both = pd.concat(parts, ignore_index=True)
    for name in (QUESTION, GROUP):
        both[name] = pd.Categorical(both[name], categories=rows[name].cat.categories)
    out = both.groupby([QUESTION, GROUP], observed=True)["n"].sum().rename("respondents")
    return out[out > 0]


def choice_table(
    cells: pd.DataFrame,
    respondents: pd.DataFrame,
    meta: SurveyMeta,
    policy: Policy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """:func:`analysis.stats.choice_table` from counts."""
    rows = rows_of_kind(cells, meta, "choice", "multi", "binary")
    kind = rows[QUESTION].astype(str).map(meta.questions[KIND])
    binary = (kind == "binary").to_numpy()
    yes_no = np.where(rows[VALUE].to_numpy() > 0, "ja", "nein")
    option = np.where(binary, yes_no, rows[OPTION].astype(str).to_numpy())
    who = _per_question_respondents(rows, respondents, meta, "respondents")
    chosen = pd.DataFrame(
        {QUESTION: rows[QUESTION], GROUP: rows[GROUP], OPTION: option, "n": rows["n"]}
    )
    chosen = chosen[chosen[OPTION] != NONE]
    counts = chosen.groupby([QUESTION, OPTION, GROUP], observed=True)["n"].sum().rename("count")
    table = complete_options(counts[counts > 0].reset_index(), who, ["count"])
    table[QUESTION] = table[QUESTION].astype(str)
    table = suppress(table, counts=["count", "respondents"], base="respondents", policy=policy)
    if table.empty:
        return pd.DataFrame(columns=[QUESTION, OPTION, GROUP, "count", "respondents", "share"])
    out = table.drop(columns=[SUPPRESSED])
    out["share"] = out["count"] / out["respondents"]
    out.insert(0, FIELD, out[QUESTION].map(meta.questions[FIELD]))
    return out


def _weighted(values: np.ndarray, weights: np.ndarray) -> tuple[int, float, float, float]:
    """n, mean, median and sample SD of ``values`` observed ``weights`` times."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    n = int(w.sum())
    mean = float((v * w).sum() / n)
    cum = np.cumsum(w)
    low = v[np.searchsorted(cum, (n - 1) // 2, side="right")]
    high = v[np.searchsorted(cum, n // 2, side="right")]
    sd = float(np.sqrt((w * (v - mean) ** 2).sum() / (n - 1))) if n > 1 else np.nan
    return n, mean, float((low + high) / 2), sd


def number_table(
    cells: pd.DataFrame, meta: SurveyMeta, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """:func:`analysis.stats.number_table` from counts (the median from the value counts)."""
    rows = rows_of_kind(cells, meta, "number")
    rows = rows[rows[VALUE].notna()]
    records = []
    for keys in ([QUESTION, GROUP], [QUESTION]):
        for key, part in rows.groupby(keys, observed=True, sort=True):
            n, mean, median, sd = _weighted(
                part[VALUE].to_numpy(dtype=float), part["n"].to_numpy(dtype=float)
            )
            names = key if isinstance(key, tuple) else (key,)
            group = str(names[1]) if len(keys) == 2 else TOTAL
            records.append(
                {QUESTION: names[0], GROUP: group, "n": n, "mean": mean, "median": median, "sd": sd}
            )
    table = pd.DataFrame.from_records(
        records, columns=[QUESTION, GROUP, "n", "mean", "median", "sd"]
    )
    if len(table):
        table[QUESTION] = pd.Categorical(table[QUESTION], categories=rows[QUESTION].cat.categories)
    return suppress(table, counts=["n"], base="n", stats=["mean", "median", "sd"], policy=policy)


def ranking_table(
    cells: pd.DataFrame,
    respondents: pd.DataFrame,
    meta: SurveyMeta,
    policy: Policy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """:func:`analysis.rankings.ranking_table` from counts."""
    rows = rows_of_kind(cells, meta, "ranking")
    rows = rows[rows[VALUE].notna() & (rows[OPTION] != NONE)]
    per_code = meta.questions["rank_count"].reindex(rows[QUESTION].cat.categories)
    places = per_code.to_numpy(dtype=float)[rows[QUESTION].cat.codes.to_numpy()]
    n = rows["n"].to_numpy(dtype=float)
    value = rows[VALUE].to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            QUESTION: rows[QUESTION],
            OPTION: rows[OPTION],
            GROUP: rows[GROUP],
            "rank_sum": value * n,
            "ranked": n,
            "top3": (value <= 3) * n,
            "points": (places - value + 1) * n,
        }
    )
    sums = frame.groupby([QUESTION, OPTION, GROUP], observed=True)[
        ["rank_sum", "ranked", "top3", "points"]
    ].sum()
    who = _per_question_respondents(rows, respondents, meta, "answering")
    return ranking_from_sums(sums, who, meta, policy)


def summarise(moments: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """:func:`analysis.stats.summarise` from per-respondent moments (n, total, squares)."""
    sums = moments.groupby(keys, observed=True)[MOMENTS].sum()
    sums = sums[sums["n"] > 0]
    n = sums["n"].to_numpy(dtype=float)
    mean = sums["total"].to_numpy() / n
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.where(n > 1, (sums["squares"].to_numpy() - n * mean**2) / (n - 1), np.nan)
    sd = np.sqrt(np.clip(var, 0, None))
    out = pd.DataFrame({"n": sums["n"].astype(np.int64), "mean": mean, "sd": sd}, index=sums.index)
    half = sps.t.ppf(0.975, np.maximum(out["n"] - 1, 1)) * out["sd"] / np.sqrt(out["n"])
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    return out


def field_index(moments: pd.DataFrame, policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """:func:`analysis.stats.field_index` from per-respondent moments."""
    per_group = summarise(moments, [FIELD, GROUP]).reset_index()
    total = summarise(moments, [FIELD]).reset_index()
    total[GROUP] = TOTAL
    table = pd.concat([per_group.astype({GROUP: str, FIELD: str}), total.astype({FIELD: str})])
    table = table.rename(columns={"mean": "index"}).sort_values([FIELD, GROUP], ignore_index=True)
    table = suppress(table, counts=["n"], base="n", stats=INDEX_STATS, policy=policy)
    return table[[FIELD, GROUP, "n", *INDEX_STATS, "suppressed"]]


def welch_p(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """:func:`analysis.compare.welch_p` from (mean, variance, n) of each sample."""
    (mean_a, var_a, n_a), (mean_b, var_b, n_b) = a, b
    va, vb = var_a / n_a, var_b / n_b
    diff = mean_a - mean_b
    if va + vb <= 1e-12 * max(1.0, abs(mean_a), abs(mean_b)) ** 2:
        return 0.0 if abs(diff) > 1e-9 else 1.0
    dof = (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1))
    return float(2 * sps.t.sf(abs(diff) / np.sqrt(va + vb), dof))


def baseline_index(
    now: pd.DataFrame,
    then: pd.DataFrame,
    per_field: dict[str, int],
    policy: Policy = DEFAULT_POLICY,
    method: Method = "holm",
) -> pd.DataFrame:
    """:func:`analysis.compare.baseline_index` from the moments of both surveys over the
    items they share (:func:`analysis.aggregates.index_moments` with ``pairs``)."""
    sides = {}
    for name, frame in (("now", now), ("then", then)):
        per_group = summarise(frame, [FIELD, GROUP]).reset_index().astype({GROUP: str})
        total = summarise(frame, [FIELD]).reset_index().assign(**{GROUP: TOTAL})
        both = pd.concat([per_group, total], ignore_index=True).astype({FIELD: str})
        sides[name] = {(r[FIELD], r[GROUP]): r for r in both.to_dict("records")}
    records = []
    for field, group in sorted(set(sides["now"]) | set(sides["then"])):
        a, b = sides["now"].get((field, group)), sides["then"].get((field, group))
        n_a, n_b = (int(x["n"]) if x else 0 for x in (a, b))
        mean_a = float(a["mean"]) if a else np.nan
        mean_b = float(b["mean"]) if b else np.nan
        testable = min(n_a, n_b) >= policy.min_cell
        p, d, ci = np.nan, np.nan, (np.nan, np.nan)
        if testable and a and b:
            var_a, var_b = float(a["sd"]) ** 2, float(b["sd"]) ** 2
            p = welch_p((mean_a, var_a, n_a), (mean_b, var_b, n_b))
            moments = (mean_a, var_a, n_a, mean_b, var_b, n_b)
            ci, d = welch_interval(*moments), cohen_d(*moments)
        records.append(
            {
                FIELD: field,
                GROUP: group,
                "items_shared": per_field.get(field, 0),
                "n_then": n_b,
                "n_now": n_a,
                "index_then": mean_b,
                "index_now": mean_a,
                "change": mean_a - mean_b if testable else np.nan,
                "ci_low": ci[0],
                "ci_high": ci[1],
                "test": "welch_t",
                "p": p,
                "effect": d,
            }
        )
    table = _publishable(pd.DataFrame.from_records(records), policy, method)
    if not table.empty:
        table["magnitude"] = table["effect"].map(cohen_magnitude)
    return table


__all__ = [
    "DONT_KNOW",
    "baseline_index",
    "choice_table",
    "field_index",
    "number_table",
    "ranking_table",
    "summarise",
]
