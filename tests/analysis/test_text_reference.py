"""Word frequencies and the comment list against plain references: the definitions the fast
paths of :mod:`analysis.text` replace (one ``Counter`` over each cell's words, ``tokens``
per text, ``sort_values`` over all columns)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.frames import FIELD, GROUP, KIND, LANGUAGE, QUESTION, RESPONSE, TEXT
from analysis.privacy import Policy, suppress
from analysis.text import (
    _Keywords,
    _language_tags,
    base_language,
    code_keywords,
    comments,
    frequencies,
    normalise,
    plural_map,
    respondents,
    stem,
    stop_words,
    tokens,
)

BREAK = "\n"


def _cells(
    texts: pd.DataFrame, by: Sequence[str], policy: Policy
) -> Iterator[tuple[tuple[str, ...], pd.DataFrame]]:
    """The cells of enough writers as pandas iterates the groups (``respondents``)."""
    if texts.empty:
        return
    for key, part in texts.groupby(list(by), observed=True, sort=True):
        if policy.text_allowed(respondents(part)):
            yield tuple(str(k) for k in key), part


def reference_frequencies(
    texts: pd.DataFrame,
    by: Sequence[str] = (FIELD, GROUP),
    *,
    policy: Policy,
    extra_stop_words: Iterable[str] = (),
    top: int = 200,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`analysis.text.frequencies` as it was defined: each cell's words (``tokens``
    per text, a break between texts) counted with one ``Counter``, German plurals folded
    with one map over the German cells, ``most_common(top)`` of words and pairs."""
    extra = frozenset(extra_stop_words)
    languages = LANGUAGE in texts.columns and LANGUAGE not in by
    if languages:
        texts = texts.assign(**{LANGUAGE: texts[LANGUAGE].astype(str).map(base_language)})
        by = (*by, LANGUAGE)

    def language_of(key: tuple[str, ...]) -> str:
        return key[-1] if languages else "de"

    cells = []
    for key, part in _cells(texts, by, policy):
        stop = stop_words(extra, language_of(key))
        sequence: list[str] = []
        for text in part[TEXT]:
            sequence += [*tokens(str(text), stop), BREAK]
        cells.append((key, len(part), sequence[:-1]))
    total: Counter[str] = Counter()
    for key, _, sequence in cells:
        if language_of(key) == "de":
            total.update(sequence)
    del total[BREAK]
    mapping = plural_map(total)
    mapping[BREAK] = BREAK
    words, bigrams = [], []
    for key, size, sequence in cells:
        folded = [mapping.get(x, x) for x in sequence]
        w = Counter(folded)
        del w[BREAK]
        b = Counter(
            f"{x} {y}"
            for x, y in zip(folded, folded[1:], strict=False)
            if x != BREAK and y != BREAK
        )
        base = dict(zip(by, key, strict=True))
        words += [
            {**base, "word": k, "count": n, "comments": size}
            for k, n in w.most_common(top)
            if n >= policy.min_cell
        ]
        bigrams += [
            {**base, "bigram": k, "count": n, "comments": size}
            for k, n in b.most_common(top)
            if n >= policy.min_cell
        ]
    columns = [*by, "count", "comments"]
    return (
        pd.DataFrame.from_records(words, columns=[*columns[:-2], "word", *columns[-2:]]),
        pd.DataFrame.from_records(bigrams, columns=[*columns[:-2], "bigram", *columns[-2:]]),
    )


def reference_comments(
    texts: pd.DataFrame, by: Sequence[str] = (FIELD, GROUP), *, policy: Policy
) -> pd.DataFrame:
    """:func:`analysis.text.comments` as it was defined (pandas ``sort_values``)."""
    tagged = LANGUAGE in texts.columns and LANGUAGE not in by and RESPONSE in texts.columns
    parts = [
        part.assign(
            **{c: part[c].astype(str) for c in by},
            **({LANGUAGE: _language_tags(part, policy)} if tagged else {}),
        )
        for _, part in _cells(texts, by, policy)
    ]
    columns = [*by, *([] if QUESTION in by else [QUESTION]), TEXT]
    if tagged:
        columns.append(LANGUAGE)
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)[columns]
    out[QUESTION] = out[QUESTION].astype(str)
    return out.sort_values(columns, ignore_index=True)


#: Words that fold (plurals, umlaut plurals, hyphen compounds), stop words, short words,
#: punctuation, digits, quotes and dashes, another script, decomposed umlauts, newlines.
PIECES = [
    "Spielplatz",
    "Spielplätze",
    "spielplätze,",
    "Kita-Plätze",
    "kitaplätze",
    "Kita",
    "Kitas",
    "Schule",
    "Schulen.",
    "Radweg",
    "Radwege!",
    "mehr",
    "und",
    "die",
    "gut",
    "besser",
    "zu",
    "ab",
    "Bus",
    "„Park“",
    "2024",
    "A1-Straße",
    "—",
    "x-y",
    "Spielpla\u0308tze",
    "daha",
    "parkı",
    "çocuk",
    "الحدائق",
    "Kinder\nBetreuung",
    "  ",
    "Öffnungszeiten",
    "öffnungszeit",
]
TEXT_LISTS = st.lists(
    st.lists(st.sampled_from(PIECES), min_size=0, max_size=10).map(" ".join),
    min_size=0,
    max_size=120,
)


def _frame(texts: list[str], data: st.DataObject) -> pd.DataFrame:
    n = len(texts)
    people = data.draw(st.lists(st.integers(1, 300), min_size=n, max_size=n))
    return pd.DataFrame(
        {
            RESPONSE: people,
            FIELD: pd.Categorical(
                data.draw(
                    st.lists(
                        st.sampled_from(["bildung", "wohnen", "wohnen", None]),
                        min_size=n,
                        max_size=n,
                    )
                ),
                categories=["", "wohnen", "bildung"],
            ),
            GROUP: pd.Categorical(
                data.draw(
                    st.lists(st.sampled_from(["familien", "senioren"]), min_size=n, max_size=n)
                ),
                categories=["senioren", "familien", "akteure"],
            ),
            QUESTION: data.draw(st.lists(st.sampled_from(["k1", "k2"]), min_size=n, max_size=n)),
            KIND: "text",
            TEXT: texts,
            LANGUAGE: data.draw(
                st.lists(
                    st.sampled_from(["de", "de", "de", "de", "de-LS", "tr", "ar"]),
                    min_size=n,
                    max_size=n,
                )
            ),
        }
    )


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts=TEXT_LISTS, data=st.data(), min_cell=st.integers(3, 4), top=st.integers(1, 12))
def test_frequencies_equal_the_counter_reference(
    texts: list[str], data: st.DataObject, min_cell: int, top: int
) -> None:
    frame = _frame(texts, data)
    policy = Policy(min_cell=min_cell, min_text=min_cell + data.draw(st.integers(0, 3)))
    for part in (frame, frame.drop(columns=[LANGUAGE]), frame.drop(columns=[RESPONSE])):
        for by in ((FIELD, GROUP), (GROUP,)):
            ours = frequencies(part, by, policy=policy, top=top, extra_stop_words=["Bus"])
            theirs = reference_frequencies(
                part, by, policy=policy, top=top, extra_stop_words=["Bus"]
            )
            for mine, reference in zip(ours, theirs, strict=True):
                pd.testing.assert_frame_equal(mine, reference, check_dtype=False)


@SETTINGS
@given(texts=TEXT_LISTS, data=st.data())
def test_comments_equal_the_sort_values_reference(texts: list[str], data: st.DataObject) -> None:
    frame = _frame(texts, data)
    policy = Policy(min_cell=3, min_text=data.draw(st.integers(3, 6)))
    for part in (frame, frame.drop(columns=[LANGUAGE]), frame.drop(columns=[RESPONSE])):
        for by in ((FIELD, GROUP), (QUESTION, GROUP)):
            pd.testing.assert_frame_equal(
                comments(part, by, policy=policy),
                reference_comments(part, by, policy=policy),
                check_dtype=False,
                check_categorical=False,
                check_index_type=False,
            )


def test_frequencies_across_blocks_equal_the_reference(monkeypatch: object) -> None:
    """A cell longer than one tokenising block gives the same counts (the break between
    two blocks is one break between texts)."""
    import analysis.text as text_module

    frame = pd.DataFrame(
        {
            FIELD: "wohnen",
            GROUP: "familien",
            QUESTION: "k",
            KIND: "text",
            TEXT: [" ".join(PIECES[i % 7 : i % 7 + 3 + i % 5]) for i in range(50)],
        }
    )
    setattr(text_module, "_BLOCK", 7)  # noqa: B010 - restored below
    try:
        ours = frequencies(frame, policy=Policy(min_cell=3))
    finally:
        setattr(text_module, "_BLOCK", 20_000)  # noqa: B010
    theirs = reference_frequencies(frame, policy=Policy(min_cell=3))
    for mine, reference in zip(ours, theirs, strict=True):
        pd.testing.assert_frame_equal(mine, reference, check_dtype=False)


@pytest.mark.parametrize("seed", range(4))
def test_many_comments_equal_the_references(seed: int) -> None:
    """Thousands of comments from the pieces: large cells, many ties, every language."""
    rng = random.Random(seed)
    n = 3_000
    frame = pd.DataFrame(
        {
            RESPONSE: [rng.randint(1, 2_500) for _ in range(n)],
            FIELD: [rng.choice(["bildung", "wohnen", ""]) for _ in range(n)],
            GROUP: [rng.choice(["familien", "senioren", "akteure"]) for _ in range(n)],
            QUESTION: [rng.choice(["k1", "k2"]) for _ in range(n)],
            KIND: "text",
            TEXT: [" ".join(rng.choices(PIECES, k=rng.randint(0, 12))) for _ in range(n)],
            LANGUAGE: rng.choices(["de", "de-LS", "tr", "ar", "en"], [20, 3, 4, 2, 1], k=n),
        }
    )
    policy = Policy(min_cell=3, min_text=10)
    ours = frequencies(frame, policy=policy, top=25)
    theirs = reference_frequencies(frame, policy=policy, top=25)
    assert len(ours[0]) > 100 and len(ours[1]) > 100
    for mine, reference in zip(ours, theirs, strict=True):
        pd.testing.assert_frame_equal(mine, reference, check_dtype=False)
    pd.testing.assert_frame_equal(
        comments(frame, policy=policy),
        reference_comments(frame, policy=policy),
        check_dtype=False,
        check_categorical=False,
        check_index_type=False,
    )


def reference_keywords(
    texts: pd.DataFrame,
    categories: dict[str, list[str]],
    by: Sequence[str] = (FIELD, GROUP),
    *,
    policy: Policy,
) -> pd.DataFrame:
    """:func:`analysis.text.code_keywords` as it was defined: each comment's stems matched."""
    matcher = _Keywords({c: [stem(normalise(k)) for k in kws] for c, kws in categories.items()})
    records = []
    for key, part in _cells(texts, by, policy):
        hits: Counter[str] = Counter()
        for text in part[TEXT]:
            hits.update(matcher.categories({stem(w) for w in tokens(str(text), frozenset())}))
        base = dict(zip(by, key, strict=True))
        records += [
            {**base, "category": c, "count": hits[c], "comments": len(part)} for c in categories
        ]
    table = pd.DataFrame.from_records(records, columns=[*by, "category", "count", "comments"])
    table["share"] = table["count"] / table["comments"]
    return suppress(
        table,
        counts=["count", "comments"],
        group=by[-1] if by else None,
        linked={"share": "count"},
        policy=policy,
    )


KEYWORDS = st.dictionaries(
    st.sampled_from(["Spielen", "Betreuung", "Verkehr", "Leer"]),
    st.lists(st.sampled_from(["Spielplatz", "kita", "Betreuung", "bus", "Rad", "park", ""])),
    max_size=4,
)


@SETTINGS
@given(texts=TEXT_LISTS, data=st.data(), categories=KEYWORDS)
def test_keywords_equal_the_reference(
    texts: list[str], data: st.DataObject, categories: dict[str, list[str]]
) -> None:
    frame = _frame(texts, data)
    policy = Policy(min_cell=3, min_text=data.draw(st.integers(3, 6)))
    for by in ((FIELD, GROUP), (GROUP,)):
        pd.testing.assert_frame_equal(
            code_keywords(frame, categories, by, policy=policy),
            reference_keywords(frame, categories, by, policy=policy),
            check_dtype=False,
        )


@pytest.mark.parametrize("seed", range(2))
def test_keywords_of_many_comments_equal_the_reference(seed: int) -> None:
    rng = random.Random(seed)
    n = 3_000
    frame = pd.DataFrame(
        {
            RESPONSE: range(n),
            FIELD: [rng.choice(["bildung", "wohnen"]) for _ in range(n)],
            GROUP: [rng.choice(["familien", "senioren", "akteure"]) for _ in range(n)],
            QUESTION: "k",
            KIND: "text",
            TEXT: [" ".join(rng.choices(PIECES, k=rng.randint(0, 12))) for _ in range(n)],
        }
    )
    categories = {"Spielen": ["Spielplatz", "park"], "Betreuung": ["kita", "betreuung"]}
    policy = Policy(min_cell=3, min_text=10)
    ours = code_keywords(frame, categories, policy=policy)
    assert (ours["count"].dropna() > 0).any()
    pd.testing.assert_frame_equal(
        ours, reference_keywords(frame, categories, policy=policy), check_dtype=False
    )
