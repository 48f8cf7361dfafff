"""Second factor pages: the code step of the login, enrolment, recovery codes, switching off."""

from __future__ import annotations

import hashlib

import segno
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from app.account import bp
from app.account.safety import safe_next
from app.account.second_step import (
    STEP_CODE,
    STEP_ENROL,
    complete_login,
    factor_required,
    issuer,
    pending_account_key,
    pending_target,
    pending_user,
)
from app.account.views import _home_for_user
from app.common.forms import apply_errors
from app.common.ratelimit import client_bucket
from app.extensions import db, limiter
from app.i18n import translate_error
from surveys import two_factor as tf
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.models import User

LOW_RECOVERY_CODES = 3


def _code_limit() -> str:
    return str(current_app.config["TWO_FACTOR_RATE_LIMIT"])


def _account_code_limit() -> str:
    return str(current_app.config["TWO_FACTOR_ACCOUNT_RATE_LIMIT"])


def _subject() -> str:
    """The account whose code is checked: the logged-in one, else the pending login's."""
    if current_user.is_authenticated:
        return str(current_user.id)
    return pending_account_key()


def _account_client_key() -> str:
    """Wrong codes of the account from this client (the client only as a keyed hash)."""
    return "2fa:" + hashlib.sha256(_subject().encode()).hexdigest()[:32] + ":" + client_bucket()


def _account_key() -> str:
    """Wrong codes of the account from any client. Only someone with the password gets this
    far, so an outsider cannot lock the account's owner out with it."""
    return "2fa-account:" + hashlib.sha256(_subject().encode()).hexdigest()[:32]


def _field_errors(errors: list[FieldError], names: dict[str, str]) -> dict[str, list[str]]:
    """Translated errors, the domain's field names changed to the form's (two forms, one page)."""
    renamed = (FieldError(names.get(e.field, e.field), e.message, e.params) for e in errors)
    return apply_errors(renamed)


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _no_store(body: str, status: int = 200) -> tuple[str, int, dict[str, str]]:
    """Pages with a secret or recovery codes must not be kept by the browser's cache."""
    return body, status, {"Cache-Control": "no-store"}


def _qr_svg(uri: str) -> Markup:
    """The otpauth address as an inline SVG (no request leaves the page)."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5,
        border=4,
        dark="#000",
        light="#fff",
        omitsize=True,
        title=_("QR-Code für Ihre Authenticator-App"),
    )
    return Markup(svg)  # noqa: S704 - segno's own markup; the title is escaped by segno


def _acting_user() -> tuple[User | None, bool]:
    """The account being enrolled and whether it is a pending login (not yet logged in)."""
    if current_user.is_authenticated:
        return current_user._get_current_object(), False
    return pending_user(STEP_ENROL), True


def _expired() -> Response:
    flash(_("Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/anmelden/code", methods=["GET", "POST"])
@limiter.limit(_code_limit, key_func=_account_client_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_code_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def two_factor_code() -> str | Response | tuple[str, int]:
    """Second step of the login: the code from the app, or a recovery code."""
    user = pending_user(STEP_CODE)
    if user is None:
        return _expired()
    recovery = (request.values.get("art") or "") == "wiederherstellung"
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        code = (request.form.get("code") or "")[:100]
        outcome = tf.verify_login(db.session, user, code)
        db.session.commit()  # the spent time step, or the audit entry of a wrong code
        if outcome.ok:
            target = safe_next(pending_target())
            complete_login(user)
            if outcome is tf.Outcome.RECOVERY:
                _flash_recovery_use(user)
            return redirect(target or _home_for_user())
        errors = apply_errors([tf.code_error(outcome, code)])
    status = 422 if errors else 200
    entered = (request.form.get("code") or "")[:100]
    page = render_template(
        "auth/two_factor_code.html", errors=errors, recovery=recovery, entered=entered
    )
    return page, status


def _flash_recovery_use(user: User) -> None:
    left = tf.remaining_recovery_codes(db.session, user)
    flash(
        ngettext(
            "Sie haben sich mit einem Wiederherstellungscode angemeldet. "
            "Es bleibt noch %(num)d unbenutzter Code.",
            "Sie haben sich mit einem Wiederherstellungscode angemeldet. "
            "Es bleiben noch %(num)d unbenutzte Codes.",
            left,
        ),
        "warning" if left <= LOW_RECOVERY_CODES else "info",
    )
    if left <= LOW_RECOVERY_CODES:
        flash(_("Bitte erzeugen Sie unter „Konto“ → „Zwei-Faktor“ neue Codes."), "warning")


Page = tuple[str, int, dict[str, str]]


def _enrolment_page(
    user: User, pending: bool, errors: dict[str, list[str]], status: int = 200, entered: str = ""
) -> Page:
    """The QR code and secret of a started enrolment, or the start button before it."""
    secret = user.totp_secret
    body = render_template(
        "auth/two_factor_enrol.html",
        account=user,
        pending=pending,
        required=factor_required(user),
        qr=_qr_svg(tf.provisioning_uri(user, issuer())) if secret else None,
        secret=tf.grouped_secret(secret) if secret else "",
        errors=errors,
        entered=entered,
    )
    return _no_store(body, status)


def _status_page(
    user: User, errors: dict[str, list[str]] | None = None, status: int = 200
) -> tuple[str, int]:
    entered = {k: (request.form.get(k) or "")[:100] for k in ("codes_code", "off_code")}
    return render_template(
        "auth/two_factor_status.html",
        account=user,
        required=factor_required(user),
        remaining=tf.remaining_recovery_codes(db.session, user),
        total=tf.RECOVERY_CODE_COUNT,
        errors=errors or {},
        entered=entered,
    ), status


@bp.get("/konto/zwei-faktor")
def two_factor() -> str | Response | tuple[str, int, dict[str, str]] | tuple[str, int]:
    """Own second factor: its state, or the enrolment (QR code and secret)."""
    user, pending = _acting_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    if tf.is_enrolled(user):
        return _status_page(user)
    return _enrolment_page(user, pending, {})


@bp.post("/konto/zwei-faktor/beginnen")
def two_factor_begin() -> Response:
    """Make the secret of a new enrolment (kept until confirmed; reloading shows it again)."""
    user, _pending = _acting_user()
    if user is None:
        return _expired()
    if not tf.is_enrolled(user):
        tf.begin_enrolment(db.session, user)
        db.session.commit()
    return redirect(url_for("auth.two_factor"))


@bp.post("/konto/zwei-faktor")
@limiter.limit(_code_limit, key_func=_account_client_key, methods=["POST"], deduct_when=_failed)
def two_factor_confirm() -> str | Response | tuple[str, int, dict[str, str]]:
    """Confirm the enrolment with a first code; show the recovery codes once."""
    user, pending = _acting_user()
    if user is None:
        return _expired()
    if tf.is_enrolled(user):
        return redirect(url_for("auth.two_factor"))
    if user.totp_secret is None:
        return redirect(url_for("auth.two_factor"))
    code = (request.form.get("code") or "")[:100]
    try:
        codes = tf.confirm_enrolment(db.session, user, code)
    except ValidationError as exc:
        db.session.commit()  # keeps the audit entry of the wrong code
        return _enrolment_page(user, pending, apply_errors(exc.errors), 422, code)
    db.session.commit()
    target = None
    if pending:
        target = safe_next(pending_target())
        complete_login(user)
    body = render_template(
        "auth/two_factor_codes.html",
        codes=codes,
        onward=target or (_home_for_user() if pending else url_for("auth.two_factor")),
        first=True,
    )
    return _no_store(body)


@bp.post("/konto/zwei-faktor/wiederherstellungscodes")
@login_required
@limiter.limit(_code_limit, key_func=_account_client_key, methods=["POST"], deduct_when=_failed)
def two_factor_new_codes() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Replace the recovery codes (after a current code); show the new ones once."""
    user = current_user._get_current_object()
    code = (request.form.get("codes_code") or "")[:100]
    try:
        codes = tf.regenerate_recovery_codes(db.session, user, code)
    except Conflict as exc:
        db.session.rollback()
        flash(translate_error(exc.message, exc.params), "error")
        return redirect(url_for("auth.two_factor"))
    except ValidationError as exc:
        db.session.commit()
        return _status_page(user, _field_errors(exc.errors, {"code": "codes_code"}), 422)
    db.session.commit()
    body = render_template(
        "auth/two_factor_codes.html", codes=codes, onward=url_for("auth.two_factor"), first=False
    )
    return _no_store(body)


@bp.post("/konto/zwei-faktor/ausschalten")
@login_required
@limiter.limit(_code_limit, key_func=_account_client_key, methods=["POST"], deduct_when=_failed)
def two_factor_disable() -> str | Response | tuple[str, int]:
    """Switch the own second factor off (password and code), where the role allows it."""
    user = current_user._get_current_object()
    try:
        tf.disable(
            db.session,
            user,
            (request.form.get("off_password") or "")[:256],
            (request.form.get("off_code") or "")[:100],
            required=factor_required(user),
        )
    except Conflict as exc:
        db.session.rollback()
        flash(translate_error(exc.message, exc.params), "error")
        return redirect(url_for("auth.two_factor"))
    except ValidationError as exc:
        db.session.commit()
        fields = {"code": "off_code", "password": "off_password"}
        return _status_page(user, _field_errors(exc.errors, fields), 422)
    db.session.commit()
    flash(_("Die Zwei-Faktor-Anmeldung ist ausgeschaltet."), "success")
    return redirect(url_for("auth.two_factor"))
