"""Scale statistics, Handlungsfeld index, choices and numbers on hand-computed fixtures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from analysis.frames import NONE, TOTAL
from analysis.privacy import Policy
from analysis.stats import choice_table, field_index, number_table, scale_table
from tests.analysis.tiny import answers, guarded, meta, scale_rows

LIKERT = {"key": "q", "kind": "scale", "role": "satisfaction", "field": "wohnumfeld", "points": 5}


def likert_frame(extra: list[tuple[object, ...]] = ()) -> pd.DataFrame:  # type: ignore[assignment]
    m = meta([LIKERT])
    rows = scale_rows("q", NONE, "familien", [1] * 5 + [2] * 10 + [4] * 5 + ["dk"] * 5)
    rows += scale_rows("q", NONE, "senioren", [3] * 6 + [5] * 6, start=100)
    return answers(m, rows + list(extra))


def test_scale_statistics_match_hand_computation() -> None:
    table = scale_table(likert_frame(), meta([LIKERT])).set_index("group")
    # Familien: 5x1, 10x2, 5x4 (+5 "weiß nicht"): n 20, mean 45/20, var (125 - 20*2.25^2)/19.
    fam = table.loc["familien"]
    assert fam["n"] == 20 and fam["count_dk"] == 5
    assert fam["dont_know_share"] == pytest.approx(5 / 25)
    assert fam["mean"] == pytest.approx(2.25)
    assert fam["median"] == 2.0
    assert fam["sd"] == pytest.approx(np.sqrt(1.25))
    half = 2.093024054408263 * np.sqrt(1.25) / np.sqrt(20)
    assert (fam["ci_low"], fam["ci_high"]) == pytest.approx((2.25 - half, 2.25 + half))
    assert fam["top2_share"] == pytest.approx(5 / 20)
    assert fam["score"] == pytest.approx(31.25)
    assert list(table.loc["familien", ["count_1", "count_2", "count_3", "count_4", "count_5"]]) == [
        5,
        10,
        0,
        5,
        0,
    ]
    # Senioren: 6x3, 6x5 -> median between the two middle values, sd sqrt(12/11).
    sen = table.loc["senioren"]
    assert (sen["mean"], sen["median"]) == (4.0, 4.0)
    assert sen["sd"] == pytest.approx(np.sqrt(12 / 11))
    assert sen["top2_share"] == 0.5
    total = table.loc[TOTAL]
    assert total["n"] == 32 and total["mean"] == pytest.approx(93 / 32)
    pdt.assert_series_equal(
        table.loc[TOTAL, ["share_1", "share_2", "share_3", "share_4", "share_5"]].astype(float),
        pd.Series(
            [5 / 32, 10 / 32, 6 / 32, 5 / 32, 6 / 32],
            index=["share_1", "share_2", "share_3", "share_4", "share_5"],
            name=TOTAL,
        ),
    )


def test_small_group_is_suppressed_and_not_recoverable_from_total() -> None:
    """Two Akteure: their row is hidden, and so is the total (34 - 20 - 12 = 2 otherwise);
    the families and seniors are shown in full."""
    frame = likert_frame(scale_rows("q", NONE, "akteure", [5, 5], start=200))
    table = scale_table(frame, meta([LIKERT]), guarded(frame)).set_index("group")
    assert table.loc["akteure", "suppressed"] and table.loc[TOTAL, "suppressed"]
    assert pd.isna(table.loc["akteure", "mean"]) and pd.isna(table.loc["akteure", "n"])
    assert pd.isna(table.loc[TOTAL, "n"]) and pd.isna(table.loc[TOTAL, "count_5"])
    assert table.loc["familien", "n"] == 20 and table.loc["senioren", "count_5"] == 6
    shown = table[~table["suppressed"]]
    assert not shown[[f"count_{p}" for p in range(1, 6)]].isna().any().any()


def test_field_index_is_mean_of_response_scores() -> None:
    m = meta(
        [
            {
                "key": "zufr",
                "kind": "scale",
                "role": "satisfaction",
                "field": "wohnumfeld",
                "points": 5,
            },
            {
                "key": "wicht",
                "kind": "scale",
                "role": "importance",
                "field": "wohnumfeld",
                "points": 5,
            },
        ],
        items=[("zufr", "a"), ("zufr", "b"), ("wicht", "a")],
    )
    pairs = {1: (5, 3), 2: (1, None), 3: ("dk", 4), 4: (2, 2), 5: (3, 5)}
    rows = []
    for resp, values in pairs.items():
        for item, v in zip("ab", values, strict=True):
            if v is not None:
                rows.append(
                    (
                        resp,
                        "familien",
                        "zufr",
                        item,
                        NONE,
                        None if v == "dk" else float(v),
                        v == "dk",
                    )
                )
        rows.append((resp, "familien", "wicht", "a", NONE, 5.0, False))  # must not count
    table = field_index(answers(m, rows), m, Policy(min_cell=5)).set_index("group")
    # Response scores 75, 0, 75, 25, 75 -> mean 50, sd sqrt(5000/4).
    assert table.loc["familien", "n"] == 5
    assert table.loc["familien", "index"] == pytest.approx(50.0)
    assert table.loc["familien", "sd"] == pytest.approx(np.sqrt(1250))
    assert table.loc[TOTAL, "index"] == pytest.approx(50.0)


def test_multiple_choice_is_counted_per_option() -> None:
    m = meta([{"key": "m", "kind": "multi"}], options=[("m", "a"), ("m", "b"), ("m", "c")])
    chosen = {1: "ab", 2: "a", 3: "abc", 4: "b", 5: "a"}
    rows = [(r, "familien", "m", NONE, o, 1.0, False) for r, opts in chosen.items() for o in opts]
    rows.append((6, "familien", "m", NONE, NONE, None, False))  # only a "Sonstiges" text
    table = choice_table(answers(m, rows), m, Policy(min_cell=3))
    fam = table[table["group"] == "familien"].set_index("option")
    assert fam.loc["a", "count"] == 4 and fam.loc["b", "count"] == 3
    assert fam.loc["a", "respondents"] == 6
    assert fam.loc["a", "share"] == pytest.approx(4 / 6)
    # one of six chose c: shown, a distribution within a group of six (no per-cell hiding)
    assert fam.loc["c", "count"] == 1 and fam.loc["c", "share"] == pytest.approx(1 / 6)


def test_a_small_option_within_a_large_group_is_shown_in_full() -> None:
    """Four of ten families chose y: a distribution within a group of ten, shown in full
    (the unit protected is the group, not the cell)."""
    m = meta([{"key": "s", "kind": "choice"}], options=[("s", "x"), ("s", "y")])
    rows = [(r, "familien", "s", NONE, "x" if r <= 6 else "y", None, False) for r in range(1, 11)]
    frame = answers(m, rows)
    table = choice_table(frame, m, guarded(frame)).set_index(["group", "option"])
    assert table.loc[("familien", "y"), "count"] == 4
    assert table.loc[("familien", "x"), "count"] == 6
    assert table.loc[("familien", "y"), "share"] == pytest.approx(0.4)


def test_yes_no_and_numbers() -> None:
    m = meta([{"key": "yn", "kind": "binary"}, {"key": "num", "kind": "number"}])
    rows = [(r, "familien", "yn", NONE, NONE, 1.0 if r <= 5 else 0.0, False) for r in range(1, 11)]
    rows += [(r, "familien", "num", NONE, NONE, float(r), False) for r in range(1, 8)]
    frame = answers(m, rows)
    yn = choice_table(frame, m).set_index(["group", "option"])
    assert yn.loc[("familien", "ja"), "count"] == 5
    assert yn.loc[("familien", "ja"), "share"] == 0.5
    numbers = number_table(frame, m).set_index("group")
    assert numbers.loc["familien", "n"] == 7
    assert numbers.loc["familien", "mean"] == 4.0 and numbers.loc["familien", "median"] == 4.0
    assert numbers.loc["familien", "sd"] == pytest.approx(np.std(range(1, 8), ddof=1))


def test_total_row_counts_every_respondent_even_where_a_group_never_chose_the_option() -> None:
    """Families never chose "y": the total of "y" still has all 22 respondents as its base
    (for multiple choice; single choice is pivoted per group and always was complete)."""
    m = meta([{"key": "s", "kind": "multi"}], options=[("s", "x"), ("s", "y")])
    rows = [(r, "familien", "s", NONE, "x", None, False) for r in range(1, 11)]
    rows += [(r, "senioren", "s", NONE, "x", None, False) for r in range(11, 15)]
    rows += [(r, "senioren", "s", NONE, "y", None, False) for r in range(15, 23)]
    table = choice_table(answers(m, rows), m, Policy(min_cell=3)).set_index(["group", "option"])
    everyone = len({r[0] for r in rows})
    chose_y = sum(1 for r in rows if r[4] == "y")
    assert table.loc[(TOTAL, "y"), "respondents"] == everyone == 22
    assert table.loc[(TOTAL, "y"), "share"] == pytest.approx(chose_y / everyone)
    assert table.loc[("familien", "y"), "count"] == 0
    assert table.loc[("familien", "y"), "respondents"] == 10
    # single choice: the total's shares add up to 100 %, whichever option a group lacks
    single = meta([{"key": "s", "kind": "choice"}], options=[("s", "a"), ("s", "y")])
    flipped = [(r[0], r[1], r[2], r[3], "a" if r[4] == "y" else "y", *r[5:]) for r in rows]
    one = choice_table(answers(single, flipped), single, Policy(min_cell=3))
    total = one[one["group"] == TOTAL].set_index("option")
    assert total["respondents"].tolist() == [22, 22]
    assert total["share"].sum() == pytest.approx(1.0)


def test_reversed_item_scores_mirrored_points_but_keeps_the_answered_distribution() -> None:
    m = meta(
        [{**LIKERT, "key": "m", "points": 4}, {**LIKERT, "key": "alone", "points": 4}],
        items=[("m", "a"), ("m", "neg")],
    )
    m.items["reversed"] = [False, True]
    m.questions["reversed"] = [False, True]
    rows = scale_rows("m", "a", "familien", [4] * 10 + [2] * 6)
    rows += scale_rows("m", "neg", "familien", [4] * 10 + [1] * 6)
    rows += scale_rows("alone", NONE, "familien", [3] * 16)
    table = scale_table(answers(m, rows), m).set_index(["question", "item", "group"])
    neg = table.loc[("m", "neg", "familien")]
    # As answered: ten chose 4, six chose 1; scored: 4 -> 1, 1 -> 4.
    assert (neg["count_4"], neg["count_1"], neg["share_4"]) == (10, 6, 10 / 16)
    assert neg["mean"] == pytest.approx((10 * 1 + 6 * 4) / 16)
    assert neg["score"] == pytest.approx(((10 * 1 + 6 * 4) / 16 - 1) / 3 * 100)
    assert neg["top2_share"] == pytest.approx(6 / 16)  # points 3-4 after mirroring
    assert bool(neg["reversed"]) and not bool(table.loc[("m", "a", "familien"), "reversed"])
    index = field_index(answers(m, rows), m).set_index("group")
    # Per response, by hand: a (0-100), neg mirrored, alone 3 of 4 mirrored to 2.
    a = np.array([100.0] * 10 + [100 / 3] * 6)
    neg_scored = np.array([0.0] * 10 + [100.0] * 6)
    alone = np.full(16, 100 / 3)
    assert index.loc["familien", "index"] == pytest.approx(((a + neg_scored + alone) / 3).mean())
