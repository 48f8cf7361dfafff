"""Idle and absolute timeouts of staff sessions, checked on every request."""

from __future__ import annotations

import time

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from app.account import bp

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"


def start_session_clock() -> None:
    """Record the login time; called right after ``login_user``."""
    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now


@bp.before_app_request
def enforce_timeouts() -> Response | None:
    """Log out sessions idle longer than ``STAFF_IDLE_TIMEOUT`` or older than the lifetime."""
    # Load the user afresh for every request, even when an app context outlives one request
    # (as in tests and CLI-driven requests): a cached user would skip the token check.
    g.pop("_login_user", None)
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(time.time())
    idle = int(current_app.config.get("STAFF_IDLE_TIMEOUT", 30 * 60))
    absolute = int(current_app.permanent_session_lifetime.total_seconds())
    if LOGIN_AT not in session:
        # A session made without the login view (e.g. by a test helper): start its clock now.
        start_session_clock()
        return None
    login_at = int(session.get(LOGIN_AT, 0))
    seen_at = int(session.get(SEEN_AT, 0))
    if now - login_at > absolute or now - seen_at > idle:
        logout_user()
        session.clear()
        flash(_("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    session[SEEN_AT] = now
    return None
