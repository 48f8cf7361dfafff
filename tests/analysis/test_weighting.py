"""Raking against hand-computed weights, a published example and an independent IPF (ipfn)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.weighting import (
    COUNT,
    MISSING,
    WEIGHT,
    Margin,
    RakingError,
    TrimBounds,
    design_effect,
    rake,
)


def _cells(table: list[list[float]], rows: str = "a", cols: str = "b") -> pd.DataFrame:
    """A joint count table as the cell frame ``rake`` takes (one row per cell)."""
    return pd.DataFrame(
        [
            {rows: f"{rows}{i + 1}", cols: f"{cols}{j + 1}", COUNT: n}
            for i, row in enumerate(table)
            for j, n in enumerate(row)
        ]
    )


def _weights(result_cells: pd.DataFrame, rows: str = "a", cols: str = "b") -> dict[str, float]:
    return {f"{r[rows]}{r[cols]}": float(r[WEIGHT]) for r in result_cells.to_dict("records")}


def test_two_by_two_against_a_hand_computation() -> None:
    # Sample (n = 100):      b1  b2         population shares: a1 50 %, a2 50 %
    #                  a1    30  10                            b1 60 %, b2 40 %
    #                  a2    20  40
    # Raking keeps the sample's odds ratio (30·40)/(10·20) = 6 and meets both margins.
    # With x the weighted count of (a1, b1) on the weighted total of 100:
    #   table [[x, 50 − x], [60 − x, x − 10]],  x(x − 10) = 6 (50 − x)(60 − x)
    #   ⇔ x² − 130x + 3600 = 0 ⇔ x = 40 (the root 90 lies outside 10 < x < 50).
    # So the raked table is [[40, 10], [20, 30]] and the weights are
    #   w11 = 40/30 = 4/3, w12 = 10/10 = 1, w21 = 20/20 = 1, w22 = 30/40 = 3/4.
    # Σw = 100 (mean 1), Σw² = 30·16/9 + 10 + 20 + 40·9/16 = 53⅓ + 30 + 22.5 = 105.8333…
    # deff = n·Σw²/(Σw)² = 100 · 105.8333/100² = 1.058333…, ESS = 100/1.058333 = 94.488…
    cells = _cells([[30, 10], [20, 40]])
    margins = [Margin("a", {"a1": 50, "a2": 50}), Margin("b", {"b1": 60, "b2": 40})]
    result = rake(cells, margins, bounds=None)
    weights = _weights(result.cells)
    assert weights["a1b1"] == pytest.approx(4 / 3, abs=1e-6)
    assert weights["a1b2"] == pytest.approx(1.0, abs=1e-6)
    assert weights["a2b1"] == pytest.approx(1.0, abs=1e-6)
    assert weights["a2b2"] == pytest.approx(0.75, abs=1e-6)
    assert result.n == 100
    assert result.deff == pytest.approx(1.0583333333, abs=1e-6)
    assert result.effective_n == pytest.approx(100 / 1.0583333333, abs=1e-4)
    assert result.min_weight == pytest.approx(0.75, abs=1e-6)
    assert result.max_weight == pytest.approx(4 / 3, abs=1e-6)
    assert result.max_deviation < 1e-8
    assert result.iterations > 1


def test_counts_and_shares_give_the_same_weights() -> None:
    cells = _cells([[30, 10], [20, 40]])
    counts = [Margin("a", {"a1": 41_500, "a2": 41_500}), Margin("b", {"b1": 49_800, "b2": 33_200})]
    shares = [Margin("a", {"a1": 50, "a2": 50}), Margin("b", {"b1": 60, "b2": 40})]
    np.testing.assert_allclose(
        rake(cells, counts, None).cells[WEIGHT], rake(cells, shares, None).cells[WEIGHT]
    )


def test_deff_against_a_hand_computation() -> None:
    # Three respondents of weight 2 and one of weight 0.5 (others 1): n = 6,
    # Σw = 3·2 + 0.5 + 2·1 = 8.5, Σw² = 3·4 + 0.25 + 2 = 14.25,
    # deff = 6 · 14.25 / 8.5² = 85.5 / 72.25 = 1.183391
    deff = design_effect(np.array([3, 1, 2]), np.array([2.0, 0.5, 1.0]))
    assert deff == pytest.approx(85.5 / 72.25, abs=1e-9)
    assert deff == pytest.approx(1.183391, abs=1e-6)
    # equal weights: no loss
    assert design_effect(np.array([4, 7]), np.array([1.3, 1.3])) == pytest.approx(1.0)


def test_published_example_ardilly_tille() -> None:
    # Ardilly & Tillé (2006), "Sampling Methods: Exercises and Solutions", Springer, the
    # raking exercise used as Example 1 of IPFP() in the R package TeachingSampling
    # (man/IPFP.rd): the sample table
    #        b1   b2   b3
    #   a1   80  170  150
    #   a2   90   80  210
    #   a3   10   80  130
    # raked to the row totals 430, 360, 210 and the column totals 150, 300, 550.
    # The raked table is the unique table of the form P·Z·Q with these margins (Bishop,
    # Fienberg & Holland 1975): its rows and columns meet the totals and every 2×2 log
    # odds ratio equals the sample's. Both are checked, and the table against ipfn.
    table = np.array([[80, 170, 150], [90, 80, 210], [10, 80, 130]], dtype=float)
    rows, cols = np.array([430.0, 360, 210]), np.array([150.0, 300, 550])
    cells = _cells(table.tolist())
    margins = [
        Margin("a", dict(zip(["a1", "a2", "a3"], rows, strict=True))),
        Margin("b", dict(zip(["b1", "b2", "b3"], cols, strict=True))),
    ]
    result = rake(cells, margins, bounds=None, tolerance=1e-12)
    fitted = (
        result.cells.assign(m=lambda f: f[COUNT] * f[WEIGHT] * 1000 / result.n)
        .pivot(index="a", columns="b", values="m")
        .to_numpy()
    )
    np.testing.assert_allclose(fitted.sum(axis=1), rows, atol=1e-6)
    np.testing.assert_allclose(fitted.sum(axis=0), cols, atol=1e-6)
    log_ratio = np.log(fitted) - np.log(table)
    interaction = log_ratio - log_ratio.mean(axis=1, keepdims=True)
    interaction = interaction - interaction.mean(axis=0, keepdims=True)
    np.testing.assert_allclose(interaction, 0, atol=1e-9)

    from ipfn import ipfn

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = ipfn.ipfn(
            table.copy(),
            [rows, cols],
            [[0], [1]],
            convergence_rate=1e-12,
            rate_tolerance=0,
            max_iteration=10_000,
        ).iteration()
    np.testing.assert_allclose(fitted, reference, atol=1e-6)


def _plain_ipf(table: np.ndarray, margins: list[np.ndarray]) -> np.ndarray:
    """Textbook IPF on a dense table, one axis per margin (written for this test only)."""
    fitted = table.astype(float).copy()
    for _ in range(5000):
        for axis, target in enumerate(margins):
            others = tuple(a for a in range(table.ndim) if a != axis)
            current = fitted.sum(axis=others)
            shape = [1] * table.ndim
            shape[axis] = -1
            fitted *= (target / current).reshape(shape)
    return fitted


def test_three_margins_match_a_plain_ipf() -> None:
    rng = np.random.default_rng(7)
    table = rng.integers(5, 60, size=(4, 3, 2)).astype(float)
    margins = [np.array([0.4, 0.3, 0.2, 0.1]), np.array([0.5, 0.3, 0.2]), np.array([0.52, 0.48])]
    expected = _plain_ipf(table, [m * table.sum() for m in margins])
    cells = pd.DataFrame(
        [
            {"x": f"x{i}", "y": f"y{j}", "z": f"z{k}", COUNT: table[i, j, k]}
            for i in range(4)
            for j in range(3)
            for k in range(2)
        ]
    )
    result = rake(
        cells,
        [
            Margin(q, {f"{q}{i}": float(s) for i, s in enumerate(m)})
            for q, m in zip("xyz", margins, strict=True)
        ],
        bounds=None,
        tolerance=1e-12,
    )
    got = result.cells[COUNT] * result.cells[WEIGHT]
    want = [expected[i, j, k] for i in range(4) for j in range(3) for k in range(2)]
    np.testing.assert_allclose(got.to_numpy(), want, rtol=1e-7)


def test_missing_respondents_keep_their_weight_share() -> None:
    # 20 respondents did not say their district: they keep weight 1 while the 80 who did
    # are raked to 75 % / 25 % among themselves, i.e. 60 and 20 of the weighted 80.
    cells = pd.DataFrame({"d": ["n", "s", None, "ausserhalb"], COUNT: [40, 40, 15, 5]})
    result = rake(cells, [Margin("d", {"n": 3, "s": 1})], bounds=None)
    w = dict(zip(result.cells["d"], result.cells[WEIGHT], strict=True))
    assert w["n"] == pytest.approx(60 / 40)
    assert w["s"] == pytest.approx(20 / 40)
    assert w[MISSING] == pytest.approx(1.0)
    assert float((result.cells[COUNT] * result.cells[WEIGHT]).sum()) == pytest.approx(100)


def test_trimming_keeps_weights_within_the_bounds_and_still_meets_the_margins() -> None:
    # a3 is 10 % of the sample but 40 % of the population: its weights average 4, and
    # untrimmed they are 4.87 (b1) and 3.63 (b2).
    cells = _cells([[30, 30], [16, 14], [3, 7]])
    margins = [
        Margin("a", {"a1": 30, "a2": 30, "a3": 40}),
        Margin("b", {"b1": 50, "b2": 50}),
    ]
    untrimmed = rake(cells, margins, bounds=None)
    assert untrimmed.max_weight == pytest.approx(4.874267, abs=1e-5)
    bounds = TrimBounds(0.2, 4.5)
    trimmed = rake(cells, margins, bounds=bounds)
    assert trimmed.min_weight >= bounds.lower * (1 - 1e-6)
    assert trimmed.max_weight <= bounds.upper * (1 + 1e-6)
    assert trimmed.max_weight == pytest.approx(4.5, rel=1e-5)
    assert trimmed.trim_rounds >= 1
    assert trimmed.trimmed == 3  # the three respondents of (a3, b1) sit on the cap
    # a floor that binds too: the 60 respondents of a1 end on 0.5
    floored = rake(cells, margins, bounds=TrimBounds(0.5, 4.5))
    assert floored.trimmed == 63
    assert floored.min_weight == pytest.approx(0.5, rel=1e-5)
    assert floored.max_deviation < 1e-6
    assert trimmed.max_deviation < 1e-6
    assert trimmed.deff < untrimmed.deff
    # margins still met after trimming
    weighted = trimmed.cells.assign(m=trimmed.cells[COUNT] * trimmed.cells[WEIGHT])
    assert weighted.groupby("a")["m"].sum()["a3"] == pytest.approx(40, abs=1e-4)
    assert weighted.groupby("b")["m"].sum()["b1"] == pytest.approx(50, abs=1e-4)


def test_bounds_that_cannot_hold_the_margins_fail_clearly() -> None:
    # a cap of 3 cannot give a3's 10 respondents 40 % of a weighted total of 100
    cells = _cells([[30, 30], [16, 14], [3, 7]])
    margins = [Margin("a", {"a1": 30, "a2": 30, "a3": 40})]
    with pytest.raises(RakingError) as caught:
        rake(cells, margins, bounds=TrimBounds(0.5, 3.0))
    assert caught.value.params == {"lower": 0.5, "upper": 3.0}


def test_an_empty_population_category_fails_clearly() -> None:
    cells = pd.DataFrame({"d": ["n", "s"], COUNT: [40, 40]})
    with pytest.raises(RakingError) as caught:
        rake(cells, [Margin("d", {"n": 1, "s": 1, "o": 1})])
    assert caught.value.params == {"question": "d", "option": "o"}
    assert "keine Antwort" in str(caught.value)


def test_a_category_below_the_minimum_group_fails() -> None:
    cells = pd.DataFrame({"d": ["n", "s"], COUNT: [40, 4]})
    with pytest.raises(RakingError) as caught:
        rake(cells, [Margin("d", {"n": 1, "s": 1})], min_cell=5)
    assert caught.value.params["min"] == 5


def test_input_is_not_changed() -> None:
    cells = _cells([[30, 10], [20, 40]])
    before = cells.copy()
    rake(cells, [Margin("a", {"a1": 1, "a2": 1})])
    pd.testing.assert_frame_equal(cells, before)
