"""Online pages of a questionnaire: a section, or a part of it when questions start a new page.

A section is one block on paper and in the analysis, but 16–19 questions on one page are some
6,000 px on a phone. Staff mark questions that start a new page (``Question.page_break``);
:func:`pages_for` cuts each section there and numbers the parts a target group sees. A part
without a question for the group is left out, so every page shown has at least one question.
Page breaks change nothing else: answers are stored by question key, conditions are
evaluated on all answers given so far, whichever page they were given on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from surveys.models import Question, Section, Survey


class QuestionBlock(Protocol):
    """Anything that holds questions in order: a :class:`Section` or a :class:`Page`."""

    @property
    def questions(self) -> Sequence[Question]:
        """The questions in questionnaire order (of every target group)."""
        ...


@dataclass(frozen=True)
class Page:
    """One online page: ``questions`` (of every group) of ``section``, part ``part`` of ``parts``.

    ``part`` and ``parts`` count only the parts shown to the group the page was made for.
    """

    section: Section
    questions: tuple[Question, ...]
    part: int = 1
    parts: int = 1


def section_parts(section: Section) -> list[tuple[Question, ...]]:
    """Cut a section's questions before every question that starts a new page."""
    parts: list[list[Question]] = []
    for question in section.questions:
        if not parts or question.page_break:
            parts.append([])
        parts[-1].append(question)
    return [tuple(part) for part in parts]


def pages_for(survey: Survey, group_key: str) -> list[Page]:
    """Return the online pages of the target group, in order (parts without its questions out)."""
    pages: list[Page] = []
    for section in survey.sections:
        own = [part for part in section_parts(section) if any(q.shown_to(group_key) for q in part)]
        pages += [Page(section, part, number, len(own)) for number, part in enumerate(own, start=1)]
    return pages


def page_number_of(pages: Sequence[Page], question_key: str) -> int | None:
    """Return the 1-based number of the page that holds the question, or ``None``."""
    for number, page in enumerate(pages, start=1):
        if any(q.key == question_key for q in page.questions):
            return number
    return None
