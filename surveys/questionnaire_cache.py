"""A per-process cache of loaded questionnaires for the citizen pages.

Every citizen request needs the whole questionnaire of its survey (sections, questions,
options, items, target groups). Loading it costs about half of a final submit (see
``bench/load.py``), although a questionnaire hardly ever changes while people answer it.

The cache keeps, per slug, a survey graph loaded in a session of its own and then detached,
so that it belongs to no request and is only read. Each lookup first asks the database for
the survey's ``updated_at`` (one indexed row): the questionnaire model moves that timestamp
whenever the survey or any of its parts changes (``surveys.models.survey``), so a changed,
closed or deleted survey is reloaded or dropped on the very next request in every process.

The fingerprint is read *before* the graph is loaded: if a change commits in between, the
cached graph is newer than its fingerprint and the next lookup reloads it, never the
reverse. Callers must treat the returned objects as read-only and must not attach them to a
session (use ids, as the domain functions do).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.db import SessionLike
from surveys.models import Survey
from surveys.queries import survey_for_answering

#: How many questionnaires one process keeps (open surveys at the same time, with room).
MAX_ENTRIES = 32


def _detach_loaded(survey: Survey) -> None:
    """Resolve every relationship the citizen pages read, while still attached.

    Many-to-one relationships (``question.section`` and the like) come from the identity
    map without a query; once detached they could not be loaded any more.
    """
    survey.baseline  # noqa: B018 - loaded on purpose
    for group in survey.target_groups:
        group.key  # noqa: B018
    for section in survey.sections:
        section.survey  # noqa: B018
        section.handlungsfeld  # noqa: B018
        for question in section.questions:
            question.section  # noqa: B018
            question.survey  # noqa: B018
            for option in question.options:
                option.question  # noqa: B018
            for item in question.items:
                item.question  # noqa: B018


class QuestionnaireCache:
    """Loaded, detached questionnaires by slug, checked against ``Survey.updated_at``."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[int, datetime, Survey]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.loads = 0

    def clear(self) -> None:
        """Forget every cached questionnaire."""
        with self._lock:
            self._entries.clear()

    def get(self, session: SessionLike, slug: str) -> Survey | None:
        """Return the questionnaire of ``slug`` (detached, read-only), or ``None``."""
        current = session.execute(
            select(Survey.id, Survey.updated_at).where(Survey.slug == slug)
        ).one_or_none()
        if current is None:
            with self._lock:
                self._entries.pop(slug, None)
            return None
        cached = self._entries.get(slug)
        if cached is not None and cached[:2] == (current.id, current.updated_at):
            with self._lock:
                self.hits += 1
                if slug in self._entries:
                    self._entries.move_to_end(slug)
            return cached[2]
        survey = self._load(session, slug)
        if survey is None:
            return None
        with self._lock:
            self.loads += 1
            self._entries[slug] = (current.id, current.updated_at, survey)
            self._entries.move_to_end(slug)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return survey

    @staticmethod
    def _load(session: SessionLike, slug: str) -> Survey | None:
        """Load the questionnaire in a session of its own and detach it.

        Closing the session expunges the objects without expiring them (a rollback would
        expire them), so every loaded attribute stays readable.
        """
        with Session(bind=session.get_bind()) as own:
            survey = survey_for_answering(own, slug)
            if survey is not None:
                _detach_loaded(survey)
        return survey
