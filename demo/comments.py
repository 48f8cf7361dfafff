"""Compose synthetic German free-text comments from the phrase pools.

A comment picks up what the respondent rated worst (a complaint) or best (praise) in
the same Handlungsfeld, often adds a wish, and now and then carries a spelling slip,
so that word clouds and comment lists in the analysis look like real survey data.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from demo.phrases import (
    CHANGE_MARKERS,
    CLOSERS,
    ITEM_PHRASES,
    OPENERS,
    OTHER_TEXTS,
    SLIPS,
    WISHES,
)

SLIP_RATE = 0.12
LOWERCASE_RATE = 0.05


def compose_comment(
    rng: random.Random,
    field: str,
    group: str,
    ratings: Mapping[str, Any],
    current: bool = True,
) -> str:
    """Return a comment on ``field`` for a respondent of ``group``.

    ``ratings`` maps item keys of the field's satisfaction matrix to the points given
    (``"dk"`` and missing items are ignored). In the baseline year (``current=False``)
    praise that speaks of a change ("neu", "besser geworden", ...) is not used.
    """
    rated = [(key, value) for key, value in ratings.items() if isinstance(value, int)]
    rated = [(key, value) for key, value in rated if key in ITEM_PHRASES]
    rng.shuffle(rated)  # random tie-break among equal ratings
    parts: list[str] = []
    if rated:
        worst_key, worst = min(rated, key=lambda pair: pair[1])
        best_key, best = max(rated, key=lambda pair: pair[1])
        if worst <= 3:
            parts.append(rng.choice(ITEM_PHRASES[worst_key][0]))
        if best >= 4 and (not parts or rng.random() < 0.35):
            parts.append(rng.choice(_praise(best_key, current)))
    if not parts or rng.random() < 0.45:
        parts.append(rng.choice(WISHES[field]))
    text = rng.choice(OPENERS[group]) + " ".join(parts) + rng.choice(CLOSERS)
    return vary(rng, text)


def _praise(item_key: str, current: bool) -> tuple[str, ...]:
    """Return the praise phrases of an item that fit the survey year."""
    phrases = ITEM_PHRASES[item_key][1]
    if current:
        return phrases
    timeless = tuple(p for p in phrases if not any(m in p.lower() for m in CHANGE_MARKERS))
    return timeless or phrases


def other_text(rng: random.Random, question_key: str) -> str:
    """Return a "Sonstiges" answer for a multiple-choice question."""
    return vary(rng, rng.choice(OTHER_TEXTS.get(question_key, ("anderes",))))


def vary(rng: random.Random, text: str) -> str:
    """Occasionally add a typical slip (umlauts typed as ae/oe/ue, das/dass, ...)."""
    if rng.random() < SLIP_RATE:
        candidates = [(right, wrong) for right, wrong in SLIPS if right in text]
        if candidates:
            right, wrong = rng.choice(candidates)
            # Someone without umlauts on the keyboard replaces all of them.
            count = -1 if len(right) == 1 else 1
            text = text.replace(right, wrong, count)
    if rng.random() < LOWERCASE_RATE:
        text = text.lower()
    return text
