"""The guard against differencing: attacked by brute force over every set of atoms.

The attack is independent of the guard's own search (a mixed-integer program): for every
subset X of the non-empty atoms it asks plain least squares whether some linear combination
of the described sets is 1 on X and 0 on the other non-empty atoms. Any X of 1 to
``min_cell - 1`` people found that way is a disclosure.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.disclosure import build_guard, conditions, find_disclosure
from analysis.privacy import Policy


def _responses(cells: dict[tuple[str, ...], int], dims: tuple[str, ...]) -> pd.DataFrame:
    rows = [dict(zip(dims, key, strict=True)) for key, n in cells.items() for _ in range(n)]
    frame = pd.DataFrame(rows, columns=list(dims))
    frame["response"] = np.arange(len(frame))
    return frame


def _derivable_small_sets(guard_atoms: pd.DataFrame, counts: np.ndarray, described, k: int):
    """Every set of 1..k-1 people that some combination of ``described`` pins down."""
    occupied = np.flatnonzero(counts > 0)
    columns = {d: guard_atoms[d].astype(str).to_numpy() for d in guard_atoms.columns}
    rows = []
    for conds in described:
        mask = np.ones(len(guard_atoms), dtype=bool)
        for d, v in conds:
            mask &= columns[d] == v
        rows.append(mask[occupied].astype(float))
    if not rows:
        return []
    matrix = np.array(rows).T  # atoms x sets
    found = []
    for size in range(1, len(occupied) + 1):
        for chosen in itertools.combinations(range(len(occupied)), size):
            people = int(counts[occupied][list(chosen)].sum())
            if not 0 < people < k:
                continue
            target = np.zeros(len(occupied))
            target[list(chosen)] = 1
            coef, *_ = np.linalg.lstsq(matrix, target, rcond=None)
            if np.allclose(matrix @ coef, target, atol=1e-7):
                found.append((chosen, people))
    return found


DIMS = ("group", "channel", "language")


@st.composite
def surveys(draw):
    groups = draw(st.lists(st.sampled_from(["f", "s", "a"]), min_size=1, max_size=3, unique=True))
    channels = draw(st.lists(st.sampled_from(["on", "pa"]), min_size=1, max_size=2, unique=True))
    languages = draw(
        st.lists(st.sampled_from(["de", "tr", "ar"]), min_size=1, max_size=2, unique=True)
    )
    cells = {}
    for key in itertools.product(groups, channels, languages):
        cells[key] = draw(st.sampled_from([0, 0, 1, 2, 3, 4, 6, 9, 15]))
    k = draw(st.sampled_from([3, 5]))
    return cells, k


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys())
def test_no_combination_of_described_sets_reveals_a_small_group(case) -> None:
    cells, k = case
    responses = _responses(cells, DIMS)
    guard = build_guard(responses, Policy(min_cell=k, min_text=max(k, 10)))
    described = guard.described()
    sizes = {c: 0 for c in described}
    for conds in described:
        mask = np.ones(len(responses), dtype=bool)
        for d, v in conds:
            mask &= responses[d].astype(str).to_numpy() == v
        sizes[conds] = int(mask.sum())
    # 1. every described set has at least k people
    assert all(n >= k for n in sizes.values())
    # 2. differencing: nested described sets differ by 0 or at least k people
    for a, b in itertools.permutations(described, 2):
        if set(a) <= set(b):  # b has more conditions: a subset of a
            assert sizes[a] - sizes[b] == 0 or sizes[a] - sizes[b] >= k
    # 3. linear algebra over all described sets together
    assert _derivable_small_sets(guard.atoms, guard.counts, described, k) == []


def test_everyone_minus_online_does_not_reveal_three_paper_answers() -> None:
    """The issue's case: whole survey minus the online filter = the small paper group."""
    cells = {("f", "on", "de"): 40, ("f", "pa", "de"): 3, ("s", "on", "de"): 30}
    guard = build_guard(_responses(cells, DIMS), Policy())
    assert guard.allows(conditions())
    assert guard.allows(conditions(group="f")) and guard.allows(conditions(group="s"))
    assert not guard.allows(conditions(channel="pa"))  # 3 people
    # "online" would give everyone - online = the 3 paper answers: refused, and so is
    # families online (families - families online = the same 3)
    assert not guard.allows(conditions(channel="on"))
    assert not guard.allows(conditions(group="f", channel="on"))


def test_overview_tables_cannot_be_subtracted_to_a_group_of_four() -> None:
    """21 - 11 - 6 = 4: a language × group table beside a group table."""
    cells = {
        ("f", "on", "de"): 11,
        ("f", "on", "tr"): 6,
        ("f", "on", "ar"): 4,
        ("s", "on", "de"): 30,
    }
    guard = build_guard(_responses(cells, DIMS), Policy())
    shown = [c for c in guard.described() if ("group", "f") in c and len(c) == 2]
    parts = [c for c in shown if c[0][0] == "group" or c[1][0] == "language"]
    languages = {dict(c).get("language") for c in parts if "language" in dict(c)}
    # familien = de + tr + ar; with ar (4) hidden, at most one of de/tr may be shown
    assert guard.allows(conditions(group="f"))
    assert len(languages & {"de", "tr"}) <= 1
    assert _derivable_small_sets(guard.atoms, guard.counts, guard.described(), 5) == []


def test_large_groups_are_described_in_full() -> None:
    """Nothing about a large group is refused just because a small group exists elsewhere."""
    cells = {("f", "on", "de"): 1496, ("s", "on", "de"): 400, ("a", "pa", "tr"): 2}
    guard = build_guard(_responses(cells, DIMS), Policy())
    assert guard.allows(conditions(group="f")) and guard.allows(conditions(group="s"))
    assert not guard.allows(conditions(group="a"))
    # everyone = f + s + a: the total must then go, or a is 2 = total - f - s; the total
    # is what a reader misses least (it is nearly f + s)
    assert not guard.allows(conditions())
    assert guard.allows(conditions(channel="on"))  # f + s: everyone but the two


def test_search_finds_the_textbook_two_by_two_leak() -> None:
    """Margins plus one interior cell pin down the small opposite cell."""
    # atoms: a1b1=3, a1b2=10, a2b1=10, a2b2=10; sets: all, a1, a2, b1, b2, a2b2
    members = np.array(
        [
            [1, 1, 1, 1],
            [1, 1, 0, 0],
            [0, 0, 1, 1],
            [1, 0, 1, 0],
            [0, 1, 0, 1],
            [0, 0, 0, 1],
        ],
        dtype=bool,
    )
    counts = np.array([3, 10, 10, 10])
    found = find_disclosure(members, counts, 5)
    assert found is not None
    assert np.allclose(found @ members.astype(float) * (counts > 0), [1, 0, 0, 0])
    assert find_disclosure(members[:5], counts, 5) is None  # margins alone are safe


@pytest.mark.parametrize("k", [3, 5])
def test_a_breakdown_combines_with_one_filter_and_stays_safe(k: int) -> None:
    rng = np.random.default_rng(k)
    n = 120
    frame = pd.DataFrame(
        {
            "group": rng.choice(["f", "s"], n, p=[0.7, 0.3]),
            "channel": rng.choice(["on", "pa"], n, p=[0.8, 0.2]),
            "language": "de",
            "stadtteil": rng.choice(["Mitte", "Nord", "Süd", ""], n, p=[0.5, 0.3, 0.17, 0.03]),
            "response": np.arange(n),
        }
    )
    guard = build_guard(frame, Policy(min_cell=k, min_text=10), breakdowns=["stadtteil"])
    assert guard.allows(conditions(stadtteil="Mitte"))
    assert _derivable_small_sets(guard.atoms, guard.counts, guard.described(), k) == []
