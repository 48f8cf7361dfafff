"""Variable names of the statistics exports: valid in SPSS, Stata and R, stable, unique."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from surveys.statistics_export.names import (
    RESERVED,
    SPSS_MAX,
    STATA_MAX,
    fingerprint,
    variable_name,
    variable_names,
)

VALID = re.compile(r"^[a-z][a-z0-9_]*$")
COLUMN = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1
)


def test_plain_keys_stay_as_they_are() -> None:
    assert variable_names(["stadtteil", "bildung.kita", "mehr.other"]) == [
        "stadtteil",
        "bildung_kita",
        "mehr_other",
    ]


def test_codes_with_umlauts_dots_and_digits_become_valid_names() -> None:
    assert variable_name("wohnen.Spiel-Platz ä") == "wohnen_spiel_platz_ae"
    assert variable_name("1.2") == "v_1_2"


def test_long_names_lose_letters_of_their_longest_words_first() -> None:
    column = "steuerung_zufriedenheit.verwaltung_familienfreundlich"
    assert (
        variable_name(column, SPSS_MAX) == "steuerung_zufriedenheit_verwaltung_familienfreundlich"
    )
    stata = variable_name(column, STATA_MAX)
    assert len(stata) <= STATA_MAX and stata.startswith("steu") and "_verw" in stata
    assert stata == "steuer_zufrie_verwal_familie"


def test_reserved_words_get_a_fingerprint() -> None:
    for word in ("with", "if", "in", "to", "function", "str12"):
        name = variable_name(word)
        assert name != word and name == f"{word}_{fingerprint(word)}"


def test_clashing_columns_each_get_their_own_fingerprint_and_meta_names_stay() -> None:
    names = variable_names(["a.b_c", "a_b.c", "channel"], fixed=["channel", "language"])
    assert names == [f"a_b_c_{fingerprint('a.b_c')}", f"a_b_c_{fingerprint('a_b.c')}",
                     f"channel_{fingerprint('channel')}"]  # fmt: skip


@given(st.lists(COLUMN, min_size=1, max_size=30, unique=True))
def test_any_columns_get_valid_unique_names_within_both_limits(columns: list[str]) -> None:
    for limit in (SPSS_MAX, STATA_MAX):
        names = variable_names(columns, fixed=["response_id"], limit=limit)
        assert len(set(names)) == len(names) and "response_id" not in names
        for name in names:
            assert VALID.match(name) and len(name) <= limit, name
            assert name not in RESERVED


@given(st.lists(COLUMN, min_size=1, max_size=10, unique=True), COLUMN)
def test_a_name_does_not_depend_on_the_other_questions(columns: list[str], extra: str) -> None:
    """Adding a question (2026 asks more than 2019) keeps the names of the others, unless
    the new one clashes with them."""
    before = variable_names(columns)
    after = variable_names([*columns, extra])
    if extra in columns or variable_name(extra) in before:
        return
    clashing = {n for n in before if before.count(n) > 1}
    for old, new in zip(before, after, strict=False):
        if old not in clashing:
            assert old == new
