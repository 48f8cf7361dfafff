"""Group differences and baseline comparison with significance tests and effect sizes.

Ordinal items are compared with the Mann-Whitney U test computed from category counts (exact
tie handling, normal approximation with continuity correction - the same numbers as
``scipy.stats.mannwhitneyu`` on the expanded data, but O(points) instead of O(n log n));
the effect size is the rank-biserial correlation. Single-choice and yes/no questions use a
chi-square test with Cramér's V. p-values are corrected for multiple testing (Holm by
default, Benjamini-Hochberg on request). Tests run only for groups of at least ``min_cell``.
"""

from __future__ import annotations

from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats as sps

from analysis.frames import FIELD, GROUP, ITEM, NONE, OPTION, QUESTION, TOTAL, SurveyMeta
from analysis.polarity import Pair, merged_polarity, pair_mask, reversed_pairs, scored_counts
from analysis.privacy import DEFAULT_POLICY, Policy, suppress
from analysis.stats import point_counts, response_scores

Method = Literal["holm", "bh"]
ALPHA = 0.05


def mann_whitney_counts(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Mann-Whitney U from counts per ordered category: return (U of ``a``, p, rank-biserial).

    The rank-biserial correlation is ``2U/(n_a n_b) - 1``: positive when ``a`` tends higher.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n1, n2 = a.sum(), b.sum()
    t = a + b
    big_n = n1 + n2
    ranks = np.cumsum(t) - t + (t + 1) / 2  # mid-ranks of each category
    u1 = float((a * ranks).sum() - n1 * (n1 + 1) / 2)
    mu = n1 * n2 / 2
    tie = (t**3 - t).sum() / (big_n * (big_n - 1)) if big_n > 1 else 0.0
    var = n1 * n2 / 12 * ((big_n + 1) - tie)
    if var <= 0:
        return u1, 1.0, 0.0
    z = (abs(u1 - mu) - 0.5) / np.sqrt(var)
    p = float(min(1.0, 2 * sps.norm.sf(max(z, 0.0))))
    return u1, p, float(2 * u1 / (n1 * n2) - 1)


def welch_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided p-value of Welch's t-test; constant samples give 0 (differ) or 1 (equal)."""
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    diff = float(a.mean() - b.mean())
    if va + vb == 0:
        return 0.0 if diff != 0 else 1.0
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return float(2 * sps.t.sf(abs(diff) / np.sqrt(va + vb), dof))


def welch_interval(
    mean_a: float, var_a: float, n_a: float, mean_b: float, var_b: float, n_b: float
) -> tuple[float, float]:
    """95 % Welch confidence interval of ``mean_a - mean_b`` (unequal variances)."""
    va, vb = var_a / n_a, var_b / n_b
    diff = mean_a - mean_b
    if va + vb == 0:
        return diff, diff
    dof = (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1))
    half = float(sps.t.ppf(0.975, dof) * np.sqrt(va + vb))
    return diff - half, diff + half


def cohen_d(
    mean_a: float, var_a: float, n_a: float, mean_b: float, var_b: float, n_b: float
) -> float:
    """Cohen's d of ``a - b`` with the pooled standard deviation (0 when both are constant)."""
    pooled = np.sqrt(((n_a - 1) * var_a + (n_b - 1) * var_b) / (n_a + n_b - 2))
    return float((mean_a - mean_b) / pooled) if pooled > 0 else 0.0


def _moments(grid: np.ndarray, counts: np.ndarray) -> tuple[float, float, float]:
    """Mean, sample variance and n of values ``grid`` observed ``counts`` times."""
    n = float(counts.sum())
    mean = float((grid * counts).sum() / n)
    var = float((counts * (grid - mean) ** 2).sum() / (n - 1)) if n > 1 else 0.0
    return mean, var, n


def holm(p: np.ndarray) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values (family-wise error rate)."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    m = len(p)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (false discovery rate)."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p)[::-1]
    adjusted = np.minimum.accumulate(p[order] * m / np.arange(m, 0, -1))
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def adjust(p: pd.Series, method: Method = "holm") -> pd.Series:
    """Return p-values corrected for multiple testing (``holm`` or ``bh``), NaN kept."""
    mask = p.notna().to_numpy()
    out = np.full(len(p), np.nan)
    if mask.any():
        func = holm if method == "holm" else benjamini_hochberg
        out[mask] = func(p.to_numpy(dtype=float)[mask])
    return pd.Series(out, index=p.index)


def magnitude(effect: float) -> str:
    """Classify an effect size (|r| or V) as ``negligible``, ``small``, ``medium``, ``large``."""
    return _size_class(effect, (0.1, 0.3, 0.5))


def cohen_magnitude(d: float) -> str:
    """Classify Cohen's d with the usual thresholds 0.2 / 0.5 / 0.8."""
    return _size_class(d, (0.2, 0.5, 0.8))


def _size_class(effect: float, thresholds: tuple[float, float, float]) -> str:
    """Name the size of ``|effect|`` by the lower bounds of ``small``, ``medium``, ``large``."""
    size = abs(effect)
    small, medium, large = thresholds
    return (
        "large"
        if size >= large
        else "medium"
        if size >= medium
        else "small"
        if size >= small
        else "negligible"
    )


def _finish(table: pd.DataFrame, method: Method) -> pd.DataFrame:
    if table.empty:
        return table
    table = table[table["p"].notna()].reset_index(drop=True)
    table["p_adjusted"] = adjust(table["p"], method)
    table["significant"] = table["p_adjusted"] < ALPHA
    table["magnitude"] = table["effect"].map(magnitude)
    return table


def group_differences(
    answers: pd.DataFrame,
    meta: SurveyMeta,
    policy: Policy = DEFAULT_POLICY,
    method: Method = "holm",
    counts: pd.DataFrame | None = None,
    visible: set[tuple[str, str, str]] | None = None,
) -> pd.DataFrame:
    """Compare target groups on every scale item (pairwise Mann-Whitney U).

    Returns one row per question, item and pair of groups: n and 0-100 score of each group,
    difference, U, p, corrected p, rank-biserial effect, magnitude and ``significant``.
    ``counts`` (from :func:`analysis.stats.point_counts`) saves recounting. ``visible``
    (question, item, group) limits the tests to groups whose n the scale table shows, so a
    test never publishes an n that secondary suppression hid. Reversed items are compared
    on mirrored points, so a positive difference always means "group A fares better".
    """
    counts = point_counts(answers, meta) if counts is None else counts
    counts = scored_counts(counts, meta)
    point_cols = [c for c in counts.columns if c.startswith("count_") and c != "count_dk"]
    points = meta.questions["points"].to_dict()
    records = []
    for (question, item), block in counts.groupby([QUESTION, ITEM], observed=True):
        k = int(points[str(question)])
        by_group = {
            str(g): r[point_cols].to_numpy(dtype=float)
            for g, r in block.set_index(GROUP)[point_cols].iterrows()
        }
        valid = {
            g: c
            for g, c in by_group.items()
            if c.sum() >= policy.min_cell
            and (visible is None or (str(question), str(item), g) in visible)
        }
        for ga, gb in combinations(sorted(valid, key=list(meta.groups.index).index), 2):
            a, b = valid[ga], valid[gb]
            u, p, effect = mann_whitney_counts(a, b)
            score = [
                float(((c * np.arange(1, len(c) + 1)).sum() / c.sum() - 1) / (k - 1) * 100)
                for c in (a, b)
            ]
            records.append(
                {
                    FIELD: meta.questions.at[str(question), FIELD],
                    QUESTION: str(question),
                    ITEM: str(item),
                    "group_a": ga,
                    "group_b": gb,
                    "n_a": int(a.sum()),
                    "n_b": int(b.sum()),
                    "score_a": score[0],
                    "score_b": score[1],
                    "difference": score[0] - score[1],
                    "test": "mann_whitney",
                    "statistic": u,
                    "p": p,
                    "effect": effect,
                }
            )
    return _finish(pd.DataFrame.from_records(records), method)


def choice_differences(
    choices: pd.DataFrame, meta: SurveyMeta, method: Method = "holm"
) -> pd.DataFrame:
    """Chi-square tests of target group against answer, with Cramér's V.

    Single choice and yes/no: one group x option table per question. Multiple choice: per
    option, group x (chosen, not chosen) - a respondent may choose several options. Takes
    :func:`analysis.stats.choice_table` output (suppressed cells excluded, so a test only
    uses published numbers). Returns question, option, groups, chi2, p, corrected p, V.
    """
    records = []
    kinds = meta.questions["kind"]
    tables: list[tuple[str, str, pd.DataFrame]] = []
    for question, part in choices[choices[GROUP] != TOTAL].groupby(QUESTION):
        if kinds.get(str(question)) == "multi":
            for option, rows in part.groupby(OPTION):
                shown = rows.dropna(subset=["count", "respondents"]).set_index(GROUP)
                chosen = shown["count"].astype(float)
                table = pd.DataFrame({"ja": chosen, "nein": shown["respondents"] - chosen})
                tables.append((str(question), str(option), table.astype(float)))
        else:
            table = part.pivot_table(index=GROUP, columns=OPTION, values="count", aggfunc="sum")
            tables.append((str(question), NONE, table.dropna().astype(float)))
    for question, option, table in tables:
        table = table.loc[table.sum(axis=1) > 0, table.sum() > 0]
        if table.shape[0] < 2 or table.shape[1] < 2:
            continue
        chi2, p, dof, _ = sps.chi2_contingency(table.to_numpy())
        total = table.to_numpy().sum()
        v = float(np.sqrt(chi2 / (total * (min(table.shape) - 1))))
        records.append(
            {
                FIELD: meta.questions.at[question, FIELD],
                QUESTION: question,
                OPTION: option,
                "groups": ",".join(map(str, table.index)),
                "n": int(total),
                "test": "chi_square",
                "statistic": float(chi2),
                "dof": int(dof),
                "p": float(p),
                "effect": v,
            }
        )
    return _finish(pd.DataFrame.from_records(records), method)


def _scores_with_total(answers: pd.DataFrame, meta: SurveyMeta) -> pd.DataFrame:
    """Counts per question, item, group (plus total) on the 0-100 score of each point
    (reversed items mirrored)."""
    counts = scored_counts(point_counts(answers, meta), meta)
    point_cols = [c for c in counts.columns if c.startswith("count_") and c != "count_dk"]
    long = counts.melt(
        id_vars=[QUESTION, ITEM, GROUP], value_vars=point_cols, var_name="p", value_name="count"
    )
    long["p"] = long["p"].str.removeprefix("count_").astype(int)
    k = long[QUESTION].astype(str).map(meta.questions["points"]).astype(float)
    long = long[long["p"] <= k]
    long["score"] = (long["p"] - 1) / (k[long.index] - 1) * 100
    long = long.astype({QUESTION: str, ITEM: str, GROUP: str})
    total = long.groupby([QUESTION, ITEM, "score"])["count"].sum().reset_index()
    total[GROUP] = TOTAL
    return pd.concat([long[[QUESTION, ITEM, GROUP, "score", "count"]], total], ignore_index=True)


#: Scores (ascending) and their counts.
ScoreCounts = tuple[np.ndarray, np.ndarray]
_NO_SCORES: ScoreCounts = (np.zeros(0), np.zeros(0))


def _cells_by_score(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[str, ...], ScoreCounts]:
    """Counts per score of each (question, item, group), from one group-by."""
    sums = frame.groupby([*keys, "score"], sort=True)["count"].sum()
    out: dict[tuple[str, ...], ScoreCounts] = {}
    if sums.empty:
        return out
    index = sums.index
    cell = list(zip(*(index.get_level_values(k) for k in keys), strict=True))
    scores = index.get_level_values("score").to_numpy(dtype=float)
    values = sums.to_numpy(dtype=float)
    starts = [0] + [i for i in range(1, len(cell)) if cell[i] != cell[i - 1]] + [len(cell)]
    for begin, end in zip(starts, starts[1:], strict=False):
        out[tuple(str(x) for x in cell[begin])] = (scores[begin:end], values[begin:end])
    return out


def baseline_items(
    current: pd.DataFrame,
    current_meta: SurveyMeta,
    baseline: pd.DataFrame,
    baseline_meta: SurveyMeta,
    policy: Policy = DEFAULT_POLICY,
    method: Method = "holm",
) -> pd.DataFrame:
    """Compare scale items shared by question key and item key with the baseline survey.

    Both surveys are put on a 0-100 score (so a 4-point and a 5-point scale compare), per
    group and in total. Returns n and score then and now, change with its 95 % Welch
    interval (``ci_low``, ``ci_high``), Cohen's d (``cohen_d``), Mann-Whitney p, corrected p,
    rank-biserial effect and ``significant``; pairs with fewer than ``min_cell`` answers are
    left out. An item reversed in either survey is scored reversed in both.
    """
    now = _scores_with_total(current, merged_polarity(current_meta, baseline_meta))
    then = _scores_with_total(baseline, merged_polarity(baseline_meta, current_meta))
    shared = now[[QUESTION, ITEM]].drop_duplicates().merge(then[[QUESTION, ITEM]].drop_duplicates())
    records = []
    keys = [QUESTION, ITEM, GROUP]
    now_cells, then_cells = _cells_by_score(now, keys), _cells_by_score(then, keys)
    groups = sorted({str(k[2]) for k in now_cells})
    for row in shared.itertuples(index=False):
        for group in groups:
            cell = (row[0], row[1], group)
            (a_scores, a), (b_scores, b) = (
                now_cells.get(cell, _NO_SCORES),
                then_cells.get(cell, _NO_SCORES),
            )
            if a.sum() == 0 and b.sum() == 0:
                continue
            # Both surveys' counts on the union of their scores (plain arrays: this loop
            # runs for every item and group).
            grid = np.union1d(a_scores, b_scores)
            ca, cb = np.zeros(len(grid)), np.zeros(len(grid))
            ca[np.searchsorted(grid, a_scores)] = a
            cb[np.searchsorted(grid, b_scores)] = b
            p, effect, d, ci = np.nan, np.nan, np.nan, (np.nan, np.nan)
            if min(ca.sum(), cb.sum()) >= policy.min_cell:
                _, p, effect = mann_whitney_counts(ca, cb)
                moments = (*_moments(grid, ca), *_moments(grid, cb))
                ci, d = welch_interval(*moments), cohen_d(*moments)
            with np.errstate(divide="ignore", invalid="ignore"):
                score_now = float((grid * ca).sum() / ca.sum())
                score_then = float((grid * cb).sum() / cb.sum())
            records.append(
                {
                    FIELD: current_meta.questions.at[row[0], FIELD],
                    QUESTION: row[0],
                    ITEM: row[1],
                    GROUP: group,
                    "n_then": int(cb.sum()),
                    "n_now": int(ca.sum()),
                    "score_then": score_then,
                    "score_now": score_now,
                    "change": score_now - score_then,
                    "ci_low": ci[0],
                    "ci_high": ci[1],
                    "cohen_d": d,
                    "test": "mann_whitney",
                    "p": p,
                    "effect": effect,
                }
            )
    return _publishable(pd.DataFrame.from_records(records), policy, method)


_CHANGE_STATS = [
    "score_then",
    "score_now",
    "index_then",
    "index_now",
    "change",
    "ci_low",
    "ci_high",
    "cohen_d",
    "p",
    "effect",
]


def _publishable(table: pd.DataFrame, policy: Policy, method: Method) -> pd.DataFrame:
    """Hide rows whose set may not be described now or then (each survey has its own
    guard), drop what cannot be shown and correct the p-values of the tests that remain."""
    if table.empty:
        return table
    stats = [c for c in _CHANGE_STATS if c in table.columns]
    now = suppress(table, counts=[], base="n_now", stats=stats, policy=policy)
    then = suppress(table, counts=[], base="n_then", policy=policy, baseline=True)
    table = now.assign(n_then=then["n_then"])
    hidden = table["n_then"].isna() | table["n_now"].isna()
    for column in stats:
        table[column] = table[column].mask(hidden)
    return _finish(table.drop(columns=["suppressed"]), method)


def index_pairs(meta: SurveyMeta) -> set[Pair]:
    """Return the (question, item) pairs that enter a survey's Handlungsfeld index.

    Satisfaction scale questions (or scale questions without a role) in a Handlungsfeld;
    item ``NONE`` stands for a single Likert question.
    """
    questions = meta.questions
    eligible = questions.index[
        (questions["kind"] == "scale")
        & (questions[FIELD] != NONE)
        & questions["role"].isin(["satisfaction", NONE])
    ]
    items = meta.items
    pairs: set[Pair] = set()
    for question in eligible:
        own = items[items[QUESTION] == question] if len(items) else items
        if len(own):
            pairs |= {(str(question), str(item)) for item in own[ITEM]}
        else:
            pairs.add((str(question), NONE))
    return pairs


def _wording(meta: SurveyMeta, question: str, item: str) -> str:
    items = meta.items
    if item != NONE and len(items):
        match = items[(items[QUESTION] == question) & (items[ITEM] == item)]
        if len(match):
            return str(match["text"].iloc[0])
    return str(meta.questions.at[question, "text"])


def baseline_left_out(current_meta: SurveyMeta, baseline_meta: SurveyMeta) -> pd.DataFrame:
    """Return the index items that only one survey has, so the change leaves them out.

    Columns: field, question, item, text, side (``only_then`` / ``only_now``), reversed.
    """
    now, then = index_pairs(current_meta), index_pairs(baseline_meta)
    records = []
    for side, pairs, meta in (
        ("only_then", then - now, baseline_meta),
        ("only_now", now - then, current_meta),
    ):
        for question, item in sorted(pairs):
            records.append(
                {
                    FIELD: meta.questions.at[question, FIELD],
                    QUESTION: question,
                    ITEM: item,
                    "text": _wording(meta, question, item),
                    "side": side,
                    "reversed": (question, item) in reversed_pairs(meta),
                }
            )
    columns = [FIELD, QUESTION, ITEM, "text", "side", "reversed"]
    return pd.DataFrame.from_records(records, columns=columns)


def baseline_index(
    current: pd.DataFrame,
    current_meta: SurveyMeta,
    baseline: pd.DataFrame,
    baseline_meta: SurveyMeta,
    policy: Policy = DEFAULT_POLICY,
    method: Method = "holm",
) -> pd.DataFrame:
    """Compare the Handlungsfeld index (0-100) with the baseline, per field and group.

    Like for like: both indices are computed over the items the two surveys share (same
    question key and item key); :func:`baseline_left_out` lists the others. So
    ``index_now`` here is the *matched-item* index and may differ from the field index over
    all current items (:func:`analysis.stats.field_index`). Uses Welch's t-test on the
    per-response indices, with the 95 % Welch interval of the change (``ci_low``,
    ``ci_high``) and Cohen's d (pooled standard deviation) as effect size. ``items_shared``
    counts the matched items of the field. An item reversed in either survey is scored
    reversed in both.
    """
    shared = index_pairs(current_meta) & index_pairs(baseline_meta)
    now_meta = merged_polarity(current_meta, baseline_meta)
    then_meta = merged_polarity(baseline_meta, current_meta)
    now = response_scores(current[pair_mask(current, shared)], now_meta)
    then = response_scores(baseline[pair_mask(baseline, shared)], then_meta)
    per_field: dict[str, int] = {}
    for question, _item in shared:
        key = str(current_meta.questions.at[question, FIELD])
        per_field[key] = per_field.get(key, 0) + 1
    records = []
    for frame in (now, then):
        frame[GROUP] = frame[GROUP].astype(str)
        frame[FIELD] = frame[FIELD].astype(str)
    frames: list[pd.DataFrame] = [
        now.assign(when="now"),
        then.assign(when="then"),
        now.assign(when="now").assign(**{GROUP: TOTAL}),
        then.assign(when="then").assign(**{GROUP: TOTAL}),
    ]
    for (field, group), part in pd.concat(frames).groupby([FIELD, GROUP]):
        a = part.loc[part["when"] == "now", "score"].to_numpy()
        b = part.loc[part["when"] == "then", "score"].to_numpy()
        testable = min(len(a), len(b)) >= policy.min_cell
        p, d, ci = np.nan, np.nan, (np.nan, np.nan)
        if testable:
            p = welch_p(a, b)
            moments = (a.mean(), a.var(ddof=1), len(a), b.mean(), b.var(ddof=1), len(b))
            ci, d = welch_interval(*moments), cohen_d(*moments)
        records.append(
            {
                FIELD: field,
                GROUP: group,
                "items_shared": per_field.get(str(field), 0),
                "n_then": len(b),
                "n_now": len(a),
                "index_then": float(b.mean()) if len(b) else np.nan,
                "index_now": float(a.mean()) if len(a) else np.nan,
                "change": float(a.mean() - b.mean()) if testable else np.nan,
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
