"""Free text: German normalisation, stop words, plural and compound handling, frequencies,
keyword coding and the comments themselves - each shown only for groups of >= ``min_text``."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import chain
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from stop_words import get_stop_words

from analysis.frames import (
    CHANNEL,
    FIELD,
    GROUP,
    KIND,
    LANGUAGE,
    QUESTION,
    RESPONSE,
    TEXT,
    _categorical,
)
from analysis.privacy import DEFAULT_POLICY, Policy, suppress

#: Words that carry the judgement of an answer; never treated as stop words.
KEEP_WORDS = frozenset(
    [
        "gut",
        "gute",
        "guter",
        "gutes",
        "guten",
        "besser",
        "bessere",
        "besseren",
        "schlecht",
        "schlechte",
        "schlechter",
        "schlechten",
        "weniger",
        "wenig",
        "fehlt",
        "fehlen",
        "zufrieden",
        "unzufrieden",
    ]
)
#: Filler words of survey answers that the ``stop-words`` German list lacks.
SURVEY_STOP_WORDS = frozenset(
    [
        "wäre",
        "wären",
        "schon",
        "gibt",
        "ganz",
        "mal",
        "eigentlich",
        "einfach",
        "bitte",
        "etwa",
        "etwas",
        "viele",
        "vielen",
        "immer",
        "finde",
        "finden",
        "meiner",
        "meinung",
        "sollten",
        "könnte",
        "könnten",
        "würde",
        "würden",
        "gerne",
        "gern",
        "ja",
        "nein",
        "usw",
        "bzw",
        "dass",
        "daß",
        "sowie",
        "eher",
        "leider",
        "teilweise",
        "oft",
        "sowieso",
        "evtl",
        "beim",
        "gibt's",
        # Counting, time and filler words that fill clouds without saying anything.
        "zwei",
        "drei",
        "vier",
        "jahr",
        "jahre",
        "jahren",
        "seit",
        "kaum",
        "gerade",
        "letzten",
        "bekommt",
        "bekommen",
        "kommt",
        "gesagt",
        "sicht",
        "geworden",
        "mehreren",
        "ehrlich",
        "hoffentlich",
        "dank",
        "umfrage",
        "fragen",
        "liegen",
        "gibts",
    ]
)
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
#: Quotes and dashes unified by :func:`normalise` (``str.replace`` per pair: on long
#: non-ASCII strings ``str.translate`` with a table is ten times slower).
_PUNCT = (("’", "'"), ("‘", "'"), ("„", " "), ("“", " "), ("”", " "), ("–", " "), ("—", " "))
_UMLAUT = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})
#: Plural and inflection endings tried (longest first) when folding words.
_ENDINGS = ("innen", "nen", "en", "er", "es", "e", "n", "s")
MIN_PART = 4


#: The ``stop-words`` list of each questionnaire language (Leichte Sprache is German).
STOP_WORD_LISTS = {"de": "german", "en": "english", "tr": "turkish", "ar": "arabic"}
#: Words of wishes and requests in every language: they top every cloud and say nothing
#: about the subject ("mehr Kitaplätze", "daha fazla park").
REQUEST_WORDS = {
    "de": frozenset(["mehr", "bitte", "sollte", "sollten", "müsste", "müssten", "wünsche"]),
    "en": frozenset(["more", "please", "would", "should", "need", "needs", "better"]),
    "tr": frozenset(["daha", "fazla", "lütfen", "çok", "olmalı", "gerek", "için", "bir"]),
    "ar": frozenset(
        ["أكثر", "المزيد", "يرجى", "الرجاء", "يجب", "نريد", "نتمنى", "من", "في", "على"]
    ),
}


def base_language(code: str) -> str:
    """The language whose words a comment uses: Leichte Sprache is German; unknown is German."""
    code = (code or "de").split("-")[0]
    return code if code in STOP_WORD_LISTS else "de"


@lru_cache(maxsize=16)
def stop_words(extra: frozenset[str] = frozenset(), language: str = "de") -> frozenset[str]:
    """Stop words of ``language`` (``stop-words`` package) plus survey and request words;
    German also minus KEEP_WORDS (words that carry a judgement)."""
    words = {normalise(w) for w in get_stop_words(STOP_WORD_LISTS.get(language, "german"))}
    words |= {normalise(w) for w in REQUEST_WORDS.get(language, frozenset())}
    if language == "de":
        words |= SURVEY_STOP_WORDS
    words |= {normalise(w) for w in extra}
    return frozenset(words - KEEP_WORDS) if language == "de" else frozenset(words)


def normalise(text: str) -> str:
    """Lower-case, compose umlauts (NFC: "a" + combining diaeresis becomes "ä"), unify quotes
    and dashes. Hyphenated compounds are joined later by :func:`tokens`."""
    text = unicodedata.normalize("NFC", text)
    for old, new in _PUNCT:
        if old in text:
            text = text.replace(old, new)
    return text.lower()


def tokens(text: str, stop: frozenset[str] | None = None) -> list[str]:
    """Return the content words of ``text``: normalised, hyphen compounds joined
    ("Kita-Plätze" -> "kitaplätze"), stop words and words under 3 letters removed."""
    stop = stop_words() if stop is None else stop
    words = (w.replace("-", "") for w in _TOKEN.findall(normalise(text)))
    return [w for w in words if len(w) >= 3 and w not in stop]


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Return a crude matching key: umlauts folded and one plural/inflection ending removed
    ("spielplätze" -> "spielplatz", "kinder" -> "kind", "kitas" -> "kita")."""
    base = word.translate(_UMLAUT).replace("ß", "ss")
    for ending in _ENDINGS:
        if base.endswith(ending) and len(base) - len(ending) >= 3:
            return base[: -len(ending)]
    return base


def plural_map(counts: Mapping[str, int]) -> dict[str, str]:
    """Map each word to the word it is folded into (itself if none).

    A word is folded into a shorter word of the same corpus that it becomes by dropping a
    plural ending, with an umlaut plural undone ("plätze" -> "platz", "schulen" -> "schule").
    All forms of one lemma then show as its most frequent form.
    """
    lemma: dict[str, str] = {}
    for word in sorted(counts, key=len):
        target = word
        for ending in _ENDINGS:
            if not word.endswith(ending) or len(word) - len(ending) < 3:
                continue
            stripped = word[: -len(ending)]
            for candidate in (stripped, _undo_umlaut(stripped)):
                if candidate != word and candidate in counts:
                    target = lemma.get(candidate, candidate)
                    break
            if target != word:
                break
        lemma[word] = target
    groups: dict[str, list[str]] = {}
    for word, root in lemma.items():
        groups.setdefault(root, []).append(word)
    shown = {root: max(forms, key=lambda w: (counts[w], -len(w))) for root, forms in groups.items()}
    return {word: shown[root] for word, root in lemma.items()}


def _undo_umlaut(word: str) -> str:
    """Undo the last umlaut of a word ("plätz" -> "platz")."""
    for index in range(len(word) - 1, -1, -1):
        if word[index] in "äöü":
            return word[:index] + word[index].translate(_UMLAUT) + word[index + 1 :]
    return word


def compound_head(word: str, vocabulary: Iterable[str]) -> str | None:
    """Return the longest word of ``vocabulary`` that ends ``word`` as a compound head
    ("kinderbetreuung" -> "betreuung"), or ``None``."""
    heads = [
        v for v in vocabulary if len(v) >= MIN_PART and len(word) - len(v) >= 3 and word.endswith(v)
    ]
    return max(heads, key=len) if heads else None


_BREAK = "\n"
#: Words of letters in any script (Turkish ş, ğ, ı; Arabic), hyphenated compounds, breaks.
_TOKEN_OR_BREAK = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\n")
#: Texts tokenised together: bounds the transient list of whitespace-separated pieces.
_BLOCK = 20_000
#: The id of the break between two texts in a word sequence.
_GAP = -1
#: A pair of word ids is one int64: ``first << 32 | second``.
_LOW = 0xFFFFFFFF


class _Words:
    """The word ids of the comments of one analysis, shared by all cells.

    A text's words never span whitespace, so each cell's normalised text is split at its
    spaces and every distinct piece ("kita-plätze,", "schule.") is tokenised once; the
    cell becomes an array of word ids (``_GAP`` between texts). Words under three letters
    are dropped here, stop words per cell (they depend on its language).
    """

    def __init__(self) -> None:
        self.words: list[str] = []
        self.ids: dict[str, int] = {}
        self._pieces: dict[str, tuple[int, ...]] = {}
        self._stopped: dict[frozenset[str], list[bool]] = {}

    def _piece(self, piece: str) -> tuple[int, ...]:
        out = []
        for token in _TOKEN_OR_BREAK.findall(piece):
            if token == _BREAK:
                out.append(_GAP)
                continue
            word = token.replace("-", "")
            if len(word) >= 3:
                if word not in self.ids:
                    self.ids[word] = len(self.words)
                    self.words.append(word)
                out.append(self.ids[word])
        return tuple(out)

    def sequence(self, texts: Sequence[str], stop: frozenset[str]) -> np.ndarray:
        """The content words of ``texts`` in order, ``_GAP`` between texts: the word ids
        of what :func:`tokens` returns per text with ``stop``."""
        parts = []
        for start in range(0, len(texts), _BLOCK):
            block = texts[start : start + _BLOCK]
            joined = normalise(_BREAK.join(str(t).replace(_BREAK, " ") for t in block))
            if start:
                parts.append(np.array([_GAP], dtype=np.int32))
            parts.append(self._ids_of(joined.replace(_BREAK, f" {_BREAK} ").split(" ")))
        ids = np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)
        stopped = self._stop_mask(stop)
        kept: np.ndarray = ids[(ids == _GAP) | ~stopped[np.maximum(ids, 0)]]
        return kept

    def _ids_of(self, pieces: list[str]) -> np.ndarray:
        codes, distinct = pd.factorize(np.asarray(pieces, dtype=object))
        known = self._pieces
        per_piece = [known.get(p) or known.setdefault(p, self._piece(p)) for p in distinct]
        lengths = np.fromiter((len(i) for i in per_piece), dtype=np.int64, count=len(per_piece))
        flat = np.fromiter(chain.from_iterable(per_piece), dtype=np.int32, count=lengths.sum())
        starts = np.cumsum(lengths) - lengths
        n = lengths[codes]
        # The ids of each piece where it occurs: its start repeated, plus 0, 1, ... within.
        offsets = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        out: np.ndarray = flat[np.repeat(starts[codes], n) + offsets]
        return out

    def _stop_mask(self, stop: frozenset[str]) -> np.ndarray:
        mask = self._stopped.setdefault(stop, [])
        mask.extend(w in stop for w in self.words[len(mask) :])
        return np.array(mask or [False], dtype=bool)


class _Tally(NamedTuple):
    """Counts of one cell's words (or word pairs) with each one's first position in the
    cell's sequence: enough to rebuild the Counter of the sequence, insertion order
    included, after folding plurals (:func:`_folded`)."""

    keys: np.ndarray
    counts: np.ndarray
    first: np.ndarray


def _tally(keys: np.ndarray, positions: np.ndarray) -> _Tally:
    distinct, first, counts = np.unique(keys, return_index=True, return_counts=True)
    return _Tally(distinct, counts, positions[first])


def _cell_tallies(sequence: np.ndarray) -> tuple[_Tally, _Tally]:
    """The words and the pairs of neighbouring words (not across texts) of a sequence.
    A pair is ``first << 32 | second``."""
    positions = np.arange(len(sequence))
    is_word = sequence != _GAP
    pair = is_word[:-1] & is_word[1:]
    pairs = (sequence[:-1][pair].astype(np.int64) << 32) | sequence[1:][pair]
    return _tally(sequence[is_word], positions[is_word]), _tally(pairs, positions[:-1][pair])


def _folded(
    tally: _Tally, fold: np.ndarray, top: int, *, pairs: bool = False
) -> list[tuple[int, int]]:
    """``Counter(folded sequence).most_common(top)`` from a tally: counts of keys that fold
    together summed, ties in the order of first occurrence (the Counter's insertion order)."""
    keys = tally.keys
    keys = (fold[keys >> 32] << 32) | fold[keys & _LOW] if pairs else fold[keys]
    distinct, inverse = np.unique(keys, return_inverse=True)
    counts = np.zeros(len(distinct), dtype=np.int64)
    np.add.at(counts, inverse, tally.counts)
    first = np.full(len(distinct), np.iinfo(np.int64).max)
    np.minimum.at(first, inverse, tally.first)
    order = np.lexsort((first, -counts))[:top]
    return list(zip(distinct[order].tolist(), counts[order].tolist(), strict=True))


def _base_languages(languages: pd.Series) -> pd.Categorical:
    """``languages.astype(str).map(base_language)`` as a categorical of sorted categories
    (grouped like those strings), each distinct language mapped once."""
    codes, distinct = pd.factorize(languages, use_na_sentinel=False)
    bases = [base_language(str(code)) for code in distinct]
    categories = sorted(set(bases))
    lookup = np.array([categories.index(b) for b in bases] or [0], dtype=np.int32)
    return _categorical(lookup[codes], categories)


def frequencies(
    texts: pd.DataFrame,
    by: Sequence[str] = (FIELD, GROUP),
    *,
    policy: Policy = DEFAULT_POLICY,
    extra_stop_words: Iterable[str] = (),
    top: int = 200,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return word and bigram frequencies per cell (default Handlungsfeld x group).

    When ``texts`` has a language column, each language is its own cell (one word cloud per
    language, Leichte Sprache counting as German) with its own stop words; a language cell
    needs ``min_text`` writers like any other. German plurals are folded with one map over
    all German cells, so a word shows the same way in every cell. Words and pairs used fewer
    than ``min_cell`` times are left out. Ties keep the order of first use.
    Columns: the ``by`` columns (and ``language``), ``word`` (or ``bigram``), ``count``,
    ``comments`` (cell size).
    """
    extra = frozenset(extra_stop_words)
    languages = LANGUAGE in texts.columns and LANGUAGE not in by
    columns = [c for c in (*by, RESPONSE, TEXT) if c in texts.columns]
    if languages:
        texts = texts[[*columns, LANGUAGE]]
        texts = texts.assign(**{LANGUAGE: _base_languages(texts[LANGUAGE])})
        by = (*by, LANGUAGE)
    else:
        texts = texts[columns]

    def language_of(key: tuple[str, ...]) -> str:
        return key[-1] if languages else "de"

    vocabulary = _Words()
    written = texts[TEXT].to_numpy(dtype=object)
    cells = []
    for key, rows in _cells(texts, by, policy):
        sequence = vocabulary.sequence(written[rows].tolist(), stop_words(extra, language_of(key)))
        cells.append((key, len(rows), *_cell_tallies(sequence)))
    del written
    # All German cells' words, in the order of first use (which form of a lemma shows
    # breaks ties by it), for one plural map.
    total: dict[str, int] = {}
    words = vocabulary.words
    for key, _, unigrams, _ in cells:
        if language_of(key) == "de":
            for i in np.argsort(unigrams.first, kind="stable").tolist():
                word = words[unigrams.keys[i]]
                total[word] = total.get(word, 0) + int(unigrams.counts[i])
    mapping = plural_map(total)
    fold = np.array([vocabulary.ids[mapping.get(w, w)] for w in words] or [0], dtype=np.int64)
    word_rows, bigram_rows = [], []
    for key, size, unigrams, pairs in cells:
        base = dict(zip(by, key, strict=True))
        # A word used fewer than min_cell times is left out, like any small cell.
        word_rows += [
            {**base, "word": words[k], "count": n, "comments": size}
            for k, n in _folded(unigrams, fold, top)
            if n >= policy.min_cell
        ]
        bigram_rows += [
            {**base, "bigram": f"{words[k >> 32]} {words[k & _LOW]}", "count": n, "comments": size}
            for k, n in _folded(pairs, fold, top, pairs=True)
            if n >= policy.min_cell
        ]
    columns = [*by, "count", "comments"]
    return (
        pd.DataFrame.from_records(word_rows, columns=[*columns[:-2], "word", *columns[-2:]]),
        pd.DataFrame.from_records(bigram_rows, columns=[*columns[:-2], "bigram", *columns[-2:]]),
    )


def fold(counts: Mapping[str, int], mapping: Mapping[str, str]) -> Counter[str]:
    """Merge counts of words that fold into the same lemma."""
    out: Counter[str] = Counter()
    for word, n in counts.items():
        out[mapping.get(word, word)] += n
    return out


def comment_rows(texts: pd.DataFrame) -> pd.DataFrame:
    """Return the answers of free-text questions (not the "Sonstiges" texts of choices)."""
    return texts[texts[KIND] == "text"] if len(texts) else texts


def _cells(
    texts: pd.DataFrame, by: Sequence[str], policy: Policy
) -> list[tuple[tuple[str, ...], np.ndarray]]:
    """The cells of comments written by enough people to be shown, as their ``by`` values
    (as text) and row positions, in the order of ``groupby(by, sort=True)``: what iterating
    the groups gives, without a copy of every group's rows.

    The threshold counts respondents, not comments: six people with two comments each are
    six people, too few to be quoted.
    """
    if texts.empty:
        return []
    groups = texts[[*by, *([RESPONSE] if RESPONSE in texts.columns else [])]].groupby(
        list(by), observed=True, sort=True
    )
    sizes = groups.size()
    if sizes.empty:  # every row lacks a key
        return []
    writers = groups[RESPONSE].nunique() if RESPONSE in texts.columns else sizes
    # Rows numbered by their group (NaN: a key is missing, no group), in row order within.
    order = np.argsort(groups.ngroup().to_numpy(dtype=float), kind="stable")
    rows = np.split(order[: int(sizes.sum())], np.cumsum(sizes.to_numpy())[:-1])
    out = []
    for key, n, positions in zip(sizes.index, writers.to_numpy(), rows, strict=True):
        if policy.text_allowed(int(n)):
            values = key if isinstance(key, tuple) else (key,)
            out.append((tuple(str(k) for k in values), positions))
    return out


def respondents(texts: pd.DataFrame) -> int:
    """Return how many people wrote ``texts`` (one per row when no response id is known)."""
    return int(texts[RESPONSE].nunique()) if RESPONSE in texts.columns else len(texts)


def _language_tags(part: pd.DataFrame, policy: Policy) -> pd.Series:
    """The language beside each comment of a cell, or "" for all of them when any language
    of the cell was written by fewer than ``min_text`` people: a tag (or its absence) must
    not mark out a smaller group than the cell itself."""
    sizes = part.groupby(LANGUAGE, observed=True)[RESPONSE].nunique()
    if (sizes < policy.min_text).any():
        return pd.Series("", index=part.index)
    return part[LANGUAGE].astype(str)


def comments(
    texts: pd.DataFrame, by: Sequence[str] = (FIELD, GROUP), *, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """Return the comments for reading, only for cells of at least ``min_text`` respondents.

    No response id is kept, and comments are sorted by text so order reveals nothing.
    """
    tagged = LANGUAGE in texts.columns and LANGUAGE not in by and RESPONSE in texts.columns
    columns = [*by, *([] if QUESTION in by else [QUESTION]), TEXT]
    if tagged:
        columns.append(LANGUAGE)  # free text stays as written, marked with its language
    needed = [*by, *([RESPONSE] if RESPONSE in texts.columns else [])]
    if tagged:
        needed.append(LANGUAGE)
    # The cells by their rows, then sorted by their ``by`` values as text: every row of a
    # cell has the same, so sorting each cell by the other columns sorts the whole list.
    narrow = texts[needed]
    cells = []
    for _key, rows in _cells(narrow, by, policy):
        part = narrow.iloc[rows]
        head = part.iloc[:1]
        cells.append(
            (
                tuple(str(head[c].astype(str).iat[0]) for c in by),
                rows,
                _language_tags(part, policy).to_numpy(dtype=object) if tagged else None,
            )
        )
    del narrow
    if not cells:
        return pd.DataFrame(columns=columns)
    cells.sort(key=lambda cell: cell[0])
    # Filled cell by cell: no part of a million rows is held beside the result. A handful
    # of fields, groups, questions and languages: codes, not a pointer per comment.
    size = sum(len(rows) for _, rows, _ in cells)
    text_out = np.empty(size, dtype=object)
    codes = {c: np.empty(size, dtype=np.int32) for c in columns if c != TEXT}
    seen: dict[str, dict[str, int]] = {c: {} for c in codes}
    text = texts[TEXT].to_numpy(dtype=object)
    question = texts[QUESTION].astype(str).to_numpy(dtype=object)
    start = 0
    for key, rows, tags in cells:
        end = start + len(rows)
        cell = {QUESTION: question[rows], TEXT: text[rows]}
        if tags is not None:
            cell[LANGUAGE] = tags
        order = _order([cell[c] for c in columns if c in cell], text=cell[TEXT])
        text_out[start:end] = cell.pop(TEXT)[order]
        for column, value in zip(by, key, strict=True):
            codes[column][start:end] = seen[column].setdefault(value, len(seen[column]))
        for column, values in cell.items():
            if column not in by:
                found, distinct = pd.factorize(values[order])
                lookup = [seen[column].setdefault(str(v), len(seen[column])) for v in distinct]
                codes[column][start:end] = np.array(lookup, dtype=np.int32)[found]
        start = end
    out: dict[str, Any] = {}
    for column in columns:
        if column == TEXT:
            out[column] = text_out
            continue
        names = sorted(seen[column])  # the categories pandas would infer
        position = {name: i for i, name in enumerate(names)}
        recode = np.array([position[name] for name in seen[column]], dtype=np.int32)
        out[column] = _categorical(recode[codes.pop(column)], names)
    return pd.DataFrame(out, columns=columns)


def _order(keys: Sequence[np.ndarray], *, text: np.ndarray) -> np.ndarray:
    """The order of ``np.lexsort`` with the first key most significant, by stable sorts from
    the last key to the first: the text by one Python sort (pandas would hash every text and
    sort the distinct ones, four times slower on a million comments), the others (few
    distinct values) by their sorted codes."""
    order = np.arange(len(text))
    for values in reversed(keys):
        ordered = values[order]
        if values is text:
            order = order[np.array(sorted(range(len(ordered)), key=ordered.__getitem__), dtype=int)]
        else:
            codes = pd.factorize(ordered, sort=True)[0]
            order = order[np.argsort(codes, kind="stable")]
    return order


class TextTables(NamedTuple):
    """The free-text tables of an analysis (:func:`text_tables`)."""

    notes: pd.DataFrame
    words: pd.DataFrame
    bigrams: pd.DataFrame
    comments: pd.DataFrame
    other_texts: pd.DataFrame


def text_tables(
    texts: pd.DataFrame, policy: Policy = DEFAULT_POLICY, *, notes: bool = True
) -> TextTables:
    """Word and pair frequencies, the comments and the "Sonstiges" texts of the text answers
    (:func:`analysis.aggregates.load_texts_streamed`), and as ``notes`` (if asked for; else
    empty) the comments for keyword coding (:func:`code_keywords`, which needs the
    analysis' view). Only the thresholds of ``policy`` count here, so this can run before
    the guard is built."""
    # Without "Sonstiges" texts the comments are all of them: no copy of a million rows.
    written = texts if (texts[KIND] == "text").all() else comment_rows(texts)
    written = written.drop(columns=[CHANNEL, KIND])  # copies of the comments stay narrow
    words, bigrams = frequencies(written, policy=policy)
    listed = comments(written, policy=policy)
    others = texts[texts[KIND] != "text"].drop(columns=[LANGUAGE]) if len(texts) else texts
    others = others.assign(**{KIND: others[KIND].astype(str)}) if len(others) else others
    other_texts = comments(others, by=(QUESTION, GROUP), policy=policy)
    kept = written if notes else written.iloc[:0]
    return TextTables(kept, words, bigrams, listed, other_texts)


def code_keywords(
    texts: pd.DataFrame,
    categories: Mapping[str, Sequence[str]],
    by: Sequence[str] = (FIELD, GROUP),
    *,
    policy: Policy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """Count comments per staff-defined category (a comment counts once per category).

    A keyword matches a word with the same stem, or a compound that starts or ends with it
    ("betreuung" matches "Kinderbetreuung", "spielplatz" matches "Spielplätze"). Returns the
    ``by`` columns, ``category``, ``count``, ``comments`` and ``share``, suppressed.
    """
    matcher = _Keywords({c: [stem(normalise(k)) for k in kws] for c, kws in categories.items()})
    names = list(categories)
    width = len(names) or 1
    # Each distinct word is matched once (a million comments share a small vocabulary);
    # a comment's categories are those of its words (``tokens`` without stop words).
    vocabulary = _Words()
    matches = np.zeros((0, len(names)), dtype=bool)  # word id x category
    written = texts[TEXT].to_numpy(dtype=object)
    records = []
    for key, rows in _cells(texts, by, policy):
        sequence = vocabulary.sequence(written[rows].tolist(), frozenset())
        if len(vocabulary.words) > len(matches):
            found = [matcher.categories({stem(w)}) for w in vocabulary.words[len(matches) :]]
            more = np.array([[c in f for c in names] for f in found], dtype=bool)
            matches = np.vstack([matches, more.reshape(len(found), len(names))])
        gap = sequence == _GAP
        comment = np.cumsum(gap)[~gap]  # the comment (within the cell) of each word
        words, hit = np.nonzero(matches[sequence[~gap]])
        # One count per comment and category, however many of its words match.
        pairs = np.unique(comment[words] * width + hit)
        hits = np.bincount(pairs % width, minlength=len(names))
        base = dict(zip(by, key, strict=True))
        records += [
            {**base, "category": c, "count": int(hits[i]), "comments": len(rows)}
            for i, c in enumerate(names)
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


class _Keywords:
    """The keyword stems of every category, matched against a comment's word stems at once.

    A word matches a key when it equals it, or, for keys of at least ``MIN_PART`` letters,
    when it starts or ends with it (compounds). So a word's own candidates are the word and
    its prefixes and suffixes of at least ``MIN_PART`` letters: a few dictionary lookups per
    word, for all categories together.
    """

    def __init__(self, categories: Mapping[str, Sequence[str]]) -> None:
        self.exact: dict[str, set[str]] = {}
        self.parts: dict[str, set[str]] = {}
        for category, keys in categories.items():
            for key in keys:
                if key:
                    self.exact.setdefault(key, set()).add(category)
                if len(key) >= MIN_PART:
                    self.parts.setdefault(key, set()).add(category)

    def categories(self, words: Iterable[str]) -> set[str]:
        """The categories any of ``words`` (stems) matches."""
        out: set[str] = set()
        exact, parts = self.exact, self.parts
        for word in words:
            out.update(exact.get(word, ()))
            for end in range(MIN_PART, len(word) + 1):
                out.update(parts.get(word[:end], ()))
                out.update(parts.get(word[-end:], ()))
        return out
