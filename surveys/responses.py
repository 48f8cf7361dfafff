"""Answering a survey: which questions a respondent sees, parsing a page, storing a response."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import make_transient_to_detached

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
from surveys.pages import QuestionBlock
from surveys.question_types import RawInput, spec_for
from surveys.question_types.base import AnswerRow
from surveys.random_codes import hash_token

#: Tables of the Core statements that store a response (the submit is the hot path).
ANSWER_TABLE: Table = Answer.__table__  # type: ignore[assignment]
RECEIPT_TABLE: Table = SubmissionReceipt.__table__  # type: ignore[assignment]
RESPONSE_TABLE: Table = Response.__table__  # type: ignore[assignment]

#: Answers by question key, as produced by :func:`parse_section` (JSON-serialisable).
Answers = dict[str, Any]


class DuplicateSubmission(DomainError):
    """The one-time submission id was used before; nothing was stored."""


def sections_for(survey: Survey, group_key: str) -> list[Section]:
    """Return the sections that have at least one question for the target group."""
    return [s for s in survey.sections if any(q.shown_to(group_key) for q in s.questions)]


def visible_questions(
    section: QuestionBlock, group_key: str, answers: Mapping[str, Any]
) -> list[Question]:
    """Return the questions of a section or page for the group whose conditions hold.

    Conditions on questions of the same page are evaluated on the answers posted with it,
    so that a page works without JavaScript (a condition shown or hidden after "Weiter").
    """
    return [
        q
        for q in section.questions
        if q.shown_to(group_key) and condition_holds(q.condition, answers)
    ]


def parse_section(
    section: QuestionBlock,
    group_key: str,
    raw: RawInput,
    answers: Mapping[str, Any],
    *,
    check_required: bool = True,
) -> tuple[Answers, list[FieldError]]:
    """Parse the posted fields of one page (a section, or a part of one: ``surveys.pages``).

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


def _claim_receipt(session: SessionLike, survey_id: int, token_hash: str, today: date) -> bool:
    """Insert the receipt of a one-time submission id; ``False`` if it was used before.

    One ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` (SQLite and PostgreSQL, the two
    supported databases) both checks and claims the id; a concurrent duplicate waits for the
    first and then finds it taken.
    """
    upsert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    claim = (
        upsert(RECEIPT_TABLE)
        .values(survey_id=survey_id, token_hash=token_hash, received_on=today)
        .on_conflict_do_nothing(index_elements=[RECEIPT_TABLE.c.token_hash])
        .returning(RECEIPT_TABLE.c.id)
    )
    return session.execute(claim).first() is not None


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
    """Store one response and its answers in the current transaction (no commit).

    With ``submission_token``, a receipt (hash only, not linked to the response) makes a
    repeated submission, also a concurrent one, raise :class:`DuplicateSubmission`.
    """
    # Computed before the first write: on SQLite the write lock is held from the first INSERT
    # to the commit, so no Python work belongs in between (see bench/load.py).
    rows = answer_rows(survey, target_group.key, answers)
    if submission_token is not None and not _claim_receipt(
        session, survey.id, hash_token(submission_token), today
    ):
        raise DuplicateSubmission()
    values = {
        "survey_id": survey.id,
        "target_group_id": target_group.id,
        "channel": channel,
        "language": language,
        "submitted_on": today,
    }
    # Core statements, not the unit of work: this is the hot path of every submission.
    response_id = session.execute(
        insert(RESPONSE_TABLE).values(**values).returning(RESPONSE_TABLE.c.id)
    ).scalar_one()
    if rows:
        # One statement for all rows (the ORM's bulk insert would leave out the None columns
        # and so split the rows into one INSERT per shape).
        session.execute(insert(ANSWER_TABLE), [{**row, "response_id": response_id} for row in rows])
    # The stored row as a persistent object without reading it back.
    response = Response(id=response_id, **values)
    make_transient_to_detached(response)
    session.add(response)
    return response
