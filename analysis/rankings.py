"""Priorities: ranking questions (mean rank, Borda, top-3 share), strengths and weaknesses,
and the importance-performance view pairing importance and satisfaction items by item key."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.frames import (
    FIELD,
    GROUP,
    ITEM,
    NONE,
    OPTION,
    QUESTION,
    RESPONSE,
    ROLE,
    VALUE,
    SurveyMeta,
)
from analysis.privacy import DEFAULT_POLICY, Policy, suppress
from analysis.stats import complete_options, rows_of_kind

#: Quadrant codes of the importance-performance view.
FOCUS = "focus"  # important, low satisfaction: act here first
KEEP = "keep"  # important, high satisfaction: keep up the good work
LOW_PRIORITY = "low_priority"  # less important, low satisfaction
OVERKILL = "overkill"  # less important, high satisfaction


def ranking_table(
    answers: pd.DataFrame, meta: SurveyMeta, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """Return per ranking question, option and group: mean rank, Borda score, top-3 share.

    With ``m`` places, place ``r`` earns ``m - r + 1`` Borda points and an unranked option
    none; ``borda`` is the mean points per respondent of the question, ``top3_share`` the
    share of respondents who put the option on place 1-3, ``mean_rank`` the mean place among
    those who ranked it. Sorted by Borda score (best first) within question and group.
    """
    rows = rows_of_kind(answers, meta, "ranking")
    rows = rows[rows[VALUE].notna() & (rows[OPTION] != NONE)]
    per_code = meta.questions["rank_count"].reindex(rows[QUESTION].cat.categories)
    places = per_code.to_numpy(dtype=float)[rows[QUESTION].cat.codes.to_numpy()]
    frame = pd.DataFrame(
        {
            QUESTION: rows[QUESTION],
            OPTION: rows[OPTION],
            GROUP: rows[GROUP],
            "rank_sum": rows[VALUE],
            "ranked": 1,
            "top3": (rows[VALUE] <= 3).astype(int),
            "points": places - rows[VALUE].to_numpy() + 1,
        }
    )
    sums = frame.groupby([QUESTION, OPTION, GROUP], observed=True)[
        ["rank_sum", "ranked", "top3", "points"]
    ].sum()
    respondents = (
        rows.groupby([QUESTION, GROUP], observed=True)[RESPONSE].nunique().rename("respondents")
    )
    return ranking_from_sums(sums, respondents, meta, policy)


def ranking_from_sums(
    sums: pd.DataFrame, respondents: pd.Series, meta: SurveyMeta, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """The ranking table from rank sums, places, top-3 counts and Borda points per question,
    option and group and the respondents per question and group: mean rank, Borda score and
    shares, under the disclosure control, best first."""
    table = complete_options(
        sums.reset_index(), respondents, ["rank_sum", "ranked", "top3", "points"]
    )
    table["mean_rank"] = table["rank_sum"] / table["ranked"]
    table["borda"] = table["points"] / table["respondents"]
    table["top3_share"] = table["top3"] / table["respondents"]
    table["ranked_share"] = table["ranked"] / table["respondents"]
    table = table.drop(columns=["rank_sum", "points"])
    table = suppress(
        table,
        counts=["ranked", "top3", "respondents"],
        base="respondents",
        linked={
            "mean_rank": "ranked",
            "ranked_share": "ranked",
            "top3_share": "top3",
            "borda": "ranked",
        },
        policy=policy,
    )
    table[QUESTION] = table[QUESTION].astype(str)
    table.insert(0, FIELD, table[QUESTION].map(meta.questions[FIELD]))
    table = table.sort_values([QUESTION, GROUP, "borda"], ascending=[True, True, False])
    return table.reset_index(drop=True)


#: The midpoint of every scale on the 0-100 score: neither satisfied nor dissatisfied.
MIDPOINT = 50.0


def midpoint_verdict(low: float, high: float) -> str:
    """``above``/``below`` the scale midpoint when the 95 % interval lies wholly on one side,
    ``around`` when it contains 50, ``""`` without an interval (hidden or too few)."""
    if pd.isna(low) or pd.isna(high):
        return ""
    if low > MIDPOINT:
        return "above"
    if high < MIDPOINT:
        return "below"
    return "around"


def strengths_weaknesses(scale: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """Return the ``top`` best and worst rated satisfaction items per Handlungsfeld and group.

    The ranking is *relative* (best and worst within the field); the column ``midpoint``
    judges each item absolutely, against the scale midpoint 50 with its 95 % interval
    (:func:`midpoint_verdict`). Pages call an item a strength only when it is among the best
    *and* above the midpoint, a weakness only when among the worst *and* below it.

    A field with fewer than ``2 * top`` rated items gives half of them to each side, so an
    item is never both. Takes the output of :func:`analysis.stats.scale_table` (already
    suppressed) and ranks items by their 0-100 score; items without a score are left out.
    """
    rated = scale[scale[ROLE].isin(["satisfaction", NONE]) & scale["score"].notna()]
    rated = rated[rated[FIELD] != NONE]
    parts = []
    for _key, part in rated.groupby([FIELD, GROUP], sort=True):
        if len(part) < 2:
            continue  # one item is neither a strength nor a weakness of its field
        each = max(1, min(top, len(part) // 2))
        ordered = part.sort_values("score", ascending=False)
        best = ordered.head(each).assign(kind="strength", rank=np.arange(1, each + 1))
        worst = ordered.iloc[::-1].head(each).assign(kind="weakness", rank=np.arange(1, each + 1))
        parts += [best, worst]
    columns = [FIELD, GROUP, "kind", "rank", QUESTION, ITEM, "score", "mean", "top2_share", "n"]
    if not parts:
        return pd.DataFrame(columns=[*columns, "midpoint"])
    table = pd.concat(parts, ignore_index=True)
    low = table["score_ci_low"] if "score_ci_low" in table else pd.Series(np.nan, table.index)
    high = table["score_ci_high"] if "score_ci_high" in table else pd.Series(np.nan, table.index)
    out = table[columns].copy()
    out["midpoint"] = [midpoint_verdict(a, b) for a, b in zip(low, high, strict=True)]
    return out


def importance_performance(scale: pd.DataFrame) -> pd.DataFrame:
    """Pair importance and satisfaction items by item key and place them in quadrants.

    Takes :func:`analysis.stats.scale_table` output. Per group, an item is ``focus`` when
    its importance is at least the mean importance of all pairs and its satisfaction below
    the mean satisfaction, ``keep`` when both are high, ``overkill`` when only satisfaction
    is high and ``low_priority`` when both are low (data-centred quadrants).
    """
    keys = [GROUP, ITEM]
    cols = [FIELD, QUESTION, ITEM, GROUP, "score", "n"]
    imp = scale[(scale[ROLE] == "importance") & (scale[ITEM] != NONE)][cols]
    sat = scale[(scale[ROLE] == "satisfaction") & (scale[ITEM] != NONE)][cols]
    pairs = imp.merge(sat, on=keys, suffixes=("_importance", "_satisfaction"))
    pairs = pairs.rename(
        columns={
            "score_importance": "importance",
            "score_satisfaction": "satisfaction",
            "field_satisfaction": FIELD,
        }
    ).drop(columns=["field_importance"])
    pairs = pairs[pairs["importance"].notna() & pairs["satisfaction"].notna()].copy()
    if pairs.empty:
        return pairs.assign(gap=pd.Series(dtype=float), quadrant=pd.Series(dtype=str))
    by_group = pairs.groupby(GROUP)
    high_imp = pairs["importance"] >= by_group["importance"].transform("mean")
    high_sat = pairs["satisfaction"] >= by_group["satisfaction"].transform("mean")
    pairs["gap"] = pairs["importance"] - pairs["satisfaction"]
    pairs["quadrant"] = np.select(
        [high_imp & ~high_sat, high_imp & high_sat, ~high_imp & high_sat],
        [FOCUS, KEEP, OVERKILL],
        default=LOW_PRIORITY,
    )
    return pairs.sort_values([GROUP, "gap"], ascending=[True, False], ignore_index=True)
