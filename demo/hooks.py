"""Extension points of the demo: what an extra seeder receives and must look like.

Kept apart from :mod:`demo` so that a seeder module (e.g. the workshop's 2019
goal agreement) can import these types without an import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from surveys.db import SessionLike
from surveys.models import Survey


@dataclass(frozen=True)
class DemoContext:
    """What an extra seeder gets: both demo surveys and the seed of this run."""

    baseline: Survey
    current: Survey
    seed: int
    #: Whether the surveys were created in this run (``False`` on a repeated run).
    created: bool


#: An extra demo seeder. It runs on every ``seed_demo`` call, so it must be idempotent
#: (recognise its own data and do nothing the second time), flush but never commit, and
#: may return a short German sentence for the summary line.
Seeder = Callable[[SessionLike, DemoContext], str | None]
