"""Mann-Whitney from counts, multiple-testing corrections, group and baseline comparisons."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from analysis.compare import (
    baseline_index,
    baseline_items,
    baseline_left_out,
    benjamini_hochberg,
    choice_differences,
    cohen_magnitude,
    group_differences,
    holm,
    magnitude,
    mann_whitney_counts,
    welch_p,
)
from analysis.frames import NONE
from tests.analysis.tiny import answers, guarded, meta, scale_rows


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 12), min_size=5, max_size=5),
    st.lists(st.integers(0, 12), min_size=5, max_size=5),
)
def test_mann_whitney_from_counts_equals_scipy_on_expanded_data(a: list[int], b: list[int]) -> None:
    if sum(a) == 0 or sum(b) == 0 or len({p for p, c in enumerate(a + b) if c}) < 1:
        return
    x = np.repeat(np.arange(1, 6), a)
    y = np.repeat(np.arange(1, 6), b)
    if len(np.unique(np.concatenate([x, y]))) < 2:
        return
    u, p, _ = mann_whitney_counts(np.array(a), np.array(b))
    expected = sps.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic")
    assert u == pytest.approx(expected.statistic)
    assert p == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-12)


def test_rank_biserial_effect() -> None:
    assert mann_whitney_counts(np.array([0, 0, 5]), np.array([5, 0, 0]))[2] == 1.0
    assert mann_whitney_counts(np.array([5, 0, 0]), np.array([0, 0, 5]))[2] == -1.0


def test_holm_and_benjamini_hochberg_by_hand() -> None:
    p = np.array([0.01, 0.04, 0.03])
    np.testing.assert_allclose(holm(p), [0.03, 0.06, 0.06])
    np.testing.assert_allclose(benjamini_hochberg(p), [0.03, 0.04, 0.04])
    np.testing.assert_allclose(benjamini_hochberg(p), sps.false_discovery_control(p))


def test_group_differences_find_a_real_difference() -> None:
    m = meta([{"key": "q", "kind": "scale", "field": "bildung", "points": 5}])
    rows = (
        scale_rows("q", NONE, "familien", [5] * 10)
        + scale_rows("q", NONE, "senioren", [1] * 10, start=50)
        + scale_rows("q", NONE, "akteure", [5, 1], start=90)
    )
    table = group_differences(answers(m, rows), m)
    assert len(table) == 1  # akteure (2 answers) are not tested
    row = table.iloc[0]
    assert (row["group_a"], row["group_b"]) == ("familien", "senioren")
    assert row["effect"] == 1.0 and row["significant"] and row["magnitude"] == "large"
    assert row["difference"] == 100.0


def test_baseline_matches_questions_and_items_by_key_across_scale_lengths() -> None:
    then_meta = meta(
        [
            {"key": "q", "kind": "scale", "role": "satisfaction", "field": "bildung", "points": 4},
            {"key": "old", "kind": "scale", "field": "bildung", "points": 4},
        ],
        items=[("q", "a"), ("q", "gone")],
    )
    now_meta = meta(
        [{"key": "q", "kind": "scale", "role": "satisfaction", "field": "bildung", "points": 5}],
        items=[("q", "a"), ("q", "new")],
    )
    then = answers(
        then_meta,
        scale_rows("q", "a", "familien", [2] * 10)
        + scale_rows("q", "gone", "familien", [4] * 10)
        + scale_rows("old", NONE, "familien", [1] * 10),
    )
    now = answers(
        now_meta,
        scale_rows("q", "a", "familien", [5] * 10) + scale_rows("q", "new", "familien", [1] * 10),
    )
    items = baseline_items(now, now_meta, then, then_meta)
    assert set(zip(items["question"], items["item"], strict=True)) == {("q", "a")}
    fam = items.set_index("group").loc["familien"]
    # 2 of 4 points = 33.3; 5 of 5 points = 100.
    assert fam["score_then"] == pytest.approx(100 / 3)
    assert fam["score_now"] == 100.0
    assert fam["change"] == pytest.approx(200 / 3)
    assert fam["significant"]
    index = baseline_index(now, now_meta, then, then_meta).set_index("group")
    # Like for like: only the shared item q:a enters both indices; "gone" (old survey),
    # "new" (current survey) and the question "old" are left out and listed.
    assert index.loc["familien", "index_then"] == pytest.approx(100 / 3)
    assert index.loc["familien", "index_now"] == pytest.approx(100.0)
    assert index.loc["familien", "items_shared"] == 1
    left = baseline_left_out(now_meta, then_meta)
    assert set(zip(left["side"], left["question"], left["item"], strict=True)) == {
        ("only_then", "q", "gone"),
        ("only_then", "old", NONE),
        ("only_now", "q", "new"),
    }


def test_baseline_change_has_a_welch_interval_and_cohens_d() -> None:
    m = meta(
        [{"key": "q", "kind": "scale", "role": "satisfaction", "field": "bildung", "points": 5}],
        items=[("q", "a"), ("q", "b")],
    )
    rng = np.random.default_rng(7)
    then_a, then_b = rng.integers(1, 6, 40).tolist(), rng.integers(1, 6, 40).tolist()
    now_a, now_b = rng.integers(2, 6, 60).tolist(), rng.integers(2, 6, 60).tolist()
    then = answers(
        m,
        scale_rows("q", "a", "familien", then_a) + scale_rows("q", "b", "familien", then_b),
    )
    now = answers(
        m, scale_rows("q", "a", "familien", now_a) + scale_rows("q", "b", "familien", now_b)
    )
    # Reference: per-response index = mean of the two items on 0-100, by hand.
    ref_then = (np.array(then_a) + np.array(then_b) - 2) / 2 / 4 * 100
    ref_now = (np.array(now_a) + np.array(now_b) - 2) / 2 / 4 * 100
    welch = sps.ttest_ind(ref_now, ref_then, equal_var=False)
    ci = welch.confidence_interval(0.95)
    n1, n2 = len(ref_now), len(ref_then)
    pooled = np.sqrt(
        ((n1 - 1) * ref_now.var(ddof=1) + (n2 - 1) * ref_then.var(ddof=1)) / (n1 + n2 - 2)
    )
    row = baseline_index(now, m, then, m).set_index("group").loc["familien"]
    assert row["change"] == pytest.approx(ref_now.mean() - ref_then.mean())
    assert row["ci_low"] == pytest.approx(ci.low)
    assert row["ci_high"] == pytest.approx(ci.high)
    assert row["p"] == pytest.approx(welch.pvalue)
    assert row["effect"] == pytest.approx((ref_now.mean() - ref_then.mean()) / pooled)
    item = baseline_items(now, m, then, m).set_index(["item", "group"]).loc[("a", "familien")]
    item_now = (np.array(now_a) - 1) / 4 * 100
    item_then = (np.array(then_a) - 1) / 4 * 100
    item_ci = sps.ttest_ind(item_now, item_then, equal_var=False).confidence_interval(0.95)
    assert item["ci_low"] == pytest.approx(item_ci.low)
    assert item["ci_high"] == pytest.approx(item_ci.high)
    assert np.sign(item["cohen_d"]) == np.sign(item_now.mean() - item_then.mean())


def test_reversed_items_are_mirrored_in_group_and_baseline_comparisons() -> None:
    m = meta(
        [{"key": "q", "kind": "scale", "field": "senioren", "points": 5}],
    )
    m.questions["reversed"] = [True]
    now = answers(
        m,
        scale_rows("q", NONE, "familien", [5] * 10)
        + scale_rows("q", NONE, "senioren", [1] * 10, start=50),
    )
    then = answers(m, scale_rows("q", NONE, "senioren", [3] * 10, start=50))
    diff = group_differences(now, m).iloc[0]
    # Agreeing with a negative statement (5) is the worst score: familien 0, senioren 100.
    assert (diff["group_a"], diff["score_a"], diff["score_b"]) == ("familien", 0.0, 100.0)
    items = baseline_items(now, m, then, m).set_index("group")
    assert items.loc["senioren", "score_now"] == 100.0
    assert items.loc["senioren", "change"] == pytest.approx(50.0)


def test_baseline_small_group_cannot_be_recovered_from_the_total() -> None:
    m = meta(
        [{"key": "q", "kind": "scale", "role": "satisfaction", "field": "bildung", "points": 5}]
    )
    then = answers(
        m,
        scale_rows("q", NONE, "familien", [3] * 10)
        + scale_rows("q", NONE, "akteure", [1, 2, 3], start=50),
    )
    now = answers(
        m,
        scale_rows("q", NONE, "familien", [5] * 10)
        + scale_rows("q", NONE, "akteure", [4] * 10, start=50),
    )
    # each survey has its own guard: in 2019 the 3 Akteure make the total undescribable
    policy = replace(guarded(now), baseline_view=guarded(then).view)
    items = baseline_items(now, m, then, m, policy).set_index("group")
    assert "akteure" not in items.index  # 3 answers in the baseline: not shown
    # Familien and the total would give the 3 Akteure by subtraction: the total goes.
    assert "familien" in items.index and "total" not in items.index
    index = baseline_index(now, m, then, m, policy).set_index("group")
    assert "familien" in index.index and "total" not in index.index


def test_welch_p_matches_scipy() -> None:
    a = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    b = np.array([2.0, 4.0, 6.0, 8.0, 10.0])
    expected = sps.ttest_ind(a, b, equal_var=False).pvalue
    assert welch_p(a, b) == pytest.approx(expected)


def test_choice_differences_single_by_hand_and_multi_per_option() -> None:
    m = meta([{"key": "s", "kind": "choice"}, {"key": "m", "kind": "multi"}])
    rows = [
        ("s", "x", "familien", 30, 40),
        ("s", "y", "familien", 10, 40),
        ("s", "x", "senioren", 10, 40),
        ("s", "y", "senioren", 30, 40),
        ("m", "a", "familien", 20, 40),
        ("m", "b", "familien", 20, 40),
        ("m", "a", "senioren", 20, 40),
        ("m", "b", "senioren", 5, 40),
    ]
    choices = pd.DataFrame(rows, columns=["question", "option", "group", "count", "respondents"])
    table = choice_differences(choices, m).set_index(["question", "option"])
    single = table.loc[("s", NONE)]
    # Expected 20 per cell, |O - E| = 10, Yates: 4 * 9.5^2 / 20 = 18.05; V = sqrt(18.05 / 80).
    assert single["statistic"] == pytest.approx(18.05)
    assert single["effect"] == pytest.approx(np.sqrt(18.05 / 80))
    assert table.loc[("m", "b"), "significant"]
    assert not table.loc[("m", "a"), "significant"]  # 20 of 40 in both groups
    assert table.loc[("m", "a"), "effect"] == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("effect", "r_class", "d_class"),
    [
        (0.0, "negligible", "negligible"),
        (0.1, "small", "negligible"),
        (-0.2, "small", "small"),
        (0.3, "medium", "small"),
        (0.5, "large", "medium"),
        (-0.8, "large", "large"),
        (float("nan"), "negligible", "negligible"),
    ],
)
def test_effect_size_classes_at_their_thresholds(effect: float, r_class: str, d_class: str) -> None:
    """r/V use 0.1 / 0.3 / 0.5, Cohen's d 0.2 / 0.5 / 0.8; the sign does not matter."""
    assert magnitude(effect) == r_class
    assert cohen_magnitude(effect) == d_class


def test_an_item_reversed_in_one_survey_is_reversed_in_both_for_the_comparison() -> None:
    then_meta = meta([{"key": "q", "kind": "scale", "field": "senioren", "points": 5}])
    now_meta = meta([{"key": "q", "kind": "scale", "field": "senioren", "points": 5}])
    now_meta.questions["reversed"] = [True]  # staff marked only the new survey
    then = answers(then_meta, scale_rows("q", NONE, "senioren", [5] * 10))
    now = answers(now_meta, scale_rows("q", NONE, "senioren", [1] * 10))
    items = baseline_items(now, now_meta, then, then_meta).set_index("group")
    # 5 = strong agreement with a negative statement: 0 then, 100 now.
    assert items.loc["senioren", "score_then"] == 0.0
    assert items.loc["senioren", "score_now"] == 100.0
    index = baseline_index(now, now_meta, then, then_meta).set_index("group")
    assert index.loc["senioren", "index_then"] == 0.0
    assert index.loc["senioren", "index_now"] == 100.0
