"""Live prioritisation: participants distribute a points budget over a field's measures.

A vote set is anonymous: it holds the points and the SHA-256 hash of a random token that the
participant's browser keeps in a cookie, so one device session has one vote set (voting again
replaces it). No IP address, user agent or time of voting is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import (
    GoalAgreement,
    Handlungsfeld,
    Measure,
    Vote,
    VoteSession,
    VoteSet,
    VoteState,
    utcnow,
)

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 6
BUDGET_MIN, BUDGET_MAX = 1, 100


def new_token() -> str:
    """Return a random device token for the participant's cookie."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Return the hex SHA-256 of a device token (only the hash is stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_code(code: str) -> str:
    """Upper-case a typed code and map look-alike characters."""
    return code.strip().upper().replace("0", "O").replace("1", "I")


def vote_by_code(session: SessionLike, code: str) -> VoteSession | None:
    """Return the prioritisation session with the public ``code``."""
    return session.scalar(select(VoteSession).where(VoteSession.code == normalise_code(code)))


def start_vote(
    session: SessionLike,
    agreement: GoalAgreement,
    field: Handlungsfeld,
    budget: str | int,
    hide_results: bool = False,
) -> VoteSession:
    """Open a prioritisation of ``field``'s measures in the newest version; with
    ``hide_results`` the screen shows only the number of ballots until the vote ends."""
    try:
        points = int(str(budget).strip())
    except ValueError:
        points = 0
    if not BUDGET_MIN <= points <= BUDGET_MAX:
        raise ValidationError.single(
            "budget",
            N_("Bitte geben Sie eine ganze Zahl zwischen %(min)s und %(max)s ein."),
            min=BUDGET_MIN,
            max=BUDGET_MAX,
        )
    measures = [
        m for g in agreement.current.goals if g.handlungsfeld_id == field.id for m in g.measures
    ]
    if len(measures) < 2:
        raise Conflict(
            N_("Für eine Abstimmung braucht das Handlungsfeld mindestens zwei Maßnahmen.")
        )
    code = _free_code(session)
    vote = VoteSession(
        version=agreement.current,
        handlungsfeld=field,
        code=code,
        budget=points,
        measures=measures,
        hide_results=hide_results,
    )
    session.add(vote)
    session.flush()
    return vote


def _free_code(session: SessionLike) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(VoteSession.id).where(VoteSession.code == code)) is None:
            return code


def close_vote(session: SessionLike, vote: VoteSession) -> None:
    """Stop taking votes."""
    vote.state = VoteState.CLOSED
    vote.closed_at = utcnow()
    session.flush()


def reopen_vote(session: SessionLike, vote: VoteSession) -> None:
    """Take votes again after closing."""
    vote.state = VoteState.OPEN
    vote.closed_at = None
    session.flush()


def parse_ballot(vote: VoteSession, form: Mapping[str, str]) -> dict[int, int]:
    """Return ``{measure id: points}`` from inputs ``m_<id>``; enforce the budget or raise."""
    errors: list[FieldError] = []
    points: dict[int, int] = {}
    for measure in vote.measures:
        name = f"m_{measure.id}"
        raw = (form.get(name) or "").strip()
        if not raw:
            points[measure.id] = 0
            continue
        if not raw.isdigit():
            errors.append(FieldError(name, N_("Bitte geben Sie eine ganze Zahl ab 0 ein.")))
            continue
        points[measure.id] = int(raw)
    if not errors:
        total = sum(points.values())
        if total > vote.budget:
            errors.append(
                FieldError(
                    "points",
                    N_("Sie haben %(total)s Punkte verteilt, erlaubt sind höchstens %(budget)s."),
                    {"total": total, "budget": vote.budget},
                )
            )
        elif total == 0:
            errors.append(FieldError("points", N_("Bitte verteilen Sie mindestens einen Punkt.")))
    if errors:
        raise ValidationError(errors)
    return points


def cast_votes(
    session: SessionLike, vote: VoteSession, token: str, points: Mapping[int, int]
) -> VoteSet:
    """Store the device's vote set, replacing its earlier one; refuse when closed."""
    if not vote.is_open:
        raise Conflict(N_("Die Abstimmung ist beendet."))
    token_hash = hash_token(token)
    vote_set = session.scalar(
        select(VoteSet).where(VoteSet.vote_session_id == vote.id, VoteSet.token_hash == token_hash)
    )
    if vote_set is None:
        vote_set = VoteSet(vote_session=vote, token_hash=token_hash)
        session.add(vote_set)
    vote_set.votes.clear()
    session.flush()  # delete the old rows before inserting their replacements
    vote_set.votes.extend(Vote(measure_id=mid, points=p) for mid, p in points.items() if p > 0)
    session.flush()
    return vote_set


def ballot_of(session: SessionLike, vote: VoteSession, token: str | None) -> dict[int, int]:
    """Return the points the device with ``token`` gave (empty if it has not voted)."""
    if not token:
        return {}
    vote_set = session.scalar(
        select(VoteSet).where(
            VoteSet.vote_session_id == vote.id, VoteSet.token_hash == hash_token(token)
        )
    )
    return {v.measure_id: v.points for v in vote_set.votes} if vote_set else {}


@dataclass(frozen=True)
class ResultRow:
    """Points a measure received, from how many vote sets, and its share of all points."""

    measure: Measure
    points: int
    supporters: int
    share: float
    rank: int


@dataclass(frozen=True)
class VoteResults:
    """Results of a prioritisation session, best first."""

    participants: int
    total_points: int
    rows: list[ResultRow]


def results(vote: VoteSession) -> VoteResults:
    """Aggregate the vote sets: points and supporters per measure, ranked (ties share a rank)."""
    points = {m.id: 0 for m in vote.measures}
    supporters = {m.id: 0 for m in vote.measures}
    for vote_set in vote.vote_sets:
        for v in vote_set.votes:
            if v.measure_id in points:
                points[v.measure_id] += v.points
                supporters[v.measure_id] += 1
    total = sum(points.values())
    ordered = sorted(vote.measures, key=lambda m: (-points[m.id], m.code))
    rows: list[ResultRow] = []
    for index, measure in enumerate(ordered):
        rank = index + 1
        if rows and rows[-1].points == points[measure.id]:
            rank = rows[-1].rank
        rows.append(
            ResultRow(
                measure=measure,
                points=points[measure.id],
                supporters=supporters[measure.id],
                share=points[measure.id] / total if total else 0.0,
                rank=rank,
            )
        )
    return VoteResults(participants=len(vote.vote_sets), total_points=total, rows=rows)
