"""Answering a survey: which questions a respondent sees, parsing a page, storing a response."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Table, insert, select

from surveys.codes import hash_token
from surveys.conditions import condition_holds
from surveys.db import SessionLike
from surveys.errors import DomainError, FieldError
from surveys.models import (
    Answer,
    Channel,
    Question,
    Response,
    Section,
    SubmissionReceipt,
    Survey,
    TargetGroup,
)
from surveys.question_types import RawInput, spec_for
from surveys.question_types.base import AnswerRow

#: The ``answer`` table, for Core inserts of whole responses.
ANSWER_TABLE: Table = Answer.__table__  # type: ignore[assignment]

#: Answers by question key, as produced by :func:`parse_section` (JSON-serialisable).
Answers = dict[str, Any]


class DuplicateSubmission(DomainError):
    """The one-time submission id was used before; nothing was stored."""


def sections_for(survey: Survey, group_key: str) -> list[Section]:
    """Return the sections that have at least one question for the target group."""
    return [s for s in survey.sections if any(q.shown_to(group_key) for q in s.questions)]


def visible_questions(
    section: Section, group_key: str, answers: Mapping[str, Any]
) -> list[Question]:
    """Return the section's questions for the group whose conditions hold.

    Conditions on questions of the same page are evaluated on the answers posted with it,
    so that a page works without JavaScript (a condition shown or hidden after "Weiter").
    """
    return [
        q
        for q in section.questions
        if q.shown_to(group_key) and condition_holds(q.condition, answers)
    ]


def parse_section(
    section: Section,
    group_key: str,
    raw: RawInput,
    answers: Mapping[str, Any],
    *,
    check_required: bool = True,
) -> tuple[Answers, list[FieldError]]:
    """Parse the posted fields of one page.

    Returns the page's answers (by key, unanswered ones left out) and every error,
    required questions included unless ``check_required`` is false (going back or saving
    a draft keeps an incomplete page). ``answers`` are those of earlier pages.
    """
    values: Answers = {}
    errors: list[FieldError] = []
    for question in section.questions:
        if not question.shown_to(group_key):
            continue
        # A condition may depend on an answer on this same page.
        if not condition_holds(question.condition, {**answers, **values}):
            continue
        spec = spec_for(question.type)
        value, field_errors = spec.parse(question, raw)
        errors += field_errors
        if not field_errors and question.required and check_required:
            errors += spec.required_errors(question, value)
        if value is not None and not spec.is_empty(value):
            values[question.key] = value
    return values, errors


def effective_answers(survey: Survey, group_key: str, answers: Mapping[str, Any]) -> Answers:
    """Drop answers of questions that are hidden for the group or by a condition."""
    kept: Answers = {}
    for section in survey.sections:
        for question in section.questions:
            if (
                question.key in answers
                and question.shown_to(group_key)
                and condition_holds(question.condition, kept)
            ):
                kept[question.key] = answers[question.key]
    return kept


def missing_required(survey: Survey, group_key: str, answers: Mapping[str, Any]) -> list[Question]:
    """Return required visible questions that are not (fully) answered."""
    kept = effective_answers(survey, group_key, answers)
    missing = []
    for question in survey.questions():
        if not question.required or not question.shown_to(group_key):
            continue
        if not condition_holds(question.condition, kept):
            continue
        if spec_for(question.type).required_errors(question, kept.get(question.key)):
            missing.append(question)
    return missing


def answer_rows(survey: Survey, group_key: str, answers: Mapping[str, Any]) -> list[AnswerRow]:
    """Turn answers into rows of the ``answer`` table (without ``response_id``)."""
    kept = effective_answers(survey, group_key, answers)
    rows: list[AnswerRow] = []
    for question in survey.questions():
        if question.key in kept:
            rows += spec_for(question.type).to_rows(question, kept[question.key])
    return rows


def store_response(
    session: SessionLike,
    survey: Survey,
    target_group: TargetGroup,
    answers: Mapping[str, Any],
    *,
    today: date,
    channel: Channel = Channel.ONLINE,
    language: str = "de",
    submission_token: str | None = None,
) -> Response:
    """Store one response and its answers in the current transaction (flush, no commit).

    With ``submission_token``, a receipt (hash only, not linked to the response) makes a
    repeated submission raise :class:`DuplicateSubmission`. A concurrent duplicate surfaces
    as an ``IntegrityError`` on flush; callers treat both alike.
    """
    # Computed before the first write: on SQLite the write lock is held from the first INSERT
    # to the commit, so no Python work belongs in between (see bench/load.py).
    rows = answer_rows(survey, target_group.key, answers)
    if submission_token is not None:
        token_hash = hash_token(submission_token)
        seen = session.scalar(
            select(SubmissionReceipt.id).where(SubmissionReceipt.token_hash == token_hash)
        )
        if seen is not None:
            raise DuplicateSubmission()
        session.add(
            SubmissionReceipt(survey_id=survey.id, token_hash=token_hash, received_on=today)
        )
    response = Response(
        survey_id=survey.id,
        target_group_id=target_group.id,
        channel=channel,
        language=language,
        submitted_on=today,
    )
    session.add(response)
    session.flush()
    if rows:
        # A Core insert on the table: one statement for all rows. The ORM's bulk insert
        # would leave out the None columns and so split the rows into one INSERT per shape.
        session.execute(insert(ANSWER_TABLE), [{**row, "response_id": response.id} for row in rows])
    return response
