"""Row-level suppression through the guard: thresholds, whole rows, properties with hypothesis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.disclosure import View, build_guard
from analysis.frames import TOTAL
from analysis.privacy import Policy, suppress, visible_counts_ok


def test_min_cell_never_below_three() -> None:
    with pytest.raises(ValueError):
        Policy(min_cell=2)
    assert Policy(min_cell=3).min_cell == 3
    assert Policy().too_few(4) and not Policy().too_few(5)
    assert not Policy().text_allowed(9) and Policy().text_allowed(10)


def counts_table(matrix: list[list[int]]) -> pd.DataFrame:
    """Groups x points with n = row sums, plus the total row."""
    values = np.array(matrix, dtype=int)
    cols = [f"c{j}" for j in range(values.shape[1])]
    table = pd.DataFrame(values, columns=cols)
    table["n"] = values.sum(axis=1)
    table["group"] = [f"g{i}" for i in range(len(values))]
    total = table[[*cols, "n"]].sum().to_frame().T
    total["group"] = TOTAL
    return pd.concat([table, total], ignore_index=True).assign(block="q")


def viewed(table: pd.DataFrame, policy: Policy) -> Policy:
    """The policy with the guard of the table's groups (one respondent per person)."""
    groups = table[table["group"] != TOTAL]
    people = [g for g, n in zip(groups["group"], groups["n"], strict=True) for _ in range(n)]
    responses = pd.DataFrame({"response": range(len(people)), "group": people})
    responses["channel"], responses["language"] = "online", "de"
    from dataclasses import replace

    return replace(policy, view=View(build_guard(responses, policy)))


def exposed_by_rank(
    table: pd.DataFrame, cols: list[str], mean: bool = False
) -> list[tuple[int, int]]:
    """Independent check: a hidden cell is recoverable iff its unit vector lies in the row
    space of the known equations (sums, and n x mean where published) on the hidden cells."""
    hidden = table[[*cols, "n"]].isna().to_numpy()
    rows, width = hidden.shape
    eqs = []
    for i in range(rows):  # a published mean gives sum(point x count)
        if mean and not hidden[i, -1]:
            e = np.zeros((rows, width))
            e[i, :-1] = np.arange(1, width)
            eqs.append(e.ravel())
    for i in range(rows):  # points add up to n
        e = np.zeros((rows, width))
        e[i, :-1], e[i, -1] = 1, -1
        eqs.append(e.ravel())
    for j in range(width):  # groups add up to the total row
        e = np.zeros((rows, width))
        e[:-1, j], e[-1, j] = 1, -1
        eqs.append(e.ravel())
    unknown = np.flatnonzero(hidden.ravel())
    if unknown.size == 0:
        return []
    system = np.array(eqs)[:, unknown]
    rank = np.linalg.matrix_rank(system)
    exposed = []
    for position, cell in enumerate(unknown):
        unit = np.zeros(len(unknown))
        unit[position] = 1
        if np.linalg.matrix_rank(np.vstack([system, unit])) == rank:
            exposed.append(divmod(int(cell), width))
    return exposed


matrices = st.integers(1, 4).flatmap(
    lambda rows: st.integers(2, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 25), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(matrices, st.integers(3, 7))
def test_rows_are_shown_whole_and_nothing_is_recoverable_from_totals(
    matrix: list[list[int]], min_cell: int
) -> None:
    table = counts_table(matrix)
    cols = [c for c in table.columns if c.startswith("c")]
    policy = viewed(table, Policy(min_cell=min_cell, min_text=max(10, min_cell)))
    out = suppress(table, counts=cols, base="n", stats=[], policy=policy)
    assert visible_counts_ok(out, ["n"], policy)
    assert exposed_by_rank(out, cols) == []
    # A shown row is complete and true; a hidden row is hidden whole.
    values = out[[*cols, "n"]].to_numpy(dtype=float, na_value=np.nan)
    hidden = np.isnan(values)
    assert (hidden.all(axis=1) | ~hidden.any(axis=1)).all()
    shown = ~hidden
    np.testing.assert_array_equal(values[shown], table[[*cols, "n"]].to_numpy(dtype=float)[shown])
    # and a small count inside a shown row stays: no per-cell hiding
    small = (table[cols].to_numpy() > 0) & (table[cols].to_numpy() < min_cell)
    assert not (small & hidden[:, :-1] & ~hidden[:, -1:]).any()


def test_single_small_group_takes_the_total_with_it() -> None:
    """The two people of g2 could be the total minus g0 and g1: the total goes (it is the
    row a reader misses least), g0 and g1 are shown in full, small counts included."""
    table = counts_table([[10, 10], [6, 6], [1, 1]])
    out = suppress(table, counts=["c0", "c1"], base="n", policy=viewed(table, Policy()))
    assert out["suppressed"].tolist() == [False, False, True, True]
    assert out.loc[1, "c0"] == 6 and out.loc[0, "n"] == 20


def test_stats_and_shares_follow_their_counts() -> None:
    table = pd.DataFrame(
        {
            "group": ["a", "b"],
            "n": [3, 8],
            "mean": [2.0, 3.0],
            "count": [1, 6],
            "share": [1 / 3, 6 / 8],
        }
    )
    out = suppress(table, counts=["count"], base="n", linked={"share": "count"}, stats=["mean"])
    assert pd.isna(out.loc[0, "mean"]) and out.loc[1, "mean"] == 3.0
    assert pd.isna(out.loc[0, "share"]) and out.loc[1, "share"] == 0.75


def test_small_cells_of_a_date_distribution_are_hidden_with_complements() -> None:
    """Months × groups: every cell of 1–4 people is hidden, and no hidden cell can be
    recovered from its row or column total (each row and column hides none or at least two)."""
    import pandas as pd

    from analysis.privacy import Policy, suppress_small_cells

    rows = [
        ("2020-01", "familien", 7),
        ("2020-01", "senioren", 2),  # small
        ("2020-01", "akteure", 6),
        ("2020-02", "familien", 9),
        ("2020-02", "senioren", 8),
        ("2020-02", "akteure", 0),  # a zero describes nobody
        ("2020-03", "familien", 5),
        ("2020-03", "senioren", 6),
        ("2020-03", "akteure", 7),
    ]
    table = pd.DataFrame(rows, columns=["month", "group", "count"])
    table["share"] = table["count"] / 10
    out = suppress_small_cells(
        table, row="month", column="group", count="count", linked=["share"], policy=Policy(5)
    )
    hidden = out["count"].isna()
    assert hidden[1]  # the 2 seniors of January
    assert not hidden[5] and out.loc[5, "count"] == 0
    for key in ("month", "group"):
        assert set(hidden.groupby(out[key]).sum()) <= {0, 2, 3}, key
    assert out.loc[hidden, "share"].isna().all()
    assert not (hidden & (table["count"] >= 5) & ~hidden).any()
