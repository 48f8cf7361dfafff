"""Answering a questionnaire, as one domain use case: a page at a time, then the submission.

The citizen views only parse the request, call :func:`answer_page` or :func:`submit`, commit
and turn the returned outcome into a page or a redirect. Everything in between – which
answers a page posts, which errors count, what is kept as typed, where the person goes next,
the draft and the one-time stored response – is decided here, without Flask.

Rules of a page post (``action``):

* ``weiter`` checks the page, required questions included. A conditional question that only
  appeared through an answer on this page (no JavaScript) has not been seen yet: it gets no
  error, the page is saved and shown again with it (outcome ``revealed``).
* ``zurueck`` and ``speichern`` never refuse: valid answers are saved, invalid input is kept
  as typed in the draft (shown again, checked at the next "Weiter" and before submitting).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from surveys.access_codes import redeem_access_code
from surveys.db import SessionLike
from surveys.drafts import (
    delete_draft,
    draft_answers,
    draft_typed,
    merge_page,
    save_draft,
    submission_token,
)
from surveys.errors import FieldError, ValidationError
from surveys.models import (
    AccessMode,
    Draft,
    Question,
    SubmissionReceipt,
    Survey,
    TargetGroup,
)
from surveys.pages import Page, pages_for
from surveys.question_types import field_name
from surveys.question_types.base import RawInput
from surveys.random_codes import hash_token
from surveys.redisplay import page_values, redisplay_values
from surveys.responses import (
    DuplicateSubmission,
    effective_answers,
    missing_required,
    parse_section,
    store_response,
    visible_questions,
)

#: The buttons of a question page.
ACTIONS = ("weiter", "zurueck", "speichern")


def owner_of(questions: Iterable[Question], input_name: str) -> Question | None:
    """Return the question whose input ``input_name`` is (``q-<key>`` or ``q-<key>-<part>``)."""
    best: Question | None = None
    for question in questions:
        name = field_name(question)
        # Longest match wins; keys use "_" and never "-", so this is unambiguous.
        matches = input_name == name or input_name.startswith(name + "-")
        if matches and (best is None or len(name) > len(field_name(best))):
            best = question
    return best


def invalid_keys(questions: Iterable[Question], errors: Iterable[FieldError]) -> set[str]:
    """Return the keys of questions that have at least one error."""
    ordered = list(questions)
    keys: set[str] = set()
    for error in errors:
        owner = owner_of(ordered, error.field)
        if owner is not None:
            keys.add(owner.key)
    return keys


def next_step(
    pages: Sequence[Page], group_key: str, step: int, answers: Mapping[str, Any], direction: int
) -> int | None:
    """Return the next page in ``direction`` (+1/-1) that has a visible question.

    Pages whose questions are all hidden by conditions are skipped; ``None`` means past the
    end (forward: the check page) or before the start (backward: the landing page).
    """
    index = step - 1 + direction
    while 0 <= index < len(pages):
        if visible_questions(pages[index], group_key, answers):
            return index + 1
        index += direction
    return None


class PageResult(StrEnum):
    """What follows a page post."""

    INVALID = "invalid"  # "Weiter" with errors: the page again, with messages; nothing saved
    REVEALED = "revealed"  # saved; new questions appeared on the page: the page again
    SAVED = "saved"  # "Später weitermachen": saved, show the resume code
    BACK = "back"  # saved; to page ``step`` (``None``: the landing page)
    FORWARD = "forward"  # saved; to page ``step`` (``None``: the check page)


@dataclass
class PageOutcome:
    """The result of :func:`answer_page`: where to go, and what the page shows if shown again.

    ``values`` are this page's values (parsed, or as typed where invalid), ``earlier`` the
    answers of the other pages (for conditions decided there).
    """

    result: PageResult
    step: int | None
    values: dict[str, Any] = field(default_factory=dict)
    earlier: dict[str, Any] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)


def page_answers(page: Page, draft: Draft | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return what a page shows on GET: its own values (what was typed but is not valid yet
    comes back as typed; its error only after "Weiter") and the answers of other pages."""
    answers = draft_answers(draft)
    own = {q.key for q in page.questions}
    mine = {k: v for k, v in {**answers, **draft_typed(draft)}.items() if k in own}
    return mine, {k: v for k, v in answers.items() if k not in own}


def answer_page(
    session: SessionLike,
    survey: Survey,
    group: TargetGroup,
    step: int,
    raw: RawInput,
    *,
    action: str,
    shown: Iterable[str],
    draft: Draft | None,
    code: Callable[[], str],
    now: datetime,
    ttl: timedelta,
    language: str,
) -> PageOutcome:
    """Check and save the post of page ``step`` (1-based) of ``group``; flush, no commit.

    ``shown`` are the keys of the questions the page showed (its hidden ``angezeigt`` field),
    ``code`` returns the draft's code (= resume code), created on first save.
    """
    action = action if action in ACTIONS else "weiter"
    pages = pages_for(survey, group.key)
    current = pages[step - 1]
    answers = draft_answers(draft)
    typed = draft_typed(draft)
    own_page = {q.key for q in current.questions}
    earlier = {k: v for k, v in answers.items() if k not in own_page}
    own = [q for q in current.questions if q.shown_to(group.key)]
    forward = action == "weiter"

    values, errors = parse_section(current, group.key, raw, earlier, check_required=forward)
    now_visible = {
        q.key
        for q in visible_questions(current, group.key, {**earlier, **values})
        if q.condition  # only conditional questions can appear after the page was shown
    }
    newly_visible = now_visible - set(shown) if forward else set()
    errors = [e for e in errors if not (invalid_keys(own, [e]) & newly_visible)]
    page_typed: dict[str, Any] = {}
    if errors and not forward:
        # Going back or saving keeps the page as typed, valid or not; only "Weiter" checks.
        bad = invalid_keys(own, errors)
        page_typed = redisplay_values([q for q in own if q.key in bad], raw)
        values = {k: v for k, v in values.items() if k not in bad}
        errors = []
    if errors:
        shown_values = page_values(own, values, raw, invalid_keys(own, errors))
        return PageOutcome(PageResult.INVALID, step, shown_values, earlier, errors)

    merged = merge_page(answers, current, values)
    following = next_step(pages, group.key, step, merged, +1) if forward else None
    reached = (following or len(pages) + 1) if forward else step
    saved = save_draft(
        session,
        survey,
        code(),
        group,
        merged,
        step=reached,
        now=now,
        ttl=ttl,
        typed=merge_page(typed, current, page_typed),
    )
    saved.language = language  # resuming on another device keeps the language
    if newly_visible:
        return PageOutcome(PageResult.REVEALED, step, values, earlier)
    if action == "speichern":
        return PageOutcome(PageResult.SAVED, step)
    if action == "zurueck":
        return PageOutcome(PageResult.BACK, next_step(pages, group.key, step, merged, -1))
    return PageOutcome(PageResult.FORWARD, following)


def pending_input(
    survey: Survey, group_key: str, answers: Mapping[str, Any], typed: Mapping[str, Any]
) -> list[tuple[Question, int]]:
    """Return the visible questions whose input was kept as typed but is not valid, with
    their page: "Zurück" and "Später weitermachen" keep it, only "Weiter" checks it."""
    kept = effective_answers(survey, group_key, answers)
    pending = []
    for number, page in enumerate(pages_for(survey, group_key), start=1):
        for question in visible_questions(page, group_key, kept):
            if question.key in typed:
                pending.append((question, number))
    return pending


def ready_to_submit(survey: Survey, group_key: str, draft: Draft) -> bool:
    """Return whether every required question is answered and no input waits as typed."""
    answers = draft_answers(draft)
    return not missing_required(survey, group_key, answers) and not pending_input(
        survey, group_key, answers, draft_typed(draft)
    )


def already_received(session: SessionLike, token: str) -> bool:
    """Return whether a submission with this one-time id was stored before."""
    if not token:
        return False
    found = session.scalar(
        select(SubmissionReceipt.id).where(SubmissionReceipt.token_hash == hash_token(token))
    )
    return found is not None


class SubmitResult(StrEnum):
    """What follows "Antworten absenden"."""

    STORED = "stored"  # stored now: commit, then the thank-you page
    RECEIVED_BEFORE = "received_before"  # a repeated click: the thank-you page, nothing new
    LOST = "lost"  # no draft and no receipt: most likely the session expired
    STALE = "stale"  # an old check page (its one-time id is not the draft's): send again
    INCOMPLETE = "incomplete"  # required answers missing or input waiting: the check page
    CODE_SPENT = "code_spent"  # the access code was used meanwhile: ask for another


def submit(
    session: SessionLike,
    survey: Survey,
    group: TargetGroup,
    draft: Draft | None,
    token: str,
    *,
    access_code: str,
    code_mark_key: bytes,
    today: date,
    language: str,
) -> SubmitResult:
    """Store the draft's answers once as a response and delete the draft (no commit).

    The draft goes in the same transaction as the response, and the one-time ``token``
    (the check page's hidden ``submission_id``) leaves a receipt, so a repeated or
    concurrent click stores nothing twice. On any refusal the transaction is rolled back.
    """
    if draft is None:
        return (
            SubmitResult.RECEIVED_BEFORE if already_received(session, token) else SubmitResult.LOST
        )
    if token != submission_token(session, draft):
        return SubmitResult.STALE
    if not ready_to_submit(survey, group.key, draft):
        return SubmitResult.INCOMPLETE
    try:
        if survey.access_mode == AccessMode.CODE:
            redeem_access_code(session, survey, access_code, code_mark_key)
        store_response(
            session,
            survey,
            group,
            draft_answers(draft),
            today=today,
            language=language,
            submission_token=token,
        )
        delete_draft(session, draft)
        session.flush()
    except (DuplicateSubmission, IntegrityError, ValidationError) as error:
        session.rollback()
        if already_received(session, token):
            return SubmitResult.RECEIVED_BEFORE
        if isinstance(error, ValidationError):
            return SubmitResult.CODE_SPENT
        raise
    return SubmitResult.STORED
