"""Recognising a questionnaire imported before, and a free slug for a copy of it.

Both imports (JSON and LimeSurvey ``.lss``) ask before they make a copy of a survey that
exists already; nothing is stored to recognise a file, the survey itself is compared.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.designer_lists import slugify_key
from surveys.models import Survey


def same_surveys(session: SessionLike, survey: Survey) -> list[Survey]:
    """Return the other surveys with the title and the question keys of ``survey``.

    That is what importing the same file again gives (only the slug gets a "-2"), so the
    upload asks before it makes such a copy.
    """
    keys = [q.key for q in survey.questions()]
    others = session.scalars(
        select(Survey)
        .where(Survey.title == survey.title, Survey.id != survey.id)
        .order_by(Survey.id)
    )
    return [other for other in others if [q.key for q in other.questions()] == keys]


def free_slug(session: SessionLike, wanted: str, fallback: str = "import") -> str:
    """``wanted`` as a slug (lower case, hyphens), with "-2", "-3" … while it is taken."""
    base = (
        re.sub(r"[^a-z0-9]+", "-", slugify_key(wanted, fallback).replace("_", "-")).strip("-")[:70]
        or fallback
    )
    slug, n = base, 2
    while session.scalar(select(Survey.id).where(Survey.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug
