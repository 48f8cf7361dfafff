"""Scale polarity: negatively worded ("umgepolt") questions and items are scored reversed.

On a negatively worded item ("Ich fühle mich oft allein.") agreeing is the bad outcome, so
every score that is read as "higher is better" - the Handlungsfeld index, item scores,
strengths and weaknesses, importance-performance, group and baseline comparisons - scores
point ``p`` of a ``k``-point scale as ``k + 1 - p``. Raw distributions (counts and shares per
point) keep what people actually answered; outputs label reversed items (:func:`marker`,
:func:`footnote`).

A reversed question reverses all its items; an item can also be marked on its own. The flags
come from :class:`analysis.meta.SurveyMeta` (column ``reversed`` of ``questions`` and
``items``); frames built without that column mean "nothing reversed".
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from analysis.columns import ITEM, NONE, QUESTION
from analysis.meta import SurveyMeta

REVERSED = "reversed"
#: Appended to the wording of a reversed item in every output.
MARKER = "(umgepolt)"
FOOTNOTE = "Umgepolte Items (Zustimmung ist ungünstig, Wert als k + 1 − Stufe gezählt): "

Pair = tuple[str, str]


def reversed_pairs(meta: SurveyMeta) -> set[Pair]:
    """Return the (question, item) pairs scored reversed; item ``NONE`` for single scales."""
    return meta.memo("reversed_pairs", lambda: _reversed_pairs(meta))


def _reversed_pairs(meta: SurveyMeta) -> set[Pair]:
    questions, items = meta.questions, meta.items
    flagged: set[str] = set()
    if REVERSED in questions.columns:
        flagged = {str(q) for q in questions.index[questions[REVERSED].fillna(False).astype(bool)]}
    pairs: set[Pair] = {(q, NONE) for q in flagged}
    if len(items):
        own = (
            items[REVERSED].fillna(False).astype(bool)
            if REVERSED in items.columns
            else pd.Series(False, index=items.index)
        )
        for question, item, mine in zip(items[QUESTION], items[ITEM], own, strict=True):
            if mine or str(question) in flagged:
                pairs.add((str(question), str(item)))
    return pairs


def merged_polarity(meta: SurveyMeta, other: SurveyMeta) -> SurveyMeta:
    """Return ``meta`` with an item reversed wherever ``meta`` *or* ``other`` marks it.

    For comparisons with the baseline: a statement with the same question and item key is
    the same statement, so both surveys must score it the same way even when staff marked
    it in only one of them.
    """
    pairs = reversed_pairs(meta) | reversed_pairs(other)
    if pairs == reversed_pairs(meta):
        return meta
    items = meta.items.copy()
    items[REVERSED] = [
        (str(q), str(i)) in pairs for q, i in zip(items[QUESTION], items[ITEM], strict=True)
    ]
    questions = meta.questions.copy()
    with_items = set(items[QUESTION].astype(str))
    questions[REVERSED] = [
        str(q) not in with_items and (str(q), NONE) in pairs for q in questions.index
    ]
    return replace(meta, questions=questions, items=items)


def is_reversed(meta: SurveyMeta, question: str, item: str = NONE) -> bool:
    """Return whether the item (or single scale question) is scored reversed."""
    return (str(question), str(item)) in reversed_pairs(meta)


def pair_mask(answers: pd.DataFrame, pairs: set[Pair]) -> np.ndarray:
    """Boolean mask of the answer rows whose (question, item) is in ``pairs`` (via codes)."""
    q_cats, i_cats = answers[QUESTION].cat.categories, answers[ITEM].cat.categories
    lookup = np.zeros((len(q_cats) + 1) * (len(i_cats) + 1), dtype=bool)
    if pairs:
        q_pos = {str(k): n for n, k in enumerate(q_cats)}
        i_pos = {str(k): n for n, k in enumerate(i_cats)}
        for question, item in pairs:
            if question in q_pos and item in i_pos:
                lookup[q_pos[question] * len(i_cats) + i_pos[item]] = True
    q = answers[QUESTION].cat.codes.to_numpy().astype(np.int64)
    i = answers[ITEM].cat.codes.to_numpy().astype(np.int64)
    mask: np.ndarray = lookup[q * len(i_cats) + i]
    return mask


def reversed_rows(answers: pd.DataFrame, meta: SurveyMeta) -> np.ndarray:
    """Boolean mask of the answer rows that are scored reversed."""
    return pair_mask(answers, reversed_pairs(meta))


def scored_counts(counts: pd.DataFrame, meta: SurveyMeta) -> pd.DataFrame:
    """Return point counts (``count_1..k``) with the points of reversed items mirrored.

    Takes :func:`analysis.stats.point_counts` output (optionally with total rows); the
    "weiß nicht" count stays. Rows of other items are unchanged.
    """
    pairs = reversed_pairs(meta)
    if not pairs or counts.empty:
        return counts
    point_cols = [c for c in counts.columns if c.startswith("count_") and c != "count_dk"]
    keys = zip(counts[QUESTION].astype(str), counts[ITEM].astype(str), strict=True)
    flip = np.array([k in pairs for k in keys], dtype=bool)
    if not flip.any():
        return counts
    out = counts.copy()
    values = out[point_cols].to_numpy(copy=True)
    k = meta.questions["points"].reindex(out[QUESTION].astype(str)).to_numpy(dtype=int)
    for row in np.flatnonzero(flip):
        width = int(k[row])
        values[row, :width] = values[row, :width][::-1]
    out[point_cols] = values
    return out


def reversed_items(meta: SurveyMeta) -> list[tuple[str, str, str]]:
    """Return (question, item, wording) of every reversed item, in questionnaire order."""
    pairs = reversed_pairs(meta)
    out: list[tuple[str, str, str]] = []
    items = meta.items
    for question in meta.questions.index:
        key = str(question)
        own = items[items[QUESTION] == key] if len(items) else items
        if not len(own):
            if (key, NONE) in pairs:
                out.append((key, NONE, str(meta.questions.at[question, "text"])))
            continue
        out += [
            (key, str(item), str(text))
            for item, text in zip(own[ITEM], own["text"], strict=True)
            if (key, str(item)) in pairs
        ]
    return out


def reversed_texts(meta: SurveyMeta) -> list[str]:
    """Return the wording of every reversed item, in questionnaire order."""
    return [text for _q, _i, text in reversed_items(meta)]


def with_polarity(table: pd.DataFrame, meta: SurveyMeta) -> pd.DataFrame:
    """Add a ``reversed`` column to an item table (one with question and item columns).

    Tables without items, or that have the column already, are returned unchanged. The
    importance-performance table is judged by its satisfaction question.
    """
    question = next((c for c in (QUESTION, "question_satisfaction") if c in table.columns), None)
    if question is None or ITEM not in table.columns or REVERSED in table.columns:
        return table
    pairs = reversed_pairs(meta)
    keys = zip(table[question].astype(str), table[ITEM].astype(str), strict=True)
    out = table.copy()
    out[REVERSED] = [k in pairs for k in keys]
    return out


def marker(meta: SurveyMeta, question: str, item: str = NONE) -> str:
    """Return " (umgepolt)" for a reversed item, else an empty string."""
    return f" {MARKER}" if is_reversed(meta, question, item) else ""


def footnote(meta: SurveyMeta) -> str:
    """Return the footnote naming every reversed item, or "" when none is reversed."""
    texts = reversed_texts(meta)
    return FOOTNOTE + "; ".join(f"„{t}“" for t in texts) if texts else ""
