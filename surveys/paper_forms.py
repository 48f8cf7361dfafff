"""Typed-in paper forms afterwards: a neutral list, their stored answers, correcting, deleting.

Only responses of channel ``paper`` are reachable here; online answers are never changed.
A form is named by a keyed reference (an HMAC of its id under a key derived from the
application's secret), never by its database id: ids grow with the order of entry, and the
list is sorted by target group and then by that reference, so neither the page nor its links
tell which form was typed in when. The running number of the list is not stored; like the
running number of the raw export, it only points at a row of the page.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select

from surveys.audit import Action, record
from surveys.db import SessionLike
from surveys.errors import Conflict
from surveys.i18n import N_
from surveys.models import Answer, Channel, Response, Survey, User, utcnow
from surveys.question_types import spec_for
from surveys.responses import ANSWER_TABLE, answer_rows

_REF_CONTEXT = b"familienkompass paper form reference v1"
#: Hex digits of a reference: 64 bits, no collision among a survey's paper forms in practice.
REF_LENGTH = 16


def ref_key(secret: str | bytes) -> bytes:
    """Derive the key of paper form references from the application's secret (never stored)."""
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, _REF_CONTEXT, hashlib.sha256).digest()


def form_ref(key: bytes, response_id: int) -> str:
    """Return the reference of a paper form in links: opaque, stable, unordered."""
    return hmac.new(key, str(response_id).encode(), hashlib.sha256).hexdigest()[:REF_LENGTH]


@dataclass(frozen=True)
class PaperForm:
    """One row of the list of typed-in forms: what staff see, nothing about entry order."""

    number: int
    ref: str
    group_key: str
    group_label: str
    answered: int
    asked: int
    response_id: int


def paper_forms(session: SessionLike, survey: Survey, key: bytes) -> list[PaperForm]:
    """Return the survey's paper forms by target group (survey order), then by reference.

    ``answered`` counts the questions with at least one stored answer, ``asked`` the
    questions on the group's sheet. One grouped query, however many forms there are.
    """
    rows = session.execute(
        select(Response.id, Response.target_group_id, func.count(func.distinct(Answer.question_id)))
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(Response.survey_id == survey.id, Response.channel == Channel.PAPER)
        .group_by(Response.id, Response.target_group_id)
    ).all()
    groups = {g.id: (position, g) for position, g in enumerate(survey.target_groups)}
    questions = survey.questions()
    asked = {g.id: sum(1 for q in questions if q.shown_to(g.key)) for g in survey.target_groups}
    keyed = sorted(
        (groups.get(group_id, (len(groups), None))[0], form_ref(key, rid), rid, group_id, count)
        for rid, group_id, count in rows
    )
    forms = []
    for number, (_, ref, rid, group_id, count) in enumerate(keyed, start=1):
        group = groups[group_id][1] if group_id in groups else None
        forms.append(
            PaperForm(
                number=number,
                ref=ref,
                group_key=group.key if group else "",
                group_label=group.label if group else "",
                answered=int(count),
                asked=asked.get(group_id, 0),
                response_id=rid,
            )
        )
    return forms


def find_paper_form(
    session: SessionLike, survey: Survey, key: bytes, ref: str
) -> tuple[PaperForm, Response] | None:
    """Return the list row and the stored response of reference ``ref``, or ``None``."""
    if len(ref) != REF_LENGTH:
        return None
    form = next(
        (f for f in paper_forms(session, survey, key) if hmac.compare_digest(f.ref, ref)), None
    )
    if form is None:
        return None
    response = session.get(Response, form.response_id)
    if response is None or response.channel != Channel.PAPER:
        return None
    return form, response


def stored_answers(session: SessionLike, survey: Survey, response: Response) -> dict[str, Any]:
    """Return the response's answers by question key, in the shape the entry form takes."""
    rows = session.scalars(select(Answer).where(Answer.response_id == response.id)).all()
    by_question: dict[int, list[Answer]] = {}
    for row in rows:
        by_question.setdefault(row.question_id, []).append(row)
    values: dict[str, Any] = {}
    for question in survey.questions():
        if question.id in by_question:
            value = spec_for(question.type).from_rows(question, by_question[question.id])
            if value is not None:
                values[question.key] = value
    return values


def _paper_only(response: Response) -> None:
    if response.channel != Channel.PAPER:
        raise Conflict(N_("Nur erfasste Papierbögen können geändert oder gelöscht werden."))


def correct_paper_form(
    session: SessionLike,
    survey: Survey,
    response: Response,
    answers: Mapping[str, Any],
    actor: User | None,
) -> None:
    """Replace the stored answers of a paper form (flush, no commit) and audit it.

    The response keeps its id, target group and day; only its answer rows are written anew.
    The audit entry names the survey, never the form or an answer: with its minute it would
    tell when that form was typed in (a correction usually follows the typing).
    """
    _paper_only(response)
    rows = answer_rows(survey, response.target_group.key, answers)
    session.execute(delete(Answer).where(Answer.response_id == response.id))
    if rows:
        session.execute(insert(ANSWER_TABLE), [{**row, "response_id": response.id} for row in rows])
    survey.updated_at = utcnow()  # tells every process's analysis cache (data_version)
    record(session, actor, Action.PAPER_CHANGE, survey=survey)


def delete_paper_form(
    session: SessionLike, survey: Survey, response: Response, actor: User | None
) -> None:
    """Delete a paper form and its answers (flush, no commit) and audit it, without content.

    A code the form was typed in with stays used, and a batch it was counted for stays
    counted: nothing links the form to either, by design (``docs/privacy.md``).
    """
    _paper_only(response)
    session.execute(delete(Answer).where(Answer.response_id == response.id))
    session.execute(delete(Response).where(Response.id == response.id))
    session.expunge(response)
    survey.updated_at = utcnow()
    record(session, actor, Action.PAPER_DELETE, survey=survey)
