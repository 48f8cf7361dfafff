"""Rankings (mean rank, Borda, top-3), strengths/weaknesses and importance-performance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.frames import NONE
from analysis.privacy import Policy
from analysis.rankings import importance_performance, ranking_table, strengths_weaknesses
from tests.analysis.tiny import answers, meta

RANKS = {1: "abc", 2: "acd", 3: "bac", 4: "cab", 5: "abd"}


def test_ranking_statistics_match_hand_computation() -> None:
    m = meta([{"key": "p", "kind": "ranking", "rank_count": 3}], options=[("p", o) for o in "abcd"])
    rows = [
        (r, "familien", "p", NONE, o, float(place), False)
        for r, order in RANKS.items()
        for place, o in enumerate(order, start=1)
    ]
    table = ranking_table(answers(m, rows), m, Policy(min_cell=3))
    fam = table[table["group"] == "familien"].set_index("option")
    # a: places 1,1,2,2,1 -> 3+3+2+2+3 = 13 points over 5 respondents.
    assert fam.loc["a", "mean_rank"] == pytest.approx(1.4)
    assert fam.loc["a", "borda"] == pytest.approx(13 / 5)
    assert fam.loc["a", "top3_share"] == 1.0
    assert fam.loc["b", "mean_rank"] == pytest.approx(2.0)
    assert fam.loc["b", "borda"] == pytest.approx(8 / 5)
    assert fam.loc["c", "borda"] == pytest.approx(7 / 5)
    assert fam.loc["c", "ranked_share"] == pytest.approx(4 / 5)
    # d was ranked twice by five respondents: shown, within a group of five
    assert fam.loc["d", "ranked"] == 2 and fam.loc["d", "borda"] == pytest.approx(2 / 5)
    assert list(fam.index[:3]) == ["a", "b", "c"]  # sorted by Borda


def scale_rows(rows: list[tuple[str, str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "field": f,
                "role": r,
                "question": q,
                "item": i,
                "group": "total",
                "score": s,
                "mean": 1 + s / 25,
                "top2_share": 0.5,
                "n": 50,
            }
            for f, r, q, i, s in rows
        ]
    )


def test_strengths_and_weaknesses_per_field() -> None:
    scale = scale_rows(
        [
            ("wohnumfeld", "satisfaction", "z", "a", 80.0),
            ("wohnumfeld", "satisfaction", "z", "b", 20.0),
            ("wohnumfeld", "satisfaction", "z", "c", 60.0),
            ("wohnumfeld", "satisfaction", "z", "d", 40.0),
            ("wohnumfeld", "importance", "w", "a", 99.0),  # not a satisfaction item
            ("bildung", "satisfaction", "k", NONE, 10.0),  # alone in its field
        ]
    )
    table = strengths_weaknesses(scale, top=3)
    assert list(table.loc[table["kind"] == "strength", "item"]) == ["a", "c"]
    assert list(table.loc[table["kind"] == "weakness", "item"]) == ["b", "d"]
    assert "bildung" not in set(table["field"])


def test_importance_performance_pairs_by_item_key_and_quadrants() -> None:
    scale = scale_rows(
        [
            ("wohnumfeld", "importance", "w", "a", 90.0),
            ("wohnumfeld", "importance", "w", "b", 80.0),
            ("wohnumfeld", "importance", "w", "c", 20.0),
            ("wohnumfeld", "importance", "w", "d", 30.0),
            ("wohnumfeld", "importance", "w", "only_importance", 50.0),
            ("wohnumfeld", "satisfaction", "z", "a", 20.0),
            ("wohnumfeld", "satisfaction", "z", "b", 90.0),
            ("wohnumfeld", "satisfaction", "z", "c", 30.0),
            ("wohnumfeld", "satisfaction", "z", "d", 80.0),
        ]
    )
    pairs = importance_performance(scale).set_index("item")
    assert set(pairs.index) == {"a", "b", "c", "d"}
    # Means: importance 55, satisfaction 55.
    assert pairs.loc["a", "quadrant"] == "focus"
    assert pairs.loc["b", "quadrant"] == "keep"
    assert pairs.loc["c", "quadrant"] == "low_priority"
    assert pairs.loc["d", "quadrant"] == "overkill"
    assert pairs.loc["a", "gap"] == 70.0
    assert pairs.index[0] == "a"  # largest gap first


def test_ranking_total_has_every_respondent_as_base() -> None:
    """Seniors never ranked "d": the total Borda score of "d" still divides by everyone."""
    m = meta([{"key": "p", "kind": "ranking", "rank_count": 2}], options=[("p", o) for o in "abd"])
    fam = {r: "ad" for r in range(1, 6)}
    sen = {r: "ab" for r in range(6, 12)}
    rows = [
        (r, group, "p", NONE, o, float(place), False)
        for group, orders in (("familien", fam), ("senioren", sen))
        for r, order in orders.items()
        for place, o in enumerate(order, start=1)
    ]
    table = ranking_table(answers(m, rows), m, Policy(min_cell=3))
    total = table[table["group"] == "total"].set_index("option")
    # d: place 2 for 5 families = 1 point each; 11 respondents in all.
    assert total.loc["d", "respondents"] == 11
    assert total.loc["d", "borda"] == pytest.approx(5 / 11)
    assert total.loc["d", "top3_share"] == pytest.approx(5 / 11)


def test_strengths_are_judged_against_the_midpoint_with_their_interval() -> None:
    """Best in its field is not a strength when the interval reaches below 50."""
    scale = scale_rows(
        [
            ("wohnumfeld", "satisfaction", "z", "a", 45.0),
            ("wohnumfeld", "satisfaction", "z", "b", 20.0),
            ("wohnumfeld", "satisfaction", "z", "c", 70.0),
            ("wohnumfeld", "satisfaction", "z", "d", 55.0),
        ]
    )
    # Intervals on the 0-100 scale: c wholly above, d straddles 50, a and b wholly below.
    bounds = {"a": (40.0, 49.0), "b": (15.0, 25.0), "c": (65.0, 75.0), "d": (48.0, 62.0)}
    scale["score_ci_low"] = scale["item"].map(lambda i: bounds[i][0])
    scale["score_ci_high"] = scale["item"].map(lambda i: bounds[i][1])
    table = strengths_weaknesses(scale, top=2).set_index("item")
    assert table.loc["c", "kind"] == "strength" and table.loc["c", "midpoint"] == "above"
    assert table.loc["d", "kind"] == "strength" and table.loc["d", "midpoint"] == "around"
    assert table.loc["a", "kind"] == "weakness" and table.loc["a", "midpoint"] == "below"
    assert table.loc["b", "midpoint"] == "below"


def test_scale_interval_on_the_score_scale_matches_a_t_interval() -> None:
    """score_ci_* is the mean's t interval mapped to 0-100, checked with scipy."""
    from scipy import stats as sps

    from analysis.stats import scale_table
    from tests.analysis import tiny

    points = [1, 2, 2, 3, 4, 5, 5, 4, 3, 2, 5, 4]
    m = tiny.meta([{"key": "z", "kind": "scale", "points": 5, "field": "wohnumfeld"}])
    frame = tiny.answers(m, tiny.scale_rows("z", NONE, "familien", points))
    table = scale_table(frame, m, tiny.guarded(frame))
    row = table[table["group"] == "total"].iloc[0]
    low, high = sps.t.interval(0.95, len(points) - 1, loc=np.mean(points), scale=sps.sem(points))
    assert row["score_ci_low"] == pytest.approx((low - 1) / 4 * 100)
    assert row["score_ci_high"] == pytest.approx((high - 1) / 4 * 100)
