"""Disclosure control that protects groups of people: which respondent sets may be described.

Every figure the product shows describes a set of respondents: the people matching the
active filters (target group, channel, language, a breakdown question) and the row of the
table (a target group, a language, ...). A set is a *conjunction* of such conditions. The
unit protected is the set, not the cell of a table:

1. A set of fewer than ``min_cell`` respondents is never described ("zu wenige").
2. Within a described set, distributions are shown in full: a category chosen by one person
   in a group of 40 is shown, because it says nothing about who that person is.
3. No combination of described sets may describe a smaller set. An attacker who reads every
   table under every filter knows the counts (and every distribution) of each described set
   and can add and subtract them with any coefficients. If some combination equals the
   indicator of a set of 1 to ``min_cell - 1`` people (for instance *everyone* minus
   *online* = a small *paper* group), that set is disclosed. The :class:`Guard` refuses
   just enough sets that no such combination exists.

Point 3 is checked exactly. The respondents are split into *atoms*, the combinations of all
condition values; every set is a union of atoms, so a linear combination of described sets
is a vector over atoms. A disclosure is a combination whose value is 0 or 1 on every
non-empty atom and whose ones hold 1 to ``min_cell - 1`` people. Finding one is a small
mixed-integer program (coefficients real, atom indicators binary), solved with HiGHS through
:func:`scipy.optimize.milp`. Sets are admitted coarse first (all respondents, one condition,
two conditions, ...) and larger first; while a disclosure exists, the finest set taking part
in it is refused, and the search runs again until none is left. Atoms that every set
contains or leaves out alike are merged first, so the program stays small.

Questions need no audit of their own. A figure of a question describes a described set:
its answers *and* how many gave none ("keine Angabe" is reported with every question), so
even when only two people of a set of 40 answered, the table is a distribution within a
group of 40 (point 2), and so is any difference of such tables (point 3 keeps it at least
``min_cell`` people). Means and shares still need ``min_cell`` answers, for reliability.

Free text is not linear: lists of comments can be intersected and subtracted as sets, so
comments are only shown for the unfiltered target groups (see :mod:`analysis.text`).
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, hstack, identity

from analysis.columns import GROUP, TOTAL
from analysis.privacy import DEFAULT_POLICY, Policy

#: A set of respondents: sorted (dimension, value) conditions; () is everyone.
Conditions = tuple[tuple[str, str], ...]

#: The dimensions sets are made of, in order of importance.
BASE_DIMENSIONS = (GROUP, "channel", "language")
#: Bound on an attacker's coefficients in the search (large enough for any real table).
COEFFICIENT_BOUND = 1e4
#: Seconds one search may take; when it runs out, the finest set left is refused (safe side).
SEARCH_SECONDS = 20.0
TOLERANCE = 1e-6


def conditions(**values: str | None) -> Conditions:
    """Return the conditions of a set from keyword values (``None`` and ``total`` mean all)."""
    return tuple(sorted((k, str(v)) for k, v in values.items() if v is not None and v != TOTAL))


@dataclass(frozen=True)
class Candidate:
    """A set that could be described: its conditions and which atoms it holds."""

    conditions: Conditions
    atoms: np.ndarray  # boolean over atoms
    #: Other conditions naming the same people (e.g. "language de" when all wrote German).
    aliases: tuple[Conditions, ...] = ()


def find_disclosure(
    members: np.ndarray, counts: np.ndarray, min_cell: int, seconds: float = SEARCH_SECONDS
) -> np.ndarray | None:
    """Search a combination of the sets that describes 1 to ``min_cell - 1`` people.

    Args:
        members: boolean matrix sets x atoms.
        counts: people per atom (atoms with 0 people constrain nothing).
        min_cell: the threshold.
        seconds: time limit of the search.

    Returns:
        The coefficients per set of a disclosing combination, ``None`` if there is none. If
        the search ran out of time, every set gets coefficient 1 (treat as disclosing).
    """
    occupied = counts > 0
    if members.shape[0] == 0 or not occupied.any():
        return None
    matrix = members[:, occupied]
    weight = counts[occupied].astype(float)
    # Atoms that every set contains or leaves out alike always get the same value.
    classes, inverse = np.unique(matrix.T, axis=0, return_inverse=True)
    weight = np.bincount(inverse.ravel(), weights=weight, minlength=len(classes))
    sets, atoms = members.shape[0], len(classes)
    equal = hstack([csr_matrix(classes.astype(float)), -identity(atoms, format="csr")]).tocsr()
    total = np.concatenate([np.zeros(sets), weight])[None, :]
    result = milp(
        np.zeros(sets + atoms),
        constraints=[LinearConstraint(equal, 0, 0), LinearConstraint(total, 1, min_cell - 1)],
        integrality=np.concatenate([np.zeros(sets), np.ones(atoms)]),
        bounds=Bounds(
            np.concatenate([np.full(sets, -COEFFICIENT_BOUND), np.zeros(atoms)]),
            np.concatenate([np.full(sets, COEFFICIENT_BOUND), np.ones(atoms)]),
        ),
        options={"time_limit": seconds},
    )
    if result.x is not None:
        coefficients: np.ndarray = result.x[:sets]
        return coefficients
    if result.status == 2:  # infeasible: no disclosure exists
        return None
    return np.ones(sets)


def _difference_refusals(
    members: np.ndarray, counts: np.ndarray, min_cell: int, allowed: np.ndarray
) -> set[int]:
    """Sets refused because they differ from an earlier (coarser) one by 1..min_cell-1 people.

    Cheap and catches most disclosures (e.g. everyone minus online); the exact search then
    only has to find the rest.
    """
    refused: set[int] = set()
    weights = counts.astype(float)
    sizes = members.astype(float) @ weights
    kept = np.zeros(len(members), dtype=bool)
    for index in np.flatnonzero(allowed):
        earlier = np.flatnonzero(kept)
        if earlier.size:
            row = members[index]
            others = members[earlier]
            # differences counted in people, so empty atoms do not matter
            outside = (others & ~row) @ weights  # in the other set, not in this one
            beyond = (row & ~others) @ weights  # in this set, not in the other
            nested = (outside == 0) | (beyond == 0)
            gap = np.abs(sizes[earlier] - sizes[index])
            if np.any(nested & (gap > 0) & (gap < min_cell)):
                refused.add(int(index))
                continue
        kept[index] = True
    return refused


Tables = Sequence[tuple[int, Sequence[int]]]


def _table_refusals(allowed: np.ndarray, sizes: np.ndarray, tables: Tables, min_cell: int) -> None:
    """Complementary refusals within each one-way table (a set and its parts by one
    dimension), repeated until none is needed: if the refused parts of a shown set hold
    1..min_cell-1 people, the least important of the set and its shown parts is refused
    too. This is the classic secondary suppression, done on sets; it leaves little for the
    exact search. (Sets are indexed in order of importance, so "least" is the highest.)"""
    changed = True
    while changed:
        changed = False
        for parent, parts in tables:
            if not allowed[parent]:
                continue
            shown = [p for p in parts if allowed[p]]
            hidden = sizes[parent] - sum(sizes[p] for p in shown)
            if 0 < hidden < min_cell:
                allowed[max([parent, *shown])] = False
                changed = True


#: Decisions of recent audits by their inputs: the search is the costly part of an analysis
#: (about a second on the demo), and its result depends on nothing else.
_AUDITS: OrderedDict[bytes, np.ndarray] = OrderedDict()
_AUDITS_KEPT = 32
_AUDITS_LOCK = threading.Lock()


def _audit_key(members: np.ndarray, counts: np.ndarray, min_cell: int, tables: Tables) -> bytes:
    digest = hashlib.sha256()
    digest.update(repr((members.shape, str(counts.dtype), min_cell)).encode())
    digest.update(np.ascontiguousarray(members, dtype=bool).tobytes())
    digest.update(np.ascontiguousarray(counts, dtype=np.int64).tobytes())
    digest.update(repr([(int(p), [int(i) for i in parts]) for p, parts in tables]).encode())
    return digest.digest()


def audit(
    members: np.ndarray, counts: np.ndarray, min_cell: int, tables: Tables = ()
) -> np.ndarray:
    """Return which sets (rows of ``members``, in order of importance) may be described.

    Sets with fewer than ``min_cell`` people are refused; then sets are refused, finest
    first, until no combination of the remaining ones describes a smaller group.
    ``tables`` (a set's index with the indices of its parts by one dimension) only speed
    the search up.

    The decisions of the last audits are kept by their inputs (sets, counts, threshold), so
    the analyses of one survey under every filter, its public results and its role as
    another survey's baseline search only once while its responses stay the same.
    """
    key = _audit_key(members, counts, min_cell, tables)
    with _AUDITS_LOCK:
        known = _AUDITS.get(key)
        if known is not None:
            _AUDITS.move_to_end(key)
            return known.copy()
    allowed = _audit(members, counts, min_cell, tables)
    with _AUDITS_LOCK:
        _AUDITS[key] = allowed.copy()
        while len(_AUDITS) > _AUDITS_KEPT:
            _AUDITS.popitem(last=False)
    return allowed


def _audit(members: np.ndarray, counts: np.ndarray, min_cell: int, tables: Tables) -> np.ndarray:
    sizes = members.astype(float) @ counts.astype(float)
    allowed: np.ndarray = np.asarray(sizes >= min_cell, dtype=bool)
    _table_refusals(allowed, sizes, tables, min_cell)
    for index in _difference_refusals(members, counts, min_cell, allowed):
        allowed[index] = False
    while True:
        rows = np.flatnonzero(allowed)
        found = find_disclosure(members[rows], counts, min_cell)
        if found is None:
            return allowed
        used = rows[np.abs(found) > TOLERANCE]
        allowed[int(used.max() if used.size else rows.max())] = False
        _table_refusals(allowed, sizes, tables, min_cell)


@dataclass(eq=False)
class Guard:
    """The disclosure decisions of one survey, built from all its responses.

    Args:
        atoms: one row per atom with a column per dimension (values as strings).
        counts: respondents per atom.
        candidates: every set that can be asked for, in order of importance.
        policy: the thresholds.
    """

    atoms: pd.DataFrame
    counts: np.ndarray
    candidates: list[Candidate]
    policy: Policy = DEFAULT_POLICY
    _index: dict[Conditions, int] = field(default_factory=dict)
    _allowed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    _tables: list[tuple[int, list[int]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._index = {
            name: i for i, c in enumerate(self.candidates) for name in (c.conditions, *c.aliases)
        }
        self._tables = self._one_way_tables()
        self._allowed = audit(self._members(), self.counts, self.policy.min_cell, self._tables)

    def _one_way_tables(self) -> list[tuple[int, list[int]]]:
        """Each set with its parts by each dimension it leaves open."""
        values = {str(d): set(self.atoms[d].astype(str)) - {""} for d in self.atoms.columns}
        out = []
        for index, candidate in enumerate(self.candidates):
            fixed = dict(candidate.conditions)
            for dimension, options in values.items():
                if dimension in fixed:
                    continue
                parts = [
                    self._index[key]
                    for v in sorted(options)
                    if (key := tuple(sorted({**fixed, dimension: v}.items()))) in self._index
                ]
                if parts:
                    out.append((index, parts))
        return out

    def _members(self) -> np.ndarray:
        if not self.candidates:
            return np.zeros((0, len(self.counts)), dtype=bool)
        return np.array([c.atoms for c in self.candidates])

    def allows(self, wanted: Conditions) -> bool:
        """Return whether the set ``wanted`` may be described."""
        index = self._index.get(tuple(sorted(wanted)))
        return index is not None and bool(self._allowed[index])

    def described(self) -> list[Conditions]:
        """Every set that may be described, by its first name (for tests and the privacy page)."""
        return [c.conditions for c, ok in zip(self.candidates, self._allowed, strict=True) if ok]


def _level(conds: Conditions) -> float:
    """Importance of a set, lower first: a target group, then everyone (a table's total is
    the row a reader can best do without, being nearly the sum of its groups), then sets by
    number of conditions."""
    if not conds:
        return 1.5
    if len(conds) == 1 and conds[0][0] == GROUP:
        return 1.0
    return 1.0 + len(conds)


def candidates_of(
    atoms: pd.DataFrame,
    dimensions: Sequence[str],
    counts: np.ndarray,
    breakdowns: Sequence[str] = (),
) -> list[Candidate]:
    """Every set that can be asked for, in order of importance (:func:`_level`, then more
    people, then by name): any conjunction of the ``dimensions``, and a breakdown value
    alone or with one of them (one breakdown at a time). Values "" (no answer) are no set."""
    columns = {d: atoms[d].astype(str).to_numpy() for d in [*dimensions, *breakdowns]}
    values = {d: sorted(set(columns[d]) - {""}) for d in columns}
    patterns: list[tuple[tuple[str, str | None], ...]] = []
    for chosen in itertools.product(*[[None, *values[d]] for d in dimensions]):
        patterns.append(tuple(zip(dimensions, chosen, strict=True)))
    for breakdown in breakdowns:
        for value in values[breakdown]:
            patterns.append(((breakdown, value),))
            for dimension in dimensions:
                patterns += [((breakdown, value), (dimension, v)) for v in values[dimension]]
    found: dict[Conditions, tuple[int, float, np.ndarray]] = {}
    for pattern in patterns:
        conds = tuple(sorted((d, v) for d, v in pattern if v is not None))
        if conds in found:
            continue
        mask = np.ones(len(atoms), dtype=bool)
        for d, v in conds:
            mask &= columns[d] == v
        size = float(counts[mask].sum())
        if size > 0:
            found[conds] = (len(conds), -size, mask)
    order = sorted(found, key=lambda c: (_level(c), found[c][1], c))
    # One candidate per set of people: the same people get the same answer however named.
    first: dict[bytes, Conditions] = {}
    aliases: dict[Conditions, list[Conditions]] = {}
    for conds in order:
        key = np.packbits(found[conds][2]).tobytes()
        if key in first:
            aliases[first[key]].append(conds)
        else:
            first[key] = conds
            aliases[conds] = []
    return [Candidate(c, found[c][2], tuple(aliases[c])) for c in first.values()]


def build_guard(
    responses: pd.DataFrame,
    policy: Policy = DEFAULT_POLICY,
    dimensions: Sequence[str] = BASE_DIMENSIONS,
    breakdowns: Sequence[str] = (),
) -> Guard:
    """Build the guard of a survey from all its responses (one row each, a column per
    dimension and per breakdown question; "" or missing = no answer)."""
    present = [d for d in dimensions if d in responses.columns]
    split = [b for b in breakdowns if b in responses.columns]
    if responses.empty:
        return Guard(pd.DataFrame(columns=[*present, *split]), np.zeros(0), [], policy)
    keys = responses[[*present, *split]].fillna("").astype(str)
    atoms = keys.drop_duplicates().reset_index(drop=True)
    atom_of = pd.MultiIndex.from_frame(keys).map(
        {tuple(row): i for i, row in enumerate(atoms.itertuples(index=False, name=None))}
    )
    counts = np.bincount(np.asarray(atom_of, dtype=np.int64), minlength=len(atoms))
    return Guard(atoms, counts, candidates_of(atoms, present, counts, split), policy)


@dataclass(frozen=True)
class View:
    """The sets one analysis may describe: the guard's decisions under the active filters."""

    guard: Guard
    base: Conditions = ()
    #: The dimension the tables' ``group`` column names (``language`` for tables by language).
    rows: str = GROUP

    def shows(self, **more: str | None) -> bool:
        """Whether the filters' set, narrowed by ``more`` (``None``: no condition), may be
        described. A condition contradicting a filter names the empty set: not shown."""
        merged = dict(self.base)
        for key, value in more.items():
            if value is None or value == TOTAL:
                continue
            if merged.get(key, value) != value:
                return False
            merged[key] = value
        return self.guard.allows(tuple(sorted(merged.items())))

    @property
    def described(self) -> bool:
        """Whether the filters' set itself may be described (the "total" row)."""
        return self.shows()
