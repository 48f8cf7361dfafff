"""Descriptive statistics: scale items, Handlungsfeld index, choices (per option), numbers.

Scale statistics are computed from a small count table (question x item x group x point), so
4 M answer rows cost one group-by. Every public function returns a table that has passed
:func:`analysis.privacy.suppress` (rows hidden whole, never single cells).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from analysis.frames import (
    DONT_KNOW,
    FIELD,
    GROUP,
    ITEM,
    KIND,
    NONE,
    OPTION,
    QUESTION,
    RESPONSE,
    ROLE,
    TOTAL,
    VALUE,
    SurveyMeta,
)
from analysis.polarity import REVERSED, reversed_rows, scored_counts
from analysis.privacy import DEFAULT_POLICY, SUPPRESSED, Policy, suppress

SCALE_STATS = [
    "n",
    "dont_know_share",
    "mean",
    "median",
    "sd",
    "ci_low",
    "ci_high",
    "top2_share",
    "score",
]
INDEX_STATS = ["index", "sd", "ci_low", "ci_high"]
#: Statistics read as "higher is better": computed on reversed points for reversed items.
SCORED_STATS = ["mean", "median", "sd", "ci_low", "ci_high", "top2_share", "score"]


def rows_of_kind(answers: pd.DataFrame, meta: SurveyMeta, *kinds: str) -> pd.DataFrame:
    """Return the answer rows of questions whose analysis kind is one of ``kinds``."""
    wanted = meta.questions.index[meta.questions[KIND].isin(kinds)]
    return answers[_question_mask(answers, wanted)]


def points_of(meta: SurveyMeta, questions: pd.Series) -> np.ndarray:
    """Return the number of scale points of each question key in ``questions``."""
    return meta.questions["points"].reindex(questions.astype(str)).to_numpy(dtype=float)


def add_total(table: pd.DataFrame, keys: list[str], value_cols: list[str]) -> pd.DataFrame:
    """Append ``total`` group rows that sum ``value_cols`` over the groups of each key."""
    total = table.groupby(keys, observed=True, sort=False)[value_cols].sum().reset_index()
    total[GROUP] = TOTAL
    out = pd.concat([table.astype({GROUP: str}), total], ignore_index=True)
    return out.sort_values([*keys, GROUP], kind="stable", ignore_index=True)


def complete_options(
    sums: pd.DataFrame, respondents: pd.Series, value_cols: list[str]
) -> pd.DataFrame:
    """Give every group of a question a row for every option, then append the totals.

    ``sums`` has one row per question, option and group that anyone chose; ``respondents``
    counts the respondents per (question, group). Without the zero rows the total of an option
    would sum the respondents only of the groups that chose it.
    """
    grid = respondents.reset_index()
    options = sums[[QUESTION, OPTION]].drop_duplicates()
    full = grid.merge(options, on=QUESTION, how="inner")
    table = full.merge(sums, on=[QUESTION, OPTION, GROUP], how="left")
    table[value_cols] = table[value_cols].fillna(0)
    for name in (QUESTION, OPTION, GROUP):
        if isinstance(sums[name].dtype, pd.CategoricalDtype):
            table[name] = pd.Categorical(table[name], categories=sums[name].cat.categories)
    return add_total(table, [QUESTION, OPTION], [*value_cols, str(respondents.name)])


def _question_mask(answers: pd.DataFrame, wanted: pd.Index) -> np.ndarray:
    """Boolean mask of the rows whose question is in ``wanted`` (via category codes)."""
    codes = answers[QUESTION].cat.categories.get_indexer(wanted)
    lookup = np.zeros(len(answers[QUESTION].cat.categories) + 1, dtype=bool)
    lookup[codes[codes >= 0]] = True
    mask: np.ndarray = lookup[answers[QUESTION].cat.codes.to_numpy()]
    return mask


def point_counts(answers: pd.DataFrame, meta: SurveyMeta) -> pd.DataFrame:
    """Return counts per question, item, group and scale point (column 0 = "weiß nicht").

    Takes the long answer frame or a count table of it (a column ``n``: rows per row).

    Counted with one ``numpy.bincount`` over the category codes: a group-by over millions of
    rows in a few tens of milliseconds.
    """
    scale = meta.questions.index[meta.questions[KIND] == "scale"]
    mask = _question_mask(answers, scale)
    value = answers[VALUE].to_numpy()
    dont_know = answers[DONT_KNOW].to_numpy()
    mask &= ~np.isnan(value) | dont_know
    top = max(int(meta.questions["points"].max()) if len(meta.questions) else 0, 1)
    point = np.where(dont_know[mask], 0, np.nan_to_num(value[mask])).astype(np.int64)
    point = np.clip(point, 0, top)
    q_cats, i_cats, g_cats = (answers[c].cat.categories for c in (QUESTION, ITEM, GROUP))
    nq, ni, ng, width = len(q_cats), len(i_cats), len(g_cats), top + 1
    q = answers[QUESTION].cat.codes.to_numpy()[mask].astype(np.int64)
    i = answers[ITEM].cat.codes.to_numpy()[mask].astype(np.int64)
    g = answers[GROUP].cat.codes.to_numpy()[mask].astype(np.int64)
    cell = (q * ni + i) * ng + g
    # A count table (analysis.aggregates.load_cells) says in ``n`` how many rows a row is.
    weights = answers["n"].to_numpy(dtype=float)[mask] if "n" in answers.columns else None
    flat = np.bincount(cell * width + point, weights=weights, minlength=nq * ni * ng * width)
    counts = np.rint(flat).astype(np.int64).reshape(-1, width)
    used = np.flatnonzero(counts.sum(axis=1))
    table = pd.DataFrame(
        {
            QUESTION: pd.Categorical.from_codes(used // (ni * ng), categories=q_cats),
            ITEM: pd.Categorical.from_codes((used // ng) % ni, categories=i_cats),
            GROUP: pd.Categorical.from_codes(used % ng, categories=g_cats),
        }
    )
    names = ["count_dk", *[f"count_{p}" for p in range(1, width)]]
    return pd.concat([table, pd.DataFrame(counts[used], columns=names)], axis=1)


def describe_counts(counts: pd.DataFrame, meta: SurveyMeta) -> pd.DataFrame:
    """Compute n, shares, mean, median, sd, 95 % CI, top-2-box and 0-100 score from counts."""
    point_cols = [c for c in counts.columns if c.startswith("count_") and c != "count_dk"]
    c = counts[point_cols].to_numpy(dtype=float)
    p = np.arange(1, c.shape[1] + 1, dtype=float)
    k = points_of(meta, counts[QUESTION])
    n = c.sum(axis=1)
    dk = counts["count_dk"].to_numpy(dtype=float)
    out = counts.copy()
    out["answered"] = n + dk
    out["n"] = n
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (c * p).sum(axis=1) / n
        var = ((c * p**2).sum(axis=1) - n * mean**2) / (n - 1)
        sd = np.sqrt(np.clip(var, 0, None))
        half = sps.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
        cum = c.cumsum(axis=1)
        low = (cum > ((n - 1) // 2)[:, None]).argmax(axis=1) + 1
        high = (cum > (n // 2)[:, None]).argmax(axis=1) + 1
        top_two = (p[None, :] >= (k - 1)[:, None]) & (p[None, :] <= k[:, None])
        out["dont_know_share"] = dk / (n + dk)
        out["mean"] = mean
        out["median"] = np.where(n > 0, (low + high) / 2, np.nan)
        out["sd"] = np.where(n > 1, sd, np.nan)
        out["ci_low"] = np.where(n > 1, mean - half, np.nan)
        out["ci_high"] = np.where(n > 1, mean + half, np.nan)
        out["top2_share"] = (c * top_two).sum(axis=1) / n
        out["score"] = (mean - 1) / (k - 1) * 100
        for index, col in enumerate(point_cols):
            out[col.replace("count_", "share_")] = c[:, index] / n
    return out


def scale_table(
    answers: pd.DataFrame,
    meta: SurveyMeta,
    policy: Policy = DEFAULT_POLICY,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return one row per scale question, item and group (plus ``total``) with every statistic.

    Columns: field, role, question, item, group, count_dk, count_1..k, n,
    dont_know_share, mean, median, sd, ci_low, ci_high, top2_share, score (0-100),
    share_1..k, score_ci_low, score_ci_high (the mean's interval on the 0-100 scale).
    Small cells are suppressed; statistics need ``n >= min_cell``.
    ``counts`` (from :func:`point_counts`) saves recounting when the caller has them.
    """
    counts = point_counts(answers, meta) if counts is None else counts
    count_cols = [c for c in counts.columns if c.startswith("count_")]
    counts = add_total(counts, [QUESTION, ITEM], count_cols)
    table = describe_counts(counts, meta)
    # Counts and shares stay as answered; the summary statistics of reversed items are
    # computed on the mirrored points (analysis.polarity).
    scored = scored_counts(counts, meta)
    if scored is not counts:
        table[SCORED_STATS] = describe_counts(scored, meta)[SCORED_STATS]
    point_cols = [c for c in count_cols if c != "count_dk"]
    linked = {c.replace("count_", "share_"): c for c in point_cols}
    # A row is shown in full or not at all (analysis.privacy); "weiß nicht" goes with it.
    table = suppress(
        table.drop(columns=["answered"]),
        counts=[*point_cols, "count_dk"],
        base="n",
        linked={**linked, "dont_know_share": "count_dk"},
        stats=["mean", "score", "median", "sd", "ci_low", "ci_high", "top2_share"],
        policy=policy,
    )
    k = points_of(meta, table[QUESTION])
    for index, col in enumerate(point_cols, start=1):
        beyond = k < index
        table[col] = table[col].mask(beyond)
        table[col.replace("count_", "share_")] = table[col.replace("count_", "share_")].mask(beyond)
    # The mean's 95 % interval on the 0-100 score scale, to judge it against the midpoint 50.
    for bound in ("ci_low", "ci_high"):
        table[f"score_{bound}"] = (table[bound] - 1) / (k - 1) * 100
    table.insert(0, FIELD, table[QUESTION].astype(str).map(meta.questions[FIELD]))
    table.insert(1, ROLE, table[QUESTION].astype(str).map(meta.questions[ROLE]))
    table[REVERSED] = reversed_rows(table.astype({QUESTION: "category", ITEM: "category"}), meta)
    return table


def response_scores(answers: pd.DataFrame, meta: SurveyMeta) -> pd.DataFrame:
    """Return each response's Handlungsfeld index: mean of its satisfaction items on 0-100.

    Scale questions with role ``satisfaction`` (or without a role) in a Handlungsfeld count;
    negatively worded items count reversed (``k + 1 - p``, :mod:`analysis.polarity`).
    Columns: field, group, response, score.
    """
    questions = meta.questions
    eligible = questions.index[
        (questions[KIND] == "scale")
        & (questions[FIELD] != NONE)
        & questions[ROLE].isin(["satisfaction", NONE])
    ]
    value = answers[VALUE].to_numpy()
    mask = _question_mask(answers, eligible) & ~np.isnan(value)
    q_codes = answers[QUESTION].cat.codes.to_numpy()[mask]
    points = questions["points"].reindex(answers[QUESTION].cat.categories).to_numpy(dtype=float)
    k = points[q_codes]
    raw = value[mask]
    point = np.where(reversed_rows(answers, meta)[mask], k + 1 - raw, raw)
    score = (point - 1) / (k - 1) * 100
    resp_codes, resp_ids = pd.factorize(answers[RESPONSE].to_numpy()[mask])
    f_cats, g_cats = answers[FIELD].cat.categories, answers[GROUP].cat.categories
    nf = len(f_cats)
    key = resp_codes.astype(np.int64) * nf + answers[FIELD].cat.codes.to_numpy()[mask]
    sums = np.bincount(key, weights=score, minlength=len(resp_ids) * nf)
    counts = np.bincount(key, minlength=len(resp_ids) * nf)
    group = np.zeros(len(resp_ids), dtype=np.int64)
    group[resp_codes] = answers[GROUP].cat.codes.to_numpy()[mask]
    used = np.flatnonzero(counts)
    frame = pd.DataFrame(
        {
            FIELD: pd.Categorical.from_codes(used % nf, categories=f_cats),
            GROUP: pd.Categorical.from_codes(group[used // nf], categories=g_cats),
            RESPONSE: np.asarray(resp_ids)[used // nf],
            "score": sums[used] / counts[used],
        }
    )
    return frame.sort_values([FIELD, GROUP, RESPONSE], ignore_index=True)


def summarise(scores: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Return n, mean, sd and 95 % CI of ``score`` per ``keys``."""
    grouped = scores.groupby(keys, observed=True)["score"]
    out: pd.DataFrame = grouped.agg(["count", "mean", "std"])
    out = out.rename(columns={"count": "n", "std": "sd"})
    half = sps.t.ppf(0.975, np.maximum(out["n"] - 1, 1)) * out["sd"] / np.sqrt(out["n"])
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    return out


def field_index(
    answers: pd.DataFrame, meta: SurveyMeta, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """Return the Handlungsfeld index (0-100) per field and group (plus ``total``).

    The index is the mean over responses of each response's mean satisfaction score in the
    field, so a respondent counts once however many items they answered.
    """
    scores = response_scores(answers, meta)
    per_group = summarise(scores, [FIELD, GROUP]).reset_index()
    total = summarise(scores, [FIELD]).reset_index()
    total[GROUP] = TOTAL
    table = pd.concat([per_group.astype({GROUP: str, FIELD: str}), total.astype({FIELD: str})])
    table = table.rename(columns={"mean": "index"}).sort_values([FIELD, GROUP], ignore_index=True)
    table = suppress(table, counts=["n"], base="n", stats=INDEX_STATS, policy=policy)
    return table[[FIELD, GROUP, "n", *INDEX_STATS, "suppressed"]]


def choice_table(
    answers: pd.DataFrame, meta: SurveyMeta, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """Return counts and shares per option and group for single, multiple choice and yes/no.

    Multiple choice is counted per option (a respondent choosing three options adds one to
    each), with the share of the question's respondents; yes/no appears as options ja/nein.
    """
    rows = rows_of_kind(answers, meta, "choice", "multi", "binary")
    kind = rows[QUESTION].astype(str).map(meta.questions[KIND])
    binary = (kind == "binary").to_numpy()
    yes_no = np.where(rows[VALUE].to_numpy() > 0, "ja", "nein")
    option = pd.Series(
        np.where(binary, yes_no, rows[OPTION].astype(str).to_numpy()), index=rows.index
    )
    respondents = (
        rows.groupby([QUESTION, GROUP], observed=True)[RESPONSE].nunique().rename("respondents")
    )
    chosen = pd.DataFrame({QUESTION: rows[QUESTION], GROUP: rows[GROUP], OPTION: option})
    chosen = chosen[chosen[OPTION] != NONE]
    counts = chosen.groupby([QUESTION, OPTION, GROUP], observed=True).size().rename("count")
    table = complete_options(counts.reset_index(), respondents, ["count"])
    table[QUESTION] = table[QUESTION].astype(str)
    table = suppress(
        table,
        counts=["count", "respondents"],
        base="respondents",
        policy=policy,
    )
    if table.empty:
        return pd.DataFrame(columns=[QUESTION, OPTION, GROUP, "count", "respondents", "share"])
    out = table.drop(columns=[SUPPRESSED])
    out["share"] = out["count"] / out["respondents"]
    out.insert(0, FIELD, out[QUESTION].map(meta.questions[FIELD]))
    return out


def number_table(
    answers: pd.DataFrame, meta: SurveyMeta, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """Return n, mean, median and sd of number questions per group (plus ``total``)."""
    rows = rows_of_kind(answers, meta, "number")
    rows = rows[rows[VALUE].notna()]
    grouped = rows.groupby([QUESTION, GROUP], observed=True)[VALUE]
    per_group = grouped.agg(["count", "mean", "median", "std"]).reset_index()
    total = rows.groupby(QUESTION, observed=True)[VALUE].agg(["count", "mean", "median", "std"])
    total = total.reset_index()
    total[GROUP] = TOTAL
    table = pd.concat([per_group.astype({GROUP: str}), total], ignore_index=True)
    table = table.rename(columns={"count": "n", "std": "sd"})
    return suppress(table, counts=["n"], base="n", stats=["mean", "median", "sd"], policy=policy)
