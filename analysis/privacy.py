"""The thresholds of the disclosure control and the one function every table passes through.

What may be shown is decided per *set of respondents* by :mod:`analysis.disclosure` (read
its docstring for the method): a row of a table describes a set (the active filters and the
row's target group or language), and the row is shown in full or not at all. There is no
hiding of single cells: within a described set every distribution is shown, because a
category chosen by one person of forty says nothing about who that person is.

:func:`suppress` hides a row when its set is not described (:class:`View`) or when the row's
base has fewer than ``min_cell`` answers (a mean over three answers is no finding). A filter
that leaves fewer than ``min_cell`` responses yields "too few" instead of numbers. Free text
is shown only for groups in which at least ``min_text`` people wrote (default 10).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.columns import GROUP, TOTAL

if TYPE_CHECKING:
    from analysis.disclosure import View

MIN_CELL = 5
MIN_CELL_FLOOR = 3
MIN_TEXT = 10
#: Column every suppressed table gets: the row is hidden.
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Policy:
    """Thresholds of the disclosure control; ``min_cell`` can never go below 3.

    ``view`` says which sets the current analysis may describe (``None``: every set of at
    least ``min_cell``, for tables computed without a survey around them, as in unit tests);
    ``baseline_view`` the same for the previous survey. Neither takes part in equality.
    """

    min_cell: int = MIN_CELL
    min_text: int = MIN_TEXT
    view: View | None = field(default=None, compare=False, hash=False, repr=False)
    baseline_view: View | None = field(default=None, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        if self.min_cell < MIN_CELL_FLOOR:
            raise ValueError(f"min_cell must be at least {MIN_CELL_FLOOR}")
        if self.min_text < self.min_cell:
            raise ValueError("min_text must be at least min_cell")

    def too_few(self, n: int) -> bool:
        """Return whether ``n`` responses are too few to show any numbers."""
        return n < self.min_cell

    def text_allowed(self, n: int) -> bool:
        """Return whether free text of a group of ``n`` writers may be shown."""
        return n >= self.min_text

    def shows(self, dimension: str, value: str | None, *, baseline: bool = False) -> bool:
        """Whether the row ``dimension = value`` (``None`` or ``total``: no condition) of the
        current (or the baseline) survey's tables describes a set that may be described."""
        view = self.baseline_view if baseline else self.view
        if view is None:
            return True
        wanted = None if value is None or str(value) == TOTAL else str(value)
        return view.shows(**{view.rows if dimension == GROUP else dimension: wanted})


DEFAULT_POLICY = Policy()


def suppress(
    table: pd.DataFrame,
    *,
    counts: Sequence[str],
    base: str | None = None,
    group: str | None = GROUP,
    linked: Mapping[str, str] | None = None,
    stats: Sequence[str] = (),
    policy: Policy = DEFAULT_POLICY,
    dimension: str | None = None,
    baseline: bool = False,
) -> pd.DataFrame:
    """Return a copy of ``table`` with every row hidden whose set may not be described.

    Args:
        table: one row per block (e.g. question and item) and group.
        counts: count columns (become nullable integers).
        base: the row's base count ``n``: a row with ``0 < n < min_cell`` is hidden (a row
            with ``n = 0`` shows its zeros).
        group: the column naming the row's set (``None``: the table has one set).
        linked: share or derived columns, hidden with the row.
        stats: statistics of the row, hidden with the row.
        policy: the thresholds and the view.
        dimension: the disclosure dimension of ``group`` (default: the group column's name).
        baseline: rows describe sets of the baseline survey.

    Returns:
        The table with a boolean ``suppressed`` column (the row is hidden).
    """
    out = table.copy()
    if out.empty:
        out[SUPPRESSED] = pd.Series(dtype=bool)
        return out
    hidden = np.zeros(len(out), dtype=bool)
    if group is not None:
        name = dimension or group
        keys = out[group].astype(str)
        verdict = {k: not policy.shows(name, k, baseline=baseline) for k in keys.unique()}
        hidden |= keys.map(verdict).to_numpy(dtype=bool)
    elif not policy.shows(GROUP, None, baseline=baseline):
        hidden[:] = True
    if base is not None:
        n = out[base].to_numpy(dtype=float, na_value=np.nan)
        hidden |= (n > 0) & (n < policy.min_cell)
        hidden &= n != 0  # a row about nobody discloses nothing
    for name in [*counts, *([base] if base else [])]:
        column = out[name].astype("Float64").round().astype("Int64")
        out[name] = column.mask(hidden)
    for name in [*(linked or {}), *stats]:
        out[name] = out[name].mask(hidden)
    out[SUPPRESSED] = hidden
    return out


def suppress_sets(
    table: pd.DataFrame,
    *,
    group: str,
    columns: Mapping[str, str],
    column_dimension: str,
    base: str | None = None,
    policy: Policy = DEFAULT_POLICY,
    dimension: str | None = None,
) -> pd.DataFrame:
    """Hide the cells of a table of *set sizes* whose set may not be described.

    In a table of responses per target group (rows) and channel or language (``columns``:
    column name -> value of ``column_dimension``) every cell is the size of a set, and the
    attribute it counts (writing in Arabic, answering on paper) can pick out a person, so each
    cell is shown exactly when its set is (:mod:`analysis.disclosure`); ``base`` is the row's
    own set. Without a view, cells of 1 to ``min_cell - 1`` are hidden.
    """
    out = table.copy()
    if out.empty:
        out[SUPPRESSED] = pd.Series(dtype=bool)
        return out
    view = policy.view
    name = dimension or group
    keys = out[group].astype(str)
    row_hidden = np.zeros(len(out), dtype=bool)
    for column, value in [*(([(base, None)]) if base else []), *columns.items()]:
        if view is None:
            n = out[column].to_numpy(dtype=float, na_value=np.nan)
            hidden = (n > 0) & (n < policy.min_cell)
        else:
            row_key = view.rows if name == GROUP else name
            # View.shows reads None (the base column) and "total" as "no condition"
            hidden = np.array(
                [not view.shows(**{row_key: k, column_dimension: value}) for k in keys],
                dtype=bool,
            )
        if column == base:
            row_hidden = hidden
        out[column] = out[column].astype("Float64").round().astype("Int64").mask(hidden)
    out[SUPPRESSED] = row_hidden
    return out


def visible_counts_ok(table: pd.DataFrame, counts: Sequence[str], policy: Policy) -> bool:
    """Return whether every shown row has a base of 0 or at least ``min_cell`` (for checks)."""
    values = table[list(counts)].to_numpy(dtype=float, na_value=np.nan)
    shown = values[~np.isnan(values)]
    return bool(((shown == 0) | (shown >= policy.min_cell)).all())


def suppress_small_cells(
    table: pd.DataFrame,
    *,
    row: str,
    column: str,
    count: str,
    linked: Sequence[str] = (),
    policy: Policy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """Hide every cell of a two-way count table (``row`` × ``column``) that counts 1 to
    ``min_cell - 1`` people, with complementary cells, so that no hidden count can be worked
    out from the shown ones and the totals.

    A date distribution has many small cells (one person who moved in in March 2021): shown,
    such a cell describes a group under the minimum. Hiding it alone is not enough, because
    the column's total (the group's answers, known from other tables too) and the row's total
    give it back by subtraction; so in every row and column with exactly one hidden cell the
    smallest other non-zero cell is hidden as well, until no row or column has exactly one.
    Zeros stay: they describe nobody. Tables with an ``GROUP`` of ``TOTAL`` treat it as one
    more column (its cells are row totals of the others).
    """
    out = table.copy()
    if out.empty:
        return out
    values = pd.to_numeric(out[count], errors="coerce")
    hidden = (values > 0) & (values < policy.min_cell)
    while True:
        changed = False
        for key in (row, column):
            for _label, block in out.groupby(key, sort=False):
                index = block.index
                if int(hidden[index].sum()) != 1:
                    continue
                candidates = values[index][~hidden[index] & (values[index] > 0)]
                if candidates.empty:
                    continue
                hidden = hidden | (hidden.index == candidates.idxmin())
                changed = True
        if not changed:
            break
    out[count] = out[count].astype("Int64").mask(hidden)
    for name in linked:
        out[name] = out[name].astype(float).mask(hidden)
    return out
