"""Committing a domain write from a view: success message, refusal message, redirect."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect
from werkzeug.wrappers import Response

from app.extensions import db
from app.i18n import translate_error
from surveys.errors import Conflict


def commit_and_return(
    write: Callable[[], object], message: str, done: str, refused: str | None = None
) -> Response:
    """Run ``write``, commit it, flash ``message`` and redirect to the URL ``done``.

    A refusal (``Conflict``) is rolled back, flashed as an error and redirects to ``refused``
    (default: ``done``). Any other error (e.g. a ``ValidationError``) is left to the caller.
    """
    try:
        write()
    except Conflict as exc:
        db.session.rollback()
        flash(translate_error(exc.message, exc.params), "error")
        return redirect(refused or done)
    db.session.commit()
    flash(message, "success")
    return redirect(done)
