"""Server-side drafts of a questionnaire being answered, resumable with a random code.

A draft is found only through the hash of its code (the person's form-session id, which is
also the resume code shown by "Später weitermachen"). It holds the answers given so far, the
target group and the furthest page reached; nothing about the person or their device. Every
change moves the expiry ``ttl`` into the future; :func:`purge_expired` deletes old drafts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from surveys.db import SessionLike
from surveys.models import Draft, Survey, TargetGroup
from surveys.pages import QuestionBlock
from surveys.random_codes import RESUME_CODE_LENGTH, generate_code, hash_code, new_submission_token

#: Keys inside ``Draft.data``.
ANSWERS = "answers"
#: Input that did not parse (e.g. "zwei" in a number field), kept as typed by "Zurück" and
#: "Später weitermachen" so that the page shows it again; by question key, in the shape of
#: :func:`surveys.redisplay.redisplay_value`. Never part of a response.
TYPED = "typed"
SUBMISSION_TOKEN = "submission_token"  # noqa: S105 - a field name, not a secret


def expiry(now: datetime, ttl: timedelta) -> datetime:
    """Return the end of the UTC day ``ttl`` after ``now``.

    Rounded to whole days so that a draft does not record the time of its last change.
    """
    end = now.astimezone(UTC) + ttl
    midnight = end.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight if midnight == end else midnight + timedelta(days=1)


def new_draft_code() -> str:
    """Return a fresh random resume code (140 bits, grouped for reading aloud)."""
    return generate_code(RESUME_CODE_LENGTH)


def load_draft(session: SessionLike, survey: Survey, code: str, now: datetime) -> Draft | None:
    """Return the unexpired draft of ``survey`` saved under ``code``, or ``None``."""
    if not code:
        return None
    return session.scalar(
        select(Draft).where(
            Draft.survey_id == survey.id,
            Draft.code_hash == hash_code(code),
            Draft.expires_at > now,
        )
    )


def draft_answers(draft: Draft | None) -> dict[str, Any]:
    """Return a copy of the answers stored in ``draft`` (empty without a draft)."""
    if draft is None:
        return {}
    return dict((draft.data or {}).get(ANSWERS) or {})


def draft_typed(draft: Draft | None) -> dict[str, Any]:
    """Return the input kept as typed in ``draft`` that is not a valid answer yet."""
    if draft is None:
        return {}
    return dict((draft.data or {}).get(TYPED) or {})


def merge_page(
    answers: Mapping[str, Any], section: QuestionBlock, page_values: Mapping[str, Any]
) -> dict[str, Any]:
    """Replace the answers of the page's questions (a section or a part) by ``page_values``.

    A question of the page that is now unanswered (or hidden by a condition) loses its old
    answer; answers of other pages stay untouched.
    """
    own = {q.key for q in section.questions}
    merged = {k: v for k, v in answers.items() if k not in own}
    merged.update(page_values)
    return merged


def save_draft(
    session: SessionLike,
    survey: Survey,
    code: str,
    target_group: TargetGroup,
    answers: Mapping[str, Any],
    *,
    step: int,
    now: datetime,
    ttl: timedelta,
    typed: Mapping[str, Any] | None = None,
) -> Draft:
    """Create or update the draft under ``code`` (flush, no commit) and renew its expiry.

    ``step`` is the furthest page reached; it never goes back. ``typed`` replaces the input
    kept as typed (see :data:`TYPED`); without it none is kept.
    """
    draft = session.scalar(
        select(Draft).where(Draft.survey_id == survey.id, Draft.code_hash == hash_code(code))
    )
    if draft is None:
        draft = Draft(
            survey_id=survey.id,
            code_hash=hash_code(code),
            step=0,
            data={},
            expires_at=expiry(now, ttl),
        )
        session.add(draft)
    elif draft.expires_at <= now:  # an expired draft is not revived with its old answers
        draft.data = {}
        draft.step = 0
    data = dict(draft.data or {})
    data[ANSWERS] = dict(answers)
    if typed:
        data[TYPED] = dict(typed)
    else:
        data.pop(TYPED, None)
    draft.data = data  # a new dict, so the JSON column is marked as changed
    draft.target_group_id = target_group.id
    draft.step = max(draft.step or 0, step)
    draft.expires_at = expiry(now, ttl)
    session.flush()
    return draft


def submission_token(session: SessionLike, draft: Draft) -> str:
    """Return the draft's one-time submission id, creating it on first use (flush)."""
    data = dict(draft.data or {})
    token = data.get(SUBMISSION_TOKEN)
    if not isinstance(token, str) or not token:
        token = new_submission_token()
        data[SUBMISSION_TOKEN] = token
        draft.data = data
        session.flush()
    return token


def delete_draft(session: SessionLike, draft: Draft) -> None:
    """Delete a draft, e.g. in the transaction that stores its response.

    One Core ``DELETE`` (the ORM's unit of work costs more than the statement on the
    submit path); the object leaves the session.
    """
    session.execute(delete(Draft).where(Draft.id == draft.id))
    session.expunge(draft)


def purge_expired(session: SessionLike, now: datetime) -> int:
    """Delete every draft that expired before ``now``; return how many (flush, no commit)."""
    result = session.execute(
        delete(Draft).where(Draft.expires_at <= now).execution_options(synchronize_session=False)
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
