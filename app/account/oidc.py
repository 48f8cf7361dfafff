"""Single sign-on of staff with the city's identity provider (OpenID Connect, via Authlib).

Switched on by ``OIDC_ISSUER`` (see ``docs/single-sign-on.md``). The login page then offers
"Mit dem Stadtkonto anmelden": :func:`oidc_start` sends the browser to the provider with the
authorization code flow, PKCE (S256), ``state`` and ``nonce`` (Authlib keeps the three in the
signed session), and :func:`oidc_callback` exchanges the code at the token endpoint, verifies
the ID token (signature from the provider's JWKS, issuer, audience, expiry, nonce) and hands
its claims to :func:`surveys.single_sign_on.sign_on`, which finds, links or creates the account
and takes its role from the claim. The session is then started afresh, as after a password
login. The provider is reached with ``requests`` and a timeout; nothing else leaves the server.
"""

from __future__ import annotations

from typing import Any, cast

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from app.account import bp
from app.account.safety import safe_next
from app.account.second_step import SSO_SESSION
from app.account.session_timeouts import start_session_clock
from app.account.views import _home_for_user
from app.common.ratelimit import client_bucket
from app.extensions import db, limiter
from app.i18n import translate_error
from surveys.single_sign_on import (
    SignOnRefused,
    claim_values,
    identity_from_claims,
    sign_on,
)

CLIENT = "oidc"
#: Where to go after the provider sent the person back (a local path, or "").
NEXT_KEY = "_oidc_next"
#: The ID token of a single sign-on session: the hint of the logout at the provider.
ID_TOKEN_KEY = "_oidc_id_token"  # noqa: S105 - a session key, not a secret
_REGISTRY = "authlib.integrations.flask_client"
MAX_KEPT_ID_TOKEN = 2000  # characters

_UNAVAILABLE = _l(
    "Das Stadtkonto ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut."
)
_EXPIRED = _l(
    "Die Anmeldung mit dem Stadtkonto ist abgelaufen oder wurde in einem anderen Fenster "
    "begonnen. Bitte versuchen Sie es erneut."
)
_CANCELLED = _l("Die Anmeldung beim Stadtkonto wurde abgebrochen.")
_UNVERIFIED = _l(
    "Die Antwort des Stadtkontos konnte nicht geprüft werden. Bitte versuchen Sie es erneut "
    "oder wenden Sie sich an die Administration."
)


@bp.record_once
def _register_client(state: BlueprintSetupState) -> None:
    """Register the OpenID Connect client on an app that has ``OIDC_ISSUER`` set."""
    app = cast(Flask, state.app)
    issuer = app.config.get("OIDC_ISSUER")
    if not issuer:
        return
    oauth = OAuth(app)
    oauth.register(  # type: ignore[no-untyped-call]
        CLIENT,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config.get("OIDC_CLIENT_SECRET") or None,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": app.config.get("OIDC_SCOPES", "openid email profile"),
            "code_challenge_method": "S256",
            "default_timeout": app.config.get("OIDC_TIMEOUT", 10),
        },
    )


def enabled() -> bool:
    """Return whether single sign-on is configured for this app."""
    return bool(current_app.config.get("OIDC_ISSUER"))


@bp.context_processor
def _login_page_context() -> dict[str, Any]:
    """The button of the login page, when single sign-on is on."""
    if not enabled():
        return {"single_sign_on": None}
    label = current_app.config.get("OIDC_BUTTON_LABEL") or _("Mit dem Stadtkonto anmelden")
    return {"single_sign_on": {"label": label}}


def _client() -> Any:
    """The registered Authlib client; its discovery document is checked against the issuer."""
    client = current_app.extensions[_REGISTRY].create_client(CLIENT)
    metadata = client.load_server_metadata()
    if str(metadata.get("issuer", "")).rstrip("/") != current_app.config["OIDC_ISSUER"]:
        # OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer asked.
        raise OAuthError(error="issuer_mismatch", description="discovery names another issuer")
    return client


def _back_to_login(message: str, target: str | None) -> Response:
    flash(message, "error")
    return redirect(url_for("auth.login", next=target) if target else url_for("auth.login"))


def _start_limit() -> str:
    """Starts of one client: each may make the server wait for the provider (``OIDC_TIMEOUT``)."""
    return str(current_app.config["LOGIN_CLIENT_RATE_LIMIT"])


@bp.post("/anmelden/stadtkonto")
@limiter.limit(_start_limit, key_func=client_bucket)
def oidc_start() -> Response:
    """Send the browser to the identity provider (authorization code flow with PKCE)."""
    if not enabled():
        abort(404)
    target = safe_next(request.form.get("next")) or ""
    try:
        client = _client()
        response: Response = client.authorize_redirect(
            url_for("auth.oidc_callback", _external=True)
        )
    except (requests.RequestException, ValueError, AuthlibBaseError):
        current_app.logger.warning("single sign-on: the identity provider is not reachable")
        return _back_to_login(str(_UNAVAILABLE), target)
    session[NEXT_KEY] = target
    return response


def _verified_claims(client: Any, token: dict[str, Any]) -> dict[str, Any]:
    """The claims of the verified ID token, with the user info endpoint's if roles are missing.

    Some providers put groups or roles only into the user info response; its ``sub`` must be
    the ID token's (OpenID Connect Core 1.0, section 5.3.2), else it is ignored.
    """
    claims = dict(token.get("userinfo") or {})
    if not claims:
        raise OAuthError(error="missing_id_token", description="no verified ID token")
    role_claim = current_app.config["OIDC_ROLE_CLAIM"]
    endpoint = client.load_server_metadata().get("userinfo_endpoint")
    if endpoint and not claim_values(claims, role_claim):
        extra = dict(client.userinfo(token=token))
        if extra.get("sub") == claims.get("sub"):
            protected = {"iss", "sub", "aud", "nonce", "exp", "iat"}
            claims.update({k: v for k, v in extra.items() if k not in protected})
    return claims


def _failure_message(exc: Exception) -> str:
    """A German explanation of a failed exchange with the provider."""
    if isinstance(exc, requests.RequestException):
        return str(_UNAVAILABLE)
    if isinstance(exc, OAuthError) and exc.error == "mismatching_state":
        return str(_EXPIRED)
    if isinstance(exc, OAuthError) and exc.error in {"access_denied", "login_required"}:
        return str(_CANCELLED)
    return str(_UNVERIFIED)


@bp.get("/anmelden/stadtkonto/antwort")
def oidc_callback() -> Response:
    """Take the provider's answer: verify it, find or create the account, start a session."""
    if not enabled():
        abort(404)
    target = safe_next(session.pop(NEXT_KEY, None)) or None
    config = current_app.config
    try:
        client = _client()
        token = client.authorize_access_token()
        claims = _verified_claims(client, token)
    except (requests.RequestException, AuthlibBaseError, JoseError, ValueError) as exc:
        current_app.logger.warning("single sign-on refused: %s", type(exc).__name__)
        return _back_to_login(_failure_message(exc), target)
    identity = identity_from_claims(claims, config["OIDC_ROLE_CLAIM"], config["OIDC_ROLE_MAP"])
    try:
        user = sign_on(db.session, identity)
    except SignOnRefused as exc:
        db.session.commit()  # keeps the audit entry of the refusal
        return _back_to_login(translate_error(exc.message), target)
    db.session.commit()
    session.clear()  # a new session at login (no fixation)
    login_user(user)
    start_session_clock()
    session[SSO_SESSION] = True
    id_token = str(token.get("id_token", ""))
    # The session is a cookie (4 KB at most): a token bloated by many groups is not kept, and
    # the logout at the provider then goes without the hint (Keycloak asks to confirm it).
    session[ID_TOKEN_KEY] = id_token if len(id_token) <= MAX_KEPT_ID_TOKEN else ""
    return redirect(target or _home_for_user())


@bp.before_request
def _remember_provider_session() -> None:
    """At logout, keep the ID token of a single sign-on session before the view clears it."""
    if request.endpoint == "auth.logout" and enabled() and session.get(SSO_SESSION):
        g.oidc_id_token = session.get(ID_TOKEN_KEY) or ""


@bp.after_request
def _end_provider_session(response: Response) -> Response:
    """After logging out of a single sign-on session, log out at the provider too.

    RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the browser goes to the
    provider's ``end_session_endpoint`` with the ID token as hint and comes back to the login
    page. Without it, the provider's session would let the next person at a shared computer
    in with one press of the button. If the provider has no such endpoint or cannot be
    reached, the local logout (already done) stands.
    """
    id_token = g.pop("oidc_id_token", None)
    if id_token is None or response.status_code != 302:
        return response
    try:
        client = _client()
        end = client.create_logout_url(
            post_logout_redirect_uri=url_for("auth.login", _external=True),
            id_token_hint=id_token or None,
            client_id=current_app.config["OIDC_CLIENT_ID"],
        )
    except (requests.RequestException, RuntimeError, AuthlibBaseError, ValueError):
        return response
    response.headers["Location"] = end["url"]
    return response
