"""German normalisation, stop words, plurals, compounds, frequencies and keyword coding."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis.frames import FIELD, GROUP, KIND, LANGUAGE, QUESTION, RESPONSE, TEXT
from analysis.privacy import Policy
from analysis.text import (
    MIN_PART,
    _Keywords,
    code_keywords,
    comments,
    compound_head,
    frequencies,
    normalise,
    plural_map,
    stem,
    stop_words,
    tokens,
)


def test_german_stop_words_keep_judgement_words() -> None:
    words = stop_words()
    assert {"und", "die", "ist", "wäre", "schon"} <= words
    assert not {"gut", "besser", "schlecht", "weniger"} & words
    assert {"mehr", "bitte"} <= words  # the words of every wish say nothing about its subject
    assert tokens("Die Kinderbetreuung ist zu teuer und wäre besser.") == [
        "kinderbetreuung",
        "teuer",
        "besser",
    ]
    assert "delmenhorst" not in tokens(
        "Delmenhorst ist gut", stop_words(frozenset({"Delmenhorst"}))
    )


def test_normalisation_of_case_umlauts_punctuation_and_hyphen_compounds() -> None:
    decomposed = "Spielpla\u0308tze"
    assert normalise(decomposed) == "spielplätze"
    assert tokens("„Kita-Plätze“ fehlen!!!") == ["kitaplätze", "fehlen"]


def test_plurals_fold_into_the_most_frequent_form() -> None:
    counts = {
        "spielplatz": 3,
        "spielplätze": 5,
        "schule": 2,
        "schulen": 1,
        "kind": 1,
        "kinder": 4,
        "radweg": 2,
        "radwege": 2,
        "kitas": 1,
    }
    mapping = plural_map(counts)
    assert mapping["spielplatz"] == mapping["spielplätze"] == "spielplätze"
    assert mapping["schulen"] == "schule"
    assert mapping["kind"] == "kinder"
    assert mapping["radwege"] == mapping["radweg"]
    assert mapping["kitas"] == "kitas"  # no singular in the corpus: left alone
    assert stem("spielplätze") == stem("spielplatz") == "spielplatz"


def test_compound_head() -> None:
    assert compound_head("kinderbetreuung", {"betreuung", "kinder", "ung"}) == "betreuung"
    assert compound_head("betreuung", {"betreuung"}) is None


def comment_frame(texts: list[str], group: str = "familien") -> pd.DataFrame:
    return pd.DataFrame(
        {FIELD: "wohnumfeld", GROUP: group, QUESTION: "k", KIND: "text", TEXT: texts}
    )


TEXTS = [
    "Mehr Spielplätze bitte",
    "Der Spielplatz am Markt ist gut",
    "Kinderbetreuung zu teuer",
    "Mehr Kita-Plätze",
    "Radwege sind schlecht",
    "Bus fährt zu selten",
    "Spielplätze sauberer machen",
    "Gute Betreuung in der Kita",
    "Mehr Radwege",
    "Nichts",
]


def test_frequencies_only_for_cells_of_ten_and_fold_plurals() -> None:
    frame = pd.concat([comment_frame(TEXTS), comment_frame(TEXTS[:9], "senioren")])
    words, bigrams = frequencies(frame, policy=Policy(min_cell=3))
    assert set(words[GROUP]) == {"familien"}  # senioren have 9 comments only
    counts = dict(zip(words["word"], words["count"], strict=True))
    assert counts["spielplätze"] == 3  # 2x "Spielplätze" + 1x "Spielplatz"
    assert "mehr" not in counts  # a request word, not a subject
    assert "radwege" not in counts  # 2 < 3: a small cell
    assert bigrams.empty or (bigrams["count"] >= 3).all()


def test_keyword_coding_counts_comments_per_category() -> None:
    categories = {
        "Betreuung": ["Betreuung", "Kita"],
        "Verkehr": ["Radweg", "Bus"],
        "Spielen": ["Spielplatz"],
    }
    table = code_keywords(comment_frame(TEXTS), categories, policy=Policy(min_cell=3))
    result = dict(zip(table["category"], table["count"], strict=True))
    # Betreuung: Kinderbetreuung, Kita-Plätze, Betreuung/Kita (one comment once) = 3.
    assert result == {"Betreuung": 3, "Verkehr": 3, "Spielen": 3}
    assert (table["comments"] == 10).all()


STEMS = st.text(alphabet="abcdeü", min_size=0, max_size=9)


@given(
    st.dictionaries(st.sampled_from("ABC"), st.lists(STEMS, max_size=4), max_size=3),
    st.sets(STEMS, max_size=6),
)
def test_keyword_matching_equals_the_rule_word_by_word(
    categories: dict[str, list[str]], words: set[str]
) -> None:
    """The lookup of prefixes and suffixes against the rule as the docstring states it."""

    def matches(word: str, key: str) -> bool:
        if not key:
            return False
        return word == key or (
            len(key) >= MIN_PART and (word.startswith(key) or word.endswith(key))
        )

    expected = {
        c for c, keys in categories.items() if any(matches(w, k) for w in words for k in keys)
    }
    assert _Keywords(categories).categories(words) == expected


def test_comments_hide_small_groups_and_response_order() -> None:
    frame = pd.concat([comment_frame(TEXTS), comment_frame(TEXTS[:3], "akteure")])
    out = comments(frame, policy=Policy())
    assert set(out[GROUP]) == {"familien"}
    assert list(out[TEXT]) == sorted(TEXTS)


def _written_by(texts: list[str], people: list[int], languages: list[str]) -> pd.DataFrame:
    frame = comment_frame(texts)
    frame[RESPONSE] = people
    frame[LANGUAGE] = languages
    return frame


def test_comment_threshold_counts_people_not_comments() -> None:
    """Six people with two comments each are twelve comments but six people: not shown,
    not in a word cloud; ten people with one comment each are shown."""
    six = _written_by(TEXTS + TEXTS[:2], [1 + i % 6 for i in range(12)], ["de"] * 12)
    assert len(six) == 12 and six[RESPONSE].nunique() == 6
    assert comments(six, policy=Policy()).empty
    assert frequencies(six, policy=Policy(min_cell=3))[0].empty
    ten = _written_by(TEXTS, list(range(1, 11)), ["de"] * 10)
    assert len(comments(ten, policy=Policy())) == 10


def test_language_tags_never_mark_out_a_small_group() -> None:
    """Ten German and two Turkish writers: a tag "tr" (or "de") would point at two people,
    so no comment of the cell carries a language; with ten of each, all are tagged."""
    mixed = _written_by(TEXTS + TEXTS[:2], list(range(1, 13)), ["de"] * 10 + ["tr"] * 2)
    out = comments(mixed, policy=Policy())
    assert len(out) == 12 and set(out[LANGUAGE]) == {""}
    both = _written_by(TEXTS * 2, list(range(1, 21)), ["de"] * 10 + ["tr"] * 10)
    tagged = comments(both, policy=Policy())
    assert sorted(set(tagged[LANGUAGE])) == ["de", "tr"]
    assert RESPONSE not in tagged.columns


def test_each_language_has_its_own_cloud_and_stop_words() -> None:
    german = [f"Mehr Spielplätze bitte {n}" for n in range(10)]
    turkish = [f"Daha fazla çocuk parkı lütfen {n}" for n in range(10)]
    arabic = [f"نريد المزيد من الحدائق للأطفال {n}" for n in range(10)]
    few = [f"More playgrounds please {n}" for n in range(4)]  # 4 writers: too few to show
    frame = comment_frame(german + turkish + arabic + few)
    frame["language"] = ["de-LS"] * 5 + ["de"] * 5 + ["tr"] * 10 + ["ar"] * 10 + ["en"] * 4
    words, _ = frequencies(frame, policy=Policy(min_cell=3))
    by_language = {
        lang: dict(zip(part["word"], part["count"], strict=True))
        for lang, part in words.groupby("language")
    }
    assert set(by_language) == {"de", "tr", "ar"}  # Leichte Sprache is German; en too few
    assert by_language["de"]["spielplätze"] == 10 and "mehr" not in by_language["de"]
    assert by_language["tr"]["çocuk"] == 10 and by_language["tr"]["parkı"] == 10
    assert not {"daha", "fazla", "lütfen"} & set(by_language["tr"])
    assert by_language["ar"]["الحدائق"] == 10 and "المزيد" not in by_language["ar"]
    assert "spielplätze" not in by_language["tr"]
