"""Participants' ballot at ``/v/<code>``: no login, anonymous, one vote set per device.

The device is recognised only by a random token in a session cookie scoped to this vote's
path; the database keeps its hash. Nothing about the request (address, browser) is stored.
"""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template, request
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app.extensions import db, limiter
from app.i18n import translate_error
from app.workshop import vote_bp
from app.workshop.helpers import field_errors
from surveys.errors import Conflict, ValidationError
from surveys.models import VoteSession
from surveys.workshop.voting import ballot_of, cast_votes, new_token, parse_ballot, vote_by_code

COOKIE_PREFIX = "fk_vote_"
#: Submissions per vote and minute, whoever sends them (keyed by the vote code, never by
#: address): enough for a full hall, a brake on scripted flooding. Setting
#: ``WORKSHOP_BALLOT_LIMIT`` overrides it.
BALLOT_LIMIT = "600/minute"


def _ballot_limit() -> str:
    return str(current_app.config.get("WORKSHOP_BALLOT_LIMIT", BALLOT_LIMIT))


def _vote_key() -> str:
    """Rate-limit key: the vote's code (no client address is ever used)."""
    return "vote:" + str((request.view_args or {}).get("code", "")).upper()


def _vote(code: str) -> VoteSession:
    vote = vote_by_code(db.session, code)
    if vote is None:
        abort(404)
    return vote


def _render(
    vote: VoteSession,
    values: dict[str, str],
    errors: dict[str, str],
    status: int,
    saved: bool = False,
    token: str | None = None,
) -> Response:
    response = make_response(
        render_template(
            "workshop/vote_public.html", vote=vote, values=values, errors=errors, saved=saved
        ),
        status,
    )
    if token:
        response.set_cookie(
            COOKIE_PREFIX + vote.code,
            token,
            path=f"/v/{vote.code}",
            httponly=True,
            secure=request.is_secure,
            samesite="Lax",
        )
    response.headers["Cache-Control"] = "no-store"
    return response


@vote_bp.route("/v/<code>", methods=["GET", "POST"])
@limiter.limit(_ballot_limit, key_func=_vote_key, methods=["POST"])
def ballot(code: str) -> Response:
    """Show the measures with a number input each; store the points when the budget holds."""
    vote = _vote(code)
    token = request.cookies.get(COOKIE_PREFIX + vote.code)
    if request.method == "GET":
        existing = ballot_of(db.session, vote, token)
        values = {f"m_{mid}": str(p) for mid, p in existing.items()}
        return _render(vote, values, {}, 200, saved=bool(existing))
    form = request.form.to_dict()
    try:
        points = parse_ballot(vote, form)
        new = token is None
        token = token or new_token()
        try:
            cast_votes(db.session, vote, token, points)
        except IntegrityError:  # the same device submitted twice at once: replace its set
            db.session.rollback()
            cast_votes(db.session, vote, token, points)
    except ValidationError as exc:
        db.session.rollback()
        return _render(vote, form, field_errors(exc), 422)
    except Conflict as exc:
        db.session.rollback()
        return _render(vote, form, {"points": translate_error(exc.message, exc.params)}, 409)
    db.session.commit()
    values = {f"m_{mid}": str(p) for mid, p in points.items() if p}
    return _render(vote, values, {}, 200, saved=True, token=token if new else None)
