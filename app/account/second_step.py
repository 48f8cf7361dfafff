"""The state between the password and the second step of a login, and its enforcement.

After a correct password the session holds only a *pending* login: the account's id, its
session token (a password change, logout elsewhere or an admin reset voids it), what comes
next (the code, or the enrolment where the role requires a factor the account lacks), the
page asked for and an expiry. Nobody is logged in until the second step is done; then the
session is replaced by a new one (:func:`complete_login`).

A logged-in session whose role needs a second factor it does not have (the requirement was
switched on later, or a test helper made the session) reaches nothing but the enrolment and
logout until it is enrolled (:func:`enforce_enrolment`).
"""

from __future__ import annotations

import hmac
import time
from typing import Any

from flask import current_app, redirect, request, session, url_for
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from app.account import bp
from app.account.session_timeouts import start_session_clock
from app.extensions import db
from surveys.accounts import record_login
from surveys.models import Role, User
from surveys.two_factor import is_enrolled, is_required, parse_required_roles

PENDING = "_2fa_pending"
#: Set in sessions started through single sign-on (``app.account.oidc``): the identity provider
#: authenticated the person, with its own second factor (``docs/single-sign-on.md``).
SSO_SESSION = "_sso"
CODE_SECONDS = 5 * 60  # to type the code after the password
ENROL_SECONDS = 20 * 60  # to install an app, scan the code and confirm it
STEP_CODE = "code"
STEP_ENROL = "enrol"

#: Endpoints a logged-in account without its required factor may still reach.
ENROLMENT_ENDPOINTS = frozenset(
    {"auth.two_factor", "auth.two_factor_begin", "auth.two_factor_confirm", "auth.logout", "static"}
)
#: Blueprints of pages everyone may see, logged in or not.
PUBLIC_BLUEPRINTS = frozenset({"public", "citizen", "results", "vote"})


def required_roles() -> frozenset[Role]:
    """Return the roles that must log in with a second factor (``TWO_FACTOR_REQUIRED_ROLES``)."""
    return parse_required_roles(current_app.config.get("TWO_FACTOR_REQUIRED_ROLES", ""))


def factor_required(user: User) -> bool:
    """Return whether ``user``'s role must log in with a second factor."""
    return is_required(user, required_roles())


def issuer() -> str:
    """Return the name authenticator apps show next to the account."""
    return str(current_app.config.get("TWO_FACTOR_ISSUER") or current_app.config["SITE_NAME"])


def begin_second_step(user: User, target: str | None) -> Response | None:
    """After the password: start a pending login and return where it goes on, or ``None``.

    ``None`` means the account needs no second step and may be logged in at once. Expects a
    freshly cleared session.
    """
    if is_enrolled(user):
        step, seconds, endpoint = STEP_CODE, CODE_SECONDS, "auth.two_factor_code"
    elif factor_required(user):
        step, seconds, endpoint = STEP_ENROL, ENROL_SECONDS, "auth.two_factor"
    else:
        return None
    session[PENDING] = {
        "uid": user.id,
        "token": user.session_token,
        "step": step,
        "until": int(time.time()) + seconds,
        "next": target or "",
    }
    return redirect(url_for(endpoint))


def _pending() -> dict[str, Any] | None:
    data = session.get(PENDING)
    if not isinstance(data, dict) or int(data.get("until", 0)) < time.time():
        return None
    return data


def pending_user(step: str) -> User | None:
    """Return the account of a pending login at ``step`` that has not expired, else ``None``."""
    data = _pending()
    if data is None or data.get("step") != step:
        return None
    user = db.session.get(User, int(data.get("uid", 0)))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token, str(data.get("token", ""))):
        return None
    return user


def pending_account_key() -> str:
    """The pending account's id (rate-limit key part), or "-" without a pending login."""
    data = _pending()
    return str(data.get("uid", "-")) if data else "-"


def pending_target() -> str | None:
    """Return the page asked for before the login, if any."""
    data = _pending()
    return str(data.get("next") or "") or None if data else None


def complete_login(user: User) -> None:
    """Log ``user`` in with a new session (no fixation) and start its clock."""
    record_login(db.session, user)
    db.session.commit()
    session.clear()
    login_user(user)
    start_session_clock()


@bp.before_app_request
def enforce_enrolment() -> Response | None:
    """Send a logged-in account that lacks its required second factor to the enrolment."""
    if not current_user.is_authenticated:
        return None
    endpoint = request.endpoint or ""
    if endpoint in ENROLMENT_ENDPOINTS or request.blueprint in PUBLIC_BLUEPRINTS:
        return None
    user = current_user._get_current_object()
    if session.get(SSO_SESSION) or is_enrolled(user) or not factor_required(user):
        return None
    return redirect(url_for("auth.two_factor"))
