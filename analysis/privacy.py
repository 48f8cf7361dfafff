"""Small-cell suppression: the one function every analysis output passes through.

A count below ``min_cell`` (default 5, never below 3) is suppressed (primary suppression).
Because tables publish totals - a group's ``n`` is the sum of its scale points, and the
``total`` row is the sum of the group rows - one hidden cell could be recomputed by
subtraction. Secondary suppression therefore hides further cells (smallest first) until no
hidden cell is determined by the published cells and the table's sum equations. "Determined"
is checked exactly with linear algebra: a hidden cell is recoverable iff every solution of the
sum equations gives it the same value, i.e. iff the null space of the equations vanishes on it.

Zeros are not primary-suppressed: "nobody chose this" discloses nothing about a person. Free
text is shown only for groups of at least ``min_text`` answers (default 10). A filter that
leaves fewer than ``min_cell`` responses yields "too few" instead of numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.frames import GROUP, TOTAL

MIN_CELL = 5
MIN_CELL_FLOOR = 3
MIN_TEXT = 10
#: Column every suppressed table gets: the row's base count is hidden.
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Policy:
    """Thresholds of the disclosure control; ``min_cell`` can never go below 3."""

    min_cell: int = MIN_CELL
    min_text: int = MIN_TEXT

    def __post_init__(self) -> None:
        if self.min_cell < MIN_CELL_FLOOR:
            raise ValueError(f"min_cell must be at least {MIN_CELL_FLOOR}")
        if self.min_text < self.min_cell:
            raise ValueError("min_text must be at least min_cell")

    def too_few(self, n: int) -> bool:
        """Return whether ``n`` responses are too few to show any numbers."""
        return n < self.min_cell

    def text_allowed(self, n: int) -> bool:
        """Return whether free text of a group of ``n`` answers may be shown."""
        return n >= self.min_text


DEFAULT_POLICY = Policy()


@lru_cache(maxsize=256)
def _sum_equations(shape: tuple[int, int], row_eq: bool, col_eq: bool) -> np.ndarray:
    """The sum equations of a table: the last column (row) is the sum of the others."""
    rows, cols = shape
    eqs: list[np.ndarray] = []
    if row_eq and cols > 1:
        for i in range(rows):
            e = np.zeros(shape)
            e[i, :-1] = 1
            e[i, -1] = -1
            eqs.append(e.ravel())
    if col_eq and rows > 1:
        for j in range(cols):
            e = np.zeros(shape)
            e[:-1, j] = 1
            e[-1, j] = -1
            eqs.append(e.ravel())
    out = np.array(eqs).reshape(len(eqs), rows * cols)
    out.flags.writeable = False
    return out


def _equations(
    hidden: np.ndarray, row_eq: bool, col_eq: bool, weights: Sequence[np.ndarray] = ()
) -> np.ndarray:
    """Coefficient matrix over all cells of the equations an attacker knows.

    The last column (row) is the sum of the others when ``row_eq`` (``col_eq``); every
    ``weights`` vector is a published linear statistic of each row whose base (last column)
    is shown - a mean times n is the sum of point x count.
    """
    shape = hidden.shape
    sums = _sum_equations((int(shape[0]), int(shape[1])), row_eq, col_eq)
    if not weights:
        return sums
    extra: list[np.ndarray] = []
    for weight in weights:
        for i in range(shape[0]):
            if row_eq and hidden[i, -1]:
                continue
            e = np.zeros(shape)
            e[i, : len(weight)] = weight
            extra.append(e.ravel())
    return np.vstack([sums, *extra]) if extra else sums


def recoverable(
    hidden: np.ndarray, row_eq: bool, col_eq: bool, weights: Sequence[np.ndarray] = ()
) -> np.ndarray:
    """Return a mask of the hidden cells whose value follows from the published ones.

    Args:
        hidden: boolean matrix of suppressed cells.
        row_eq: whether the last column is the sum of the other columns (per row).
        col_eq: whether the last row is the sum of the other rows (per column).
        weights: published linear statistics per row (see :func:`_equations`).
    """
    flat = hidden.ravel()
    result = np.zeros(flat.shape, dtype=bool)
    unknown = np.flatnonzero(flat)
    if unknown.size == 0:
        return _shaped(result, hidden)
    system = _equations(hidden, row_eq, col_eq, weights)[:, unknown]
    system = system[np.abs(system).sum(axis=1) > 0]
    if system.shape[0] == 0:
        return _shaped(result, hidden)
    _, sing, vt = np.linalg.svd(system)
    rank = int((sing > 1e-9).sum())
    null = vt[rank:].T  # unknowns x free directions
    if null.shape[1] == 0:
        result[unknown] = True
    else:
        result[unknown] = np.abs(null).max(axis=1) < 1e-9
    return _shaped(result, hidden)


def _shaped(flat: np.ndarray, like: np.ndarray) -> np.ndarray:
    out: np.ndarray = flat.reshape(like.shape)
    return out


def _tiers(shape: tuple[int, int], row_eq: bool, col_eq: bool) -> np.ndarray:
    """Cost tier of hiding each cell: inner cells 0, total-row cells 1, a row's ``n`` 2
    (it takes every statistic of the row with it), the grand total 3."""
    tier = np.zeros(shape, dtype=int)
    if col_eq:
        tier[-1, :] = 1
    if row_eq:
        tier[:, -1] = 2
    if row_eq and col_eq:
        tier[-1, -1] = 3
    return tier


def suppression_mask(
    counts: np.ndarray,
    *,
    row_eq: bool,
    col_eq: bool,
    policy: Policy = DEFAULT_POLICY,
    weights: Sequence[np.ndarray] = (),
) -> np.ndarray:
    """Return which cells of a count matrix to hide (primary plus secondary suppression).

    Secondary suppression is greedy: while a hidden cell is recoverable, hide one more cell,
    preferring (1) a cell that makes fewer cells recoverable, in the lowest cost tier (inner
    cells before totals before a row's ``n``), in a line of the exposed cell, then (2) the
    smallest value (least information lost). ``counts`` may hold NaN for missing cells.
    """
    values = np.nan_to_num(counts.astype(float), nan=0.0)
    hidden: np.ndarray = (values > 0) & (values < policy.min_cell)
    tier = _tiers(values.shape, row_eq, col_eq)
    while True:
        exposed = recoverable(hidden, row_eq, col_eq, weights)
        count = int(exposed.sum())
        if count == 0:
            return hidden
        i, j = (int(x) for x in np.argwhere(exposed)[0])
        in_lines = np.zeros_like(hidden)
        if row_eq:
            in_lines[i, :] = True
        if col_eq:
            in_lines[:, j] = True
        scored = []
        for a, b in np.argwhere(~hidden):
            trial = hidden.copy()
            trial[a, b] = True
            after = int(recoverable(trial, row_eq, col_eq, weights).sum())
            scored.append(
                (
                    after >= count,
                    int(tier[a, b]),
                    not in_lines[a, b],
                    after,
                    float(values[a, b]),
                    int(a),
                    int(b),
                )
            )
        if not scored:
            return hidden
        best = min(scored)
        hidden[best[-2], best[-1]] = True


def suppress(
    table: pd.DataFrame,
    *,
    counts: Sequence[str],
    base: str | None = None,
    by: Sequence[str] = (),
    group: str | None = GROUP,
    counts_add_up: bool = False,
    linked: Mapping[str, str] | None = None,
    stats: Sequence[str] = (),
    policy: Policy = DEFAULT_POLICY,
    weights: Sequence[np.ndarray] = (),
    exact_stats: Sequence[str] = (),
) -> pd.DataFrame:
    """Return a copy of ``table`` with small cells and what would reveal them set to NA.

    Args:
        table: one row per block (``by`` columns) and group; the group ``total`` is the sum
            of the other groups of the block.
        counts: count columns (become nullable integers).
        base: the row's base count ``n``; when ``counts_add_up`` the counts sum to it.
        by: columns that identify a block (e.g. question and item).
        group: the group column, or ``None`` when the table has no group rows.
        linked: share or derived column -> the count column it reveals.
        stats: statistics of the row, hidden together with ``base``.
        policy: the thresholds.
        weights: linear statistics published per row over ``counts`` (e.g. the points of
            the scale for a mean); secondary suppression keeps hidden cells unrecoverable
            from them too.
        exact_stats: statistics that reveal more of a row's distribution (sd, median,
            top-2-box); hidden for every row with a hidden count.

    Returns:
        The suppressed table with a boolean ``suppressed`` column (the row's base is hidden).
    """
    out = table.copy()
    columns = list(counts) + ([base] if base else [])
    if out.empty:
        out[SUPPRESSED] = pd.Series(dtype=bool)
        return out
    hidden = np.zeros((len(out), len(columns)), dtype=bool)
    positions = np.arange(len(out))
    keys = list(by)
    blocks = out.groupby(keys, observed=True, sort=False).indices.values() if keys else [positions]
    values = out[columns].to_numpy(dtype=float, na_value=np.nan)
    for rows in blocks:
        rows = np.asarray(rows)
        col_eq = False
        if group is not None:
            is_total = (out[group].iloc[rows].astype(str) == TOTAL).to_numpy()
            if is_total.sum() == 1 and len(rows) > 1:
                rows = np.concatenate([rows[~is_total], rows[is_total]])
                col_eq = True
        block = values[rows]
        row_eq = bool(counts_add_up and base)
        hidden[rows] = suppression_mask(
            block, row_eq=row_eq, col_eq=col_eq, policy=policy, weights=weights
        )
    for index, name in enumerate(columns):
        column = out[name].astype("Float64").round().astype("Int64")
        out[name] = column.mask(hidden[:, index])
    mask_of: dict[str, np.ndarray] = {c: hidden[:, i] for i, c in enumerate(columns)}
    for name, source in (linked or {}).items():
        out[name] = out[name].mask(mask_of[source])
    row_hidden = np.asarray(mask_of[base] if base else hidden.any(axis=1), dtype=bool)
    for name in stats:
        out[name] = out[name].mask(row_hidden)
    partial = hidden[:, : len(counts)].any(axis=1)
    for name in exact_stats:
        out[name] = out[name].mask(row_hidden | partial)
    out[SUPPRESSED] = row_hidden
    return out


def visible_counts_ok(table: pd.DataFrame, counts: Sequence[str], policy: Policy) -> bool:
    """Return whether every published count is 0 or at least ``min_cell`` (for checks)."""
    values = table[list(counts)].to_numpy(dtype=float, na_value=np.nan)
    shown = values[~np.isnan(values)]
    return bool(((shown == 0) | (shown >= policy.min_cell)).all())
