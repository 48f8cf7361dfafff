"""Moderator side of the live prioritisation: start a vote, show link, QR code and results."""

from __future__ import annotations

import io

import segno
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.extensions import db
from app.workshop import bp
from app.workshop.helpers import (
    conflict_redirect,
    field_errors,
    load_agreement,
    load_field,
    moderator_required,
)
from surveys.errors import Conflict, ValidationError
from surveys.models import VoteSession
from surveys.workshop.voting import close_vote, reopen_vote, results, start_vote, vote_by_code


def _vote(code: str) -> VoteSession:
    vote = vote_by_code(db.session, code)
    if vote is None:
        abort(404)
    return vote


def public_url(vote: VoteSession) -> str:
    """The short absolute link participants open."""
    return url_for("vote.ballot", code=vote.code, _external=True)


@bp.post("/<slug>/feld/<key>/abstimmung")
@moderator_required
def vote_start(slug: str, key: str) -> Response:
    """Open a prioritisation of the field's measures with a points budget."""
    _survey, agreement = load_agreement(slug)
    field = load_field(key)
    try:
        vote = start_vote(
            db.session,
            agreement,
            field,
            request.form.get("budget", ""),
            hide_results=request.form.get("hide_results") == "1",
        )
    except ValidationError as exc:
        db.session.rollback()
        flash(next(iter(field_errors(exc).values())), "error")
        return redirect(url_for("workshop.field_page", slug=slug, key=key, _anchor="abstimmung"))
    except Conflict as exc:
        return conflict_redirect(exc, "workshop.field_page", slug=slug, key=key)
    db.session.commit()
    return redirect(url_for("workshop.vote_screen", code=vote.code))


@bp.get("/abstimmung/<code>")
@moderator_required
def vote_screen(code: str) -> str:
    """Moderator screen: the short link, a QR code and the live results."""
    vote = _vote(code)
    return render_template(
        "workshop/vote_screen.html",
        vote=vote,
        survey=vote.version.agreement.survey,
        url=public_url(vote),
        results=results(vote),
    )


@bp.get("/abstimmung/<code>/ergebnis")
@moderator_required
def vote_results(code: str) -> str:
    """The results table alone; the screen's script fetches it every few seconds."""
    vote = _vote(code)
    return render_template("workshop/_vote_results.html", vote=vote, results=results(vote))


@bp.get("/abstimmung/<code>/qr.svg")
@moderator_required
def vote_qr(code: str) -> Response:
    """QR code of the short link as SVG."""
    vote = _vote(code)
    buffer = io.BytesIO()
    segno.make(public_url(vote), error="m").save(
        buffer,
        kind="svg",
        scale=8,
        border=2,
        dark="#000",
        light="#fff",
        xmldecl=False,
        svgclass=None,
        lineclass=None,
        title=_("QR-Code zur Abstimmung"),
    )
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


@bp.get("/abstimmung/<code>/beenden")
@moderator_required
def vote_close_confirm(code: str) -> str:
    """Ask before closing: ending a vote by a slip would cut off people still voting."""
    vote = _vote(code)
    return render_template(
        "workshop/vote_close.html",
        vote=vote,
        survey=vote.version.agreement.survey,
        ballots=len(vote.vote_sets),
    )


@bp.post("/abstimmung/<code>/beenden")
@moderator_required
def vote_close(code: str) -> Response:
    """Stop taking votes."""
    close_vote(db.session, _vote(code))
    db.session.commit()
    flash(_("Die Abstimmung ist beendet."), "success")
    return redirect(url_for("workshop.vote_screen", code=code))


@bp.post("/abstimmung/<code>/fortsetzen")
@moderator_required
def vote_reopen(code: str) -> Response:
    """Take votes again."""
    reopen_vote(db.session, _vote(code))
    db.session.commit()
    flash(_("Die Abstimmung läuft wieder."), "success")
    return redirect(url_for("workshop.vote_screen", code=code))
