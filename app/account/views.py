"""Login, logout and password change views."""

from __future__ import annotations

import hashlib

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.account import bp
from app.account.forms import LoginForm, PasswordChangeForm
from app.account.safety import safe_next
from app.account.second_step import begin_second_step
from app.account.session_timeouts import start_session_clock
from app.common.forms import apply_errors
from app.common.ratelimit import client_bucket
from app.extensions import db, limiter
from surveys.accounts import authenticate, change_password, new_session_token, record_login
from surveys.errors import ValidationError
from surveys.models import Role


def _account_client_key() -> str:
    """Rate-limit key of the submitted account from this client (both hashed).

    Keyed on the pair, not on the account alone: an outsider failing on an account must not
    lock out the account's owner, whose client has not been failing. Nor is there a limit
    over all logins, which anyone could trip to lock out every account.
    """
    email = (request.form.get("email") or "").strip().lower()
    return "login:" + hashlib.sha256(email.encode()).hexdigest()[:32] + ":" + client_bucket()


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _client_login_limit() -> str:
    """Failed logins of one client over all accounts (random e-mail addresses)."""
    return str(current_app.config["LOGIN_CLIENT_RATE_LIMIT"])


def _failed(response: Response) -> bool:
    """Only failed attempts count against the limit."""
    return response.status_code != 302


def _home_for_user() -> str:
    if current_user.has_role(Role.STAFF):
        return url_for("staff.surveys")
    if current_user.has_role(Role.MODERATOR) and "workshop.index" in current_app.view_functions:
        return url_for("workshop.index")
    return url_for("auth.password")


@bp.route("/anmelden", methods=["GET", "POST"])
@limiter.limit(_login_limit, key_func=_account_client_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(_client_login_limit, key_func=client_bucket, methods=["POST"], deduct_when=_failed)
def login() -> str | Response | tuple[str, int]:
    """Show the login form; on success start a fresh session and go to ``next``."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    failed = False
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is not None:
            db.session.commit()
            target = safe_next(form.next.data) or None
            session.clear()  # a new session at login (no fixation)
            second_step = begin_second_step(user, target)
            if second_step is not None:  # the code, or enrolling a required factor
                return second_step
            record_login(db.session, user)
            db.session.commit()
            login_user(user)
            start_session_clock()
            return redirect(target or _home_for_user())
        db.session.rollback()
        failed = True
    status = 200 if not (failed or form.errors) else 401 if failed else 422
    return (
        render_template("auth/login.html", form=form, failed=failed),
        status,
    )


@bp.post("/abmelden")
def logout() -> Response:
    """End the session on the server (token rotation) and in the browser."""
    if current_user.is_authenticated:
        current_user.session_token = new_session_token()
        db.session.commit()
        logout_user()
    session.clear()
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/konto/passwort", methods=["GET", "POST"])
@login_required
def password() -> str | Response | tuple[str, int]:
    """Change the own password; other sessions of the account end."""
    form = PasswordChangeForm()
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        try:
            change_password(
                db.session,
                current_user,
                form.current.data or "",
                form.password.data or "",
                form.confirm.data or "",
            )
        except ValidationError as exc:
            db.session.rollback()
            errors = apply_errors(exc.errors)
        else:
            db.session.commit()
            session.clear()
            login_user(current_user._get_current_object())
            start_session_clock()
            flash(_("Ihr Passwort wurde geändert."), "success")
            return redirect(url_for("auth.password"))
    for name, messages in form.errors.items():
        errors.setdefault(str(name), []).extend(str(m) for m in messages)
    status = 422 if errors else 200
    return render_template("auth/password.html", form=form, errors=errors), status
