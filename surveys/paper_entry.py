"""Typing in returned paper questionnaires (channel ``paper``) with the online validation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from surveys.conditions import condition_holds
from surveys.db import SessionLike
from surveys.errors import FieldError
from surveys.models import Channel, Question, Response, Section, Survey, SurveyStatus, TargetGroup
from surveys.question_types import RawInput, spec_for
from surveys.responses import sections_for, store_response

#: Above this many columns (scale points and "weiß nicht"), the printed sheet and the entry
#: form that mirrors it number the matrix headers and explain them in a key: longer labels
#: no longer fit side by side on A4.
MAX_LABELLED_COLUMNS = 6


def accepts_paper(survey: Survey) -> bool:
    """Paper forms can be entered while the survey is open and after it closed."""
    return survey.status in (SurveyStatus.OPEN, SurveyStatus.CLOSED)


@dataclass(frozen=True)
class SheetBlock:
    """One section of a group's paper sheet with its questions and their printed numbers."""

    section: Section
    questions: list[tuple[int, Question]]


def sheet_layout(survey: Survey, group_key: str) -> list[SheetBlock]:
    """Return the blocks of the group's paper sheet (``/s/<slug>/druck?gruppe=``) in order.

    The sheet shows the sections that have questions for the group, each with the group's
    questions, conditional ones included; they are numbered 1, 2, 3 … through the whole
    sheet. The entry form follows this, so staff can type from the sheet question by
    question, and the printed sheet can number its questions from it.
    """
    blocks: list[SheetBlock] = []
    number = 0
    for section in sections_for(survey, group_key):
        numbered = []
        for question in section.questions:
            if question.shown_to(group_key):
                number += 1
                numbered.append((number, question))
        blocks.append(SheetBlock(section, numbered))
    return blocks


def parse_paper_form(
    survey: Survey, group_key: str, raw: RawInput
) -> tuple[dict[str, Any], list[FieldError]]:
    """Parse one whole paper form, section by section, in questionnaire order.

    Values are checked exactly as online (options, ranges, ranks). Required questions are
    not enforced: a question left blank on paper is entered as blank, never invented.
    Answers to questions whose condition does not hold are dropped, as online.
    """
    answers: dict[str, Any] = {}
    errors: list[FieldError] = []
    for section in sections_for(survey, group_key):
        for question in section.questions:
            if not question.shown_to(group_key):
                continue
            if not condition_holds(question.condition, answers):
                continue
            spec = spec_for(question.type)
            value, field_errors = spec.parse(question, raw)  # the one place answers are checked
            errors += field_errors
            if value is not None and not spec.is_empty(value):
                answers[question.key] = value
    return answers, errors


def store_paper_form(
    session: SessionLike,
    survey: Survey,
    group: TargetGroup,
    answers: dict[str, Any],
    *,
    today: date,
    submission_token: str,
) -> Response:
    """Store one paper form (flush, no commit); a repeated token raises ``DuplicateSubmission``."""
    return store_response(
        session,
        survey,
        group,
        answers,
        today=today,
        channel=Channel.PAPER,
        submission_token=submission_token,
    )


def paper_count(session: SessionLike, survey: Survey) -> int:
    """Return how many paper forms of the survey were entered."""
    count = session.scalar(
        select(func.count(Response.id)).where(
            Response.survey_id == survey.id, Response.channel == Channel.PAPER
        )
    )
    return int(count or 0)
