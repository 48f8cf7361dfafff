"""Response rates per batch, and the disclosure rule for their moderator-facing version."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from demo import seed_demo
from demo.postal import BATCHES, SLUG, demo_key
from surveys.access_codes import mark_key, redeem_access_code
from surveys.models import AccessMode, Channel, TargetGroup
from surveys.postal import count_paper_return, create_batch
from surveys.queries import survey_by_slug
from surveys.response_rates import protect_counts, response_rates, shown_rates
from surveys.responses import store_response
from tests.conftest import DatabaseFactory, domain_engine, rollback_session
from tests.factories import build_survey

KEY = mark_key("test-secret-for-rates")
TODAY = date(2026, 11, 20)


def _respond(session: Session, survey, group: TargetGroup, code: str | None, channel: Channel):
    store_response(session, survey, group, {"beratung": True}, today=TODAY, channel=channel)
    if code is not None:
        redeem_access_code(session, survey, code, KEY, channel)


def test_rates_per_batch_online_paper_and_uncoded(session: Session) -> None:
    survey = build_survey(session, access_mode=AccessMode.CODE)
    family = next(g for g in survey.target_groups if g.key == "familien")
    one, codes_one = create_batch(
        session, survey, stratum="Deichhorst", target_group=family, count=20,
        letters_sent=18, today=TODAY,
    )  # fmt: skip
    two, codes_two = create_batch(
        session, survey, stratum="Mitte", target_group=None, count=10, letters_sent=None,
        today=TODAY,
    )  # fmt: skip
    for code in codes_one[:5]:
        _respond(session, survey, family, code, Channel.ONLINE)
    for code in codes_one[5:7]:
        _respond(session, survey, family, code, Channel.PAPER)
    _respond(session, survey, family, None, Channel.PAPER)
    count_paper_return(session, one)
    _respond(session, survey, family, codes_two[0], Channel.ONLINE)
    # a response with a code from no batch (the plain code list) and one uncounted paper form
    _respond(session, survey, family, None, Channel.ONLINE)
    _respond(session, survey, family, None, Channel.PAPER)
    session.flush()

    rates = response_rates(session, survey, KEY)
    first, second = rates.batches
    assert (first.stratum, first.target_group, first.letters_sent) == ("Deichhorst", "Familien", 18)
    assert (first.online, first.paper_coded, first.paper_uncoded, first.total) == (5, 2, 1, 8)
    assert first.rate == pytest.approx(100 * 8 / 18)
    assert (second.target_group, second.letters_sent, second.total) == (None, 10, 1)
    assert second.rate == pytest.approx(10.0)
    assert rates.total.letters_sent == 28 and rates.total.total == 9
    assert rates.total.rate == pytest.approx(100 * 9 / 28)
    assert rates.other is not None and (rates.other.online, rates.other.paper) == (1, 1)
    assert rates.responses == 11
    # with another key the marks match no code: nothing is counted per batch
    other_key = response_rates(session, survey, mark_key("another secret"))
    assert other_key.total.online == 0 and other_key.other is not None


def test_no_batches_no_rows(session: Session) -> None:
    survey = build_survey(session)
    rates = response_rates(session, survey, KEY)
    assert rates.batches == [] and rates.total.rate is None and rates.other is None


@pytest.fixture()
def demo(fresh_database: DatabaseFactory) -> Iterator[Session]:
    engine = domain_engine(fresh_database("rates"))
    with rollback_session(engine) as session:
        seed_demo(session, responses=20)
        yield session
    engine.dispose()


def test_demo_rates_per_stadtteil(demo: Session) -> None:
    survey = survey_by_slug(demo, SLUG)
    assert survey is not None
    rates = response_rates(demo, survey, demo_key())
    assert [(r.stratum, r.letters_sent, r.online, r.paper_coded, r.paper_uncoded)
            for r in rates.batches] == [
        (s, sent, online, paper, uncoded) for s, _o, _g, _n, sent, online, paper, uncoded in BATCHES
    ]  # fmt: skip
    assert rates.other is None
    assert rates.responses == sum(b[5] + b[6] + b[7] for b in BATCHES)


# --- disclosure: small counts hidden, and not recoverable by subtraction -------------------


def _recoverable(cells: dict[str, int], hidden: frozenset, total_shown: bool, m: int) -> bool:
    """Attack by subtraction: can a group of 1..m-1 be computed from what is shown?"""
    # total minus the shown cells is the hidden cells' sum
    return bool(hidden) and total_shown and sum(cells[k] for k in hidden) in range(1, m)


def test_one_small_cell_takes_the_smallest_other_with_it() -> None:
    cells = {"Deichhorst": 53, "Düsternort": 38, "Mitte": 3}
    protected = protect_counts(cells, 5)
    assert protected.hidden == {"Mitte", "Düsternort"} and not protected.total_hidden
    # 94 − 53 = 41: only the two hidden together, a group of 41
    assert sum(cells.values()) - cells["Deichhorst"] == 41


def test_total_hidden_when_it_is_not_published_elsewhere() -> None:
    cells = {"Deichhorst": 53, "Düsternort": 38, "Mitte": 3}
    protected = protect_counts(cells, 5, total_public=False)
    assert protected.hidden == {"Mitte"} and protected.total_hidden


def test_two_small_cells_that_together_are_enough() -> None:
    cells = {"a": 40, "b": 2, "c": 3, "d": 0}
    assert protect_counts(cells, 5).hidden == {"b", "c"}
    cells = {"a": 40, "b": 2, "c": 2, "d": 0}
    assert protect_counts(cells, 5).hidden == {"a", "b", "c"}


def test_nothing_small_nothing_hidden_and_zero_is_shown() -> None:
    assert protect_counts({"a": 5, "b": 0, "c": 7}, 5).hidden == frozenset()


def test_single_small_cell_hides_the_total() -> None:
    protected = protect_counts({"a": 3}, 5)
    assert protected.hidden == {"a"} and protected.total_hidden


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=6),
    st.sampled_from([3, 5]),
    st.booleans(),
)
def test_no_small_group_follows_by_subtraction(counts: list[int], m: int, public: bool) -> None:
    cells = {f"s{i}": n for i, n in enumerate(counts)}
    # a total printed elsewhere is itself a count: it is 0 or at least min_cell there
    assume(not public or sum(counts) == 0 or sum(counts) >= m)
    protected = protect_counts(cells, m, total_public=public)
    shown = {k: n for k, n in cells.items() if k not in protected.hidden}
    # 1. no shown cell is small
    assert all(n == 0 or n >= m for n in shown.values())
    # 2. total minus any subset of shown cells never isolates a small group of hidden cells
    total_known = public or not protected.total_hidden
    if total_known and protected.hidden:
        total = sum(cells.values())
        for size in range(len(shown) + 1):
            for subset in itertools.combinations(shown, size):
                rest = total - sum(shown[k] for k in subset)
                # what is left contains every hidden cell (and the shown ones not subtracted)
                assert not (0 < rest < m), (cells, protected)
    assert not _recoverable(cells, protected.hidden, total_known, m)


def test_shown_rates_hide_rate_with_count_and_the_sum_when_outside_row_is_hidden() -> None:
    from surveys.response_rates import RateRow, ResponseRates

    def row(stratum: str, sent: int, online: int) -> RateRow:
        return RateRow(None, stratum, None, sent, online, 0, 0)

    rows = [row("Deichhorst", 148, 53), row("Düsternort", 120, 38), row("Mitte", 97, 3)]
    total = RateRow(None, "", None, 365, 94, 0, 0)
    shown = shown_rates(ResponseRates(rows, total, None, 94), 5)
    assert [r.responses for r in shown.batches] == [53, None, None]
    assert [r.rate is None for r in shown.batches] == [False, True, True]
    assert shown.batches[2].letters_sent == 97  # letters describe no respondent
    assert shown.total.responses == 94 and shown.any_hidden
    # two responses outside every batch: hidden with a batch, and so is the batches' sum
    other = RateRow(None, "", None, 0, 2, 0, 0)
    rows = [row("Deichhorst", 148, 53), row("Düsternort", 120, 38)]
    total = RateRow(None, "", None, 268, 91, 0, 0)
    shown = shown_rates(ResponseRates(rows, total, other, 93), 5)
    assert shown.other is not None and shown.other.responses is None
    assert shown.total.responses is None and shown.total.rate is None
    assert [r.responses for r in shown.batches] == [53, None]
    # the survey's total may not be published: every count goes
    shown = shown_rates(ResponseRates(rows, total, None, 91), 5, total_known=False)
    assert all(r.responses is None for r in [*shown.batches, shown.total])
