"""Raking (iterative proportional fitting) of a sample to population margins, with trimming.

The input is the joint count table of the weighting questions: one row per combination of
answers ("cell") that occurs in the sample, with its number of respondents ``n``. Every
respondent of a cell gets the same weight, so raking works on the cells, not on the
respondents, and weighted figures are sums of weight × count per cell
(:mod:`analysis.weighting_data`).

Rules (``docs/weighting.md``):

* A respondent who did not answer a weighting question, or chose an option staff excluded
  (e.g. "Ich wohne nicht in Delmenhorst"), is ``MISSING`` for that margin. Nothing is imputed:
  when the margin is adjusted, these respondents keep their weights and the others are
  scaled so that their weighted distribution meets the population shares while their
  weighted total stays as it is (the rule of ANES' ``anesrake``).
* Weights are normalised to mean 1 over all respondents, so the weighted n equals the
  unweighted n.
* Trimming: weights outside ``[lower, upper]`` × mean are set to the bound, then the sample
  is raked again; this repeats until the raked weights stay inside the bounds.
* Every population category needs at least ``min_cell`` respondents: an empty category makes
  raking impossible, and a tiny one gives extreme weights that would also tell how few
  people it has.

The package ``ipfn`` is not used for the fitting itself: it cannot keep a "fehlend"
category at its current weight, it reports "converged" when its change rate stalls even
though the margins are missed, and it prints to stdout. The tests use it as an independent
reference where no respondent is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveys.i18n import N_

#: Code of the "fehlend" category: no answer, or an option excluded from the margin.
MISSING = "__fehlend__"
#: Column of the cell table holding the number of respondents.
COUNT = "n"
#: Column of the cell table holding the weight of each respondent of the cell.
WEIGHT = "weight"


@dataclass(frozen=True)
class Margin:
    """The population distribution of one weighting question.

    ``targets`` maps option codes to population counts or shares (only their proportions
    matter); options not listed count as ``MISSING``.
    """

    question: str
    targets: Mapping[str, float]

    def shares(self) -> dict[str, float]:
        """The population shares of the listed options (summing to 1)."""
        total = float(sum(self.targets.values()))
        return {code: float(value) / total for code, value in self.targets.items()}


@dataclass(frozen=True)
class TrimBounds:
    """Weights are kept within ``[lower, upper]`` × the mean weight (1)."""

    lower: float = 0.2
    upper: float = 5.0

    def __post_init__(self) -> None:
        if not 0 < self.lower < 1 < self.upper:
            raise ValueError("trimming bounds must satisfy 0 < lower < 1 < upper")


class RakingError(Exception):
    """Raking is impossible or did not converge; ``message`` is a German msgid (``N_``)."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class RakingResult:
    """Weights per cell and the figures that describe them."""

    #: The cell table with the weight of each of its respondents (column ``weight``).
    cells: pd.DataFrame
    #: Sweeps over all margins, summed over every trimming round.
    iterations: int
    #: How often weights were trimmed and raked again.
    trim_rounds: int
    #: Largest difference between a weighted share and its population share.
    max_deviation: float
    #: Respondents whose weight lies on a trimming bound.
    trimmed: int

    @property
    def n(self) -> int:
        """The unweighted number of respondents."""
        return int(self.cells[COUNT].sum())

    @property
    def deff(self) -> float:
        """Kish's design effect due to weighting, n·Σw² / (Σw)²."""
        return design_effect(self.cells[COUNT].to_numpy(), self.cells[WEIGHT].to_numpy())

    @property
    def effective_n(self) -> float:
        """The effective sample size n / deff."""
        return self.n / self.deff

    @property
    def min_weight(self) -> float:
        """The smallest weight of a respondent."""
        return float(self.cells[WEIGHT].min())

    @property
    def max_weight(self) -> float:
        """The largest weight of a respondent."""
        return float(self.cells[WEIGHT].max())


def design_effect(counts: np.ndarray, weights: np.ndarray) -> float:
    """Kish's deff = n·Σw² / (Σw)² for ``counts[i]`` respondents of weight ``weights[i]``."""
    n = float(counts.sum())
    total = float((counts * weights).sum())
    return n * float((counts * weights**2).sum()) / total**2


def check_cells(
    cells: pd.DataFrame, margins: Sequence[Margin], min_cell: int
) -> dict[str, pd.Series]:
    """Return the respondents per category of each margin; raise if raking is impossible.

    Raises :class:`RakingError` when a population category has no respondents or fewer than
    ``min_cell``, or when nobody answered a weighting question.
    """
    counts: dict[str, pd.Series] = {}
    for margin in margins:
        by_code = cells.groupby(margin.question, observed=True)[COUNT].sum()
        valid = sum(int(by_code.get(code, 0)) for code in margin.targets)
        if valid == 0:
            raise RakingError(
                N_(
                    "Niemand hat die Frage „%(question)s“ beantwortet; sie taugt nicht zur "
                    "Gewichtung."
                ),
                question=margin.question,
            )
        for code in margin.targets:
            found = int(by_code.get(code, 0))
            if found == 0:
                raise RakingError(
                    N_(
                        "Für „%(option)s“ (%(question)s) gibt es in der Stichprobe keine "
                        "Antwort. Schließen Sie die Kategorie aus oder fassen Sie sie mit "
                        "einer anderen zusammen."
                    ),
                    question=margin.question,
                    option=code,
                )
            if found < min_cell:
                raise RakingError(
                    N_(
                        "Für „%(option)s“ (%(question)s) gibt es weniger als %(min)s Antworten. "
                        "Schließen Sie die Kategorie aus oder fassen Sie sie mit einer anderen "
                        "zusammen."
                    ),
                    question=margin.question,
                    option=code,
                    min=min_cell,
                )
        counts[margin.question] = by_code
    return counts


def _sweep(
    codes: list[np.ndarray], shares: list[dict[str, float]], n: np.ndarray, w: np.ndarray
) -> None:
    """One raking sweep over all margins, updating ``w`` in place."""
    for column, target in zip(codes, shares, strict=True):
        valid = column != MISSING
        valid_total = float((n * w)[valid].sum())
        for code, share in target.items():
            mask = column == code
            current = float((n * w)[mask].sum())
            w[mask] *= share * valid_total / current


def _deviation(
    codes: list[np.ndarray], shares: list[dict[str, float]], n: np.ndarray, w: np.ndarray
) -> float:
    """Largest |weighted share − population share| among respondents with a valid answer."""
    worst = 0.0
    for column, target in zip(codes, shares, strict=True):
        valid_total = float((n * w)[column != MISSING].sum())
        for code, share in target.items():
            got = float((n * w)[column == code].sum()) / valid_total
            worst = max(worst, abs(got - share))
    return worst


def rake(
    cells: pd.DataFrame,
    margins: Sequence[Margin],
    bounds: TrimBounds | None = TrimBounds(),
    *,
    min_cell: int = 1,
    tolerance: float = 1e-10,
    max_iterations: int = 1000,
    max_trim_rounds: int = 200,
) -> RakingResult:
    """Rake the cell table ``cells`` (one column per margin's question, plus ``n``).

    Returns the cells with their weights (mean 1 over respondents). ``bounds=None`` rakes
    without trimming. Raises :class:`RakingError` when a category is empty or smaller than
    ``min_cell``, or when raking (with trimming) does not converge within the limits.
    The input frame is not changed.
    """
    if not margins:
        raise ValueError("at least one margin is needed")
    cells = cells.reset_index(drop=True).copy()
    for margin in margins:
        codes = cells[margin.question].astype(object).where(cells[margin.question].notna())
        codes = codes.fillna(MISSING).astype(str)
        cells[margin.question] = codes.where(codes.isin(list(margin.targets)), MISSING)
    check_cells(cells, margins, min_cell)
    n = cells[COUNT].to_numpy(dtype=float)
    columns = [cells[m.question].to_numpy(dtype=object) for m in margins]
    shares = [m.shares() for m in margins]
    w = np.ones(len(cells))
    total = float(n.sum())
    iterations = 0
    for trim_round in range(max_trim_rounds + 1):
        for _ in range(max_iterations):
            _sweep(columns, shares, n, w)
            iterations += 1
            if _deviation(columns, shares, n, w) < tolerance:
                break
        else:
            raise RakingError(
                N_(
                    "Die Gewichtung kommt nach %(iterations)s Durchläufen nicht zum Ziel: Die "
                    "Randverteilungen passen nicht zu den Antworten (etwa weil Kombinationen "
                    "fehlen)."
                ),
                iterations=max_iterations,
            )
        w *= total / float((n * w).sum())
        if bounds is None:
            return _result(cells, w, iterations, 0, columns, shares, n, None)
        low, high = bounds.lower, bounds.upper
        if w.min() >= low * (1 - 1e-6) and w.max() <= high * (1 + 1e-6):
            return _result(cells, w, iterations, trim_round, columns, shares, n, bounds)
        np.clip(w, low, high, out=w)
    assert bounds is not None  # noqa: S101 - without bounds the loop returns
    raise RakingError(
        N_(
            "Die Gewichte lassen sich nicht zwischen %(lower)s und %(upper)s × Mittelwert "
            "halten, ohne die Randverteilungen zu verfehlen. Erweitern Sie die Grenzen oder "
            "fassen Sie kleine Kategorien zusammen."
        ),
        lower=bounds.lower,
        upper=bounds.upper,
    )


def _result(
    cells: pd.DataFrame,
    w: np.ndarray,
    iterations: int,
    trim_rounds: int,
    columns: list[np.ndarray],
    shares: list[dict[str, float]],
    n: np.ndarray,
    bounds: TrimBounds | None,
) -> RakingResult:
    out = cells.copy()
    out[WEIGHT] = w
    trimmed = 0
    if bounds is not None and trim_rounds:
        on_bound = np.isclose(w, bounds.lower, rtol=1e-6) | np.isclose(w, bounds.upper, rtol=1e-6)
        trimmed = int(n[on_bound].sum())
    return RakingResult(
        cells=out,
        iterations=iterations,
        trim_rounds=trim_rounds,
        max_deviation=_deviation(columns, shares, n, w),
        trimmed=trimmed,
    )


__all__ = [
    "COUNT",
    "MISSING",
    "WEIGHT",
    "Margin",
    "RakingError",
    "RakingResult",
    "TrimBounds",
    "check_cells",
    "design_effect",
    "rake",
]
