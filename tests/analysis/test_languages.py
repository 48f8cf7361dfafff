"""Language as an analysis group: counts with suppression, any table by language, texts marked."""

from __future__ import annotations

import random
from dataclasses import replace

import pandas as pd

from analysis.disclosure import View, build_guard
from analysis.frames import GROUP, LANGUAGE, NONE, RESPONSE, TOTAL
from analysis.languages import (
    by_language,
    language_by_group,
    language_counts,
    language_tables,
    texts_with_language,
)
from analysis.privacy import Policy
from analysis.stats import scale_table
from tests.analysis.tiny import answers, meta, scale_rows


def lang_policy(frame: pd.DataFrame, rows: str = GROUP) -> Policy:
    """A policy whose view is the guard of ``frame``'s respondents (group and language)."""
    people = frame[[RESPONSE, GROUP, LANGUAGE]].astype({GROUP: str, LANGUAGE: str})
    people["channel"] = "online"
    policy = Policy()
    return replace(policy, view=View(build_guard(people, policy), rows=rows))


LIKERT = {"key": "q", "kind": "scale", "role": "satisfaction", "field": "wohnumfeld", "points": 5}


def responses(spec: dict[str, int]) -> pd.DataFrame:
    codes = [code for code, n in spec.items() for _ in range(n)]
    return pd.DataFrame(
        {
            RESPONSE: range(1, len(codes) + 1),
            GROUP: pd.Categorical(["familien"] * len(codes)),
            LANGUAGE: pd.Categorical(codes),
        }
    )


def test_counts_per_language_suppress_small_cells_and_what_reveals_them() -> None:
    frame = responses({"de": 20, "tr": 6, "ar": 2})
    table = language_counts(frame, lang_policy(frame)).set_index(LANGUAGE)
    assert list(table.index) == ["de", "tr", "ar", TOTAL]
    assert table.loc[TOTAL, "n"] == 28 and table.loc["de", "n"] == 20
    # Arabic (2) is below 5; with the total published, Turkish would reveal it: both hidden.
    assert pd.isna(table.loc["ar", "n"]) and pd.isna(table.loc["ar", "share"])
    assert pd.isna(table.loc["tr", "n"])
    assert bool(table.loc["ar", "suppressed"])


def test_counts_are_shown_when_every_language_is_large_enough() -> None:
    frame = responses({"de": 10, "tr": 5, "ar": 7})
    table = language_counts(frame, lang_policy(frame)).set_index(LANGUAGE)
    assert table["n"].tolist() == [10, 5, 7, 22]
    assert table.loc["tr", "share"] == 5 / 22


def test_too_few_responses_show_nothing() -> None:
    table = language_counts(responses({"de": 3, "tr": 1}))
    assert table["n"].isna().all()


def test_scale_table_by_language_keeps_minimum_cell_size() -> None:
    m = meta([LIKERT])
    rows = scale_rows("q", NONE, "familien", [4] * 8, start=1)
    rows += scale_rows("q", NONE, "familien", [2] * 6, start=101)
    rows += scale_rows("q", NONE, "familien", [5] * 3, start=201)
    frame = answers(m, rows)
    langs = pd.DataFrame(
        {
            RESPONSE: [r[0] for r in rows],
            LANGUAGE: pd.Categorical(["de"] * 8 + ["tr"] * 6 + ["ar"] * 3),
        }
    )
    people = langs.assign(**{GROUP: "familien"})
    policy = lang_policy(people, rows=LANGUAGE)
    table = scale_table(by_language(frame, langs), m, policy).set_index(GROUP)
    assert pd.isna(table.loc["ar", "n"]) and pd.isna(table.loc["ar", "mean"])
    # Arabic's 3 cannot be recovered as total minus the others: another row goes too.
    hidden = table["n"].isna()
    assert hidden.sum() >= 2
    shown = table.loc[~hidden, "n"]
    assert shown.get("de", 8) == 8 and shown.get("tr", 6) == 6 and shown.get(TOTAL, 17) == 17


def test_texts_are_marked_with_their_language() -> None:
    texts = pd.DataFrame({RESPONSE: [1, 2], "text": ["Mehr Spielplätze", "Daha fazla park"]})
    marked = texts_with_language(texts, responses({"de": 1, "tr": 1}))
    assert marked[LANGUAGE].tolist() == ["de", "tr"]
    assert marked["text"].tolist() == ["Mehr Spielplätze", "Daha fazla park"]


def grouped(spec: dict[tuple[str, str], int]) -> pd.DataFrame:
    pairs = [key for key, n in spec.items() for _ in range(n)]
    return pd.DataFrame(
        {
            RESPONSE: range(1, len(pairs) + 1),
            GROUP: pd.Categorical([g for g, _ in pairs], categories=["familien", "senioren"]),
            LANGUAGE: pd.Categorical([code for _, code in pairs]),
        }
    )


def test_language_by_group_crosses_groups_and_languages_with_suppression() -> None:
    frame = grouped(
        {
            ("familien", "de"): 30,
            ("familien", "tr"): 8,
            ("familien", "ar"): 6,
            ("senioren", "de"): 20,
            ("senioren", "de-LS"): 2,
            ("senioren", "tr"): 7,
        }
    )
    table = language_by_group(frame, lang_policy(frame)).set_index(GROUP)
    assert list(table.index) == ["familien", "senioren", TOTAL]
    assert [c for c in table.columns if c not in ("n", "suppressed")] == ["de", "de-LS", "tr", "ar"]
    assert table.loc[TOTAL, "n"] == 73 and table.loc["familien", "n"] == 44
    assert table.loc["familien", "de"] == 30 and table.loc[TOTAL, "de"] == 50
    assert pd.isna(table.loc["senioren", "de-LS"])  # 2 < 5
    # senioren - senioren/de - (tr - familien/tr) would be the 2 in Leichte Sprache: the
    # guard refuses enough of these sets, and every cell shown is a described set's size
    assert not (
        pd.notna(table.loc["senioren", "de"])
        and pd.notna(table.loc[TOTAL, "tr"])
        and pd.notna(table.loc["familien", "tr"])
    )
    shown = table.drop(columns="suppressed").stack().dropna().astype(int)
    assert not ((shown > 0) & (shown < 5)).any()


def test_language_tables_hide_the_shared_totals_alike() -> None:
    frame = grouped(
        {
            ("familien", "de"): 40,
            ("familien", "en"): 3,
            ("senioren", "de"): 30,
            ("senioren", "tr"): 9,
        }
    )
    counts, by_group = language_tables(frame, lang_policy(frame))
    counts = counts.set_index(LANGUAGE)
    total = by_group.set_index(GROUP).loc[TOTAL]
    for code in ("de", "en", "tr"):
        assert pd.isna(counts.loc[code, "n"]) == pd.isna(total[code]), code
        if pd.isna(counts.loc[code, "n"]):
            assert pd.isna(counts.loc[code, "share"])
        else:
            assert counts.loc[code, "n"] == total[code]
    assert pd.isna(counts.loc["en", "n"])
    empty_counts, empty_groups = language_tables(grouped({("familien", "de"): 3}))
    assert empty_groups.empty and empty_counts["n"].isna().all()


def test_no_single_hidden_count_in_the_language_list_across_many_tables() -> None:
    # If the list of responses per language hid exactly one count while showing the overall
    # total, that count would be the total minus the others. Random crossed tables with
    # small cells (fixed seed) must never produce that, and the list must hide exactly what
    # the crossed table's total row hides.
    rng = random.Random(7)
    codes = ["de", "de-LS", "en", "tr", "ar"]
    for _ in range(150):
        spec = {
            (group, code): rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 14, 40])
            for group in ("familien", "senioren")
            for code in codes
        }
        frame = grouped(spec)
        if frame.empty:
            continue
        counts, by_group = language_tables(frame, lang_policy(frame))
        if by_group.empty:
            continue
        listed = counts.set_index(LANGUAGE)
        total = by_group.set_index(GROUP).loc[TOTAL]
        languages = [code for code in listed.index if code != TOTAL]
        hidden = [code for code in languages if pd.isna(listed.loc[code, "n"])]
        assert not (len(hidden) == 1 and pd.notna(listed.loc[TOTAL, "n"])), (spec, hidden)
        for code in languages:
            assert pd.isna(listed.loc[code, "n"]) == pd.isna(total[code]), (spec, code)
