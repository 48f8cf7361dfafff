"""A small but real OpenID Connect provider for the tests, built on Authlib's server side.

It serves over HTTP on a free local port (werkzeug ``make_server`` in a thread):

* ``/.well-known/openid-configuration`` (discovery) and ``/jwks`` (its RS256 public key);
* ``/authorize``: the authorization code flow with PKCE required; it logs in whoever the test
  put into :attr:`Provider.person` without asking (no person: ``access_denied``);
* ``/token``: the code exchange with ``client_secret_basic``, issuing a signed ID token;
* ``/userinfo``: the person's claims for a bearer access token;
* ``/logout``: RP-initiated logout, back to a registered ``post_logout_redirect_uri``.

So the app under test runs its real client code: discovery, redirect, state, nonce, PKCE,
token request over HTTP, signature and claim checks. A test can make the provider misbehave
(:attr:`Provider.id_token_changes`, :attr:`Provider.foreign_key`) to see the app refuse it.

Fixtures (registered in ``tests/conftest.py``): ``oidc_server`` starts one provider per test
session; ``oidc_provider`` is that provider, reset before each test.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, request
from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, make_server

CLIENT_ID = "familienkompass"
CLIENT_SECRET = "test-client-secret-0123456789"  # noqa: S105 - a test value
#: Where the Flask test client's app expects the provider to send the browser back.
TEST_CLIENT_REDIRECT = "http://localhost/anmelden/stadtkonto/antwort"
TEST_CLIENT_LOGOUT_REDIRECT = "http://localhost/anmelden"


@dataclass
class Person:
    """Who logs in at the provider: the standard claims plus any others (``groups``...)."""

    sub: str
    email: str = ""
    email_verified: bool | str | None = True
    name: str = ""
    claims: dict[str, Any] = field(default_factory=dict)
    #: claims only the user info endpoint gives, not the ID token
    userinfo_claims: dict[str, Any] = field(default_factory=dict)

    def id_token_claims(self) -> dict[str, Any]:
        """The claims that go into the ID token."""
        claims: dict[str, Any] = {"sub": self.sub, **self.claims}
        if self.email:
            claims["email"] = self.email
        if self.email_verified is not None:
            claims["email_verified"] = self.email_verified
        if self.name:
            claims["name"] = self.name
        return claims


@dataclass
class Client(ClientMixin):
    """A registered relying party."""

    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "email", "profile", "groups"}
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_basic" if endpoint == "token" else True

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    """An issued authorization code and what it was issued for."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    issued_at: float = field(default_factory=time.time)

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return int(self.issued_at)


class Provider:
    """The provider's state: key, clients, codes, tokens, the next person to log in."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-1", "use": "sig"})
        self.issuer = ""
        self.server: BaseWSGIServer | None = None
        self.thread: threading.Thread | None = None
        self.clients: dict[str, Client] = {}
        self.app = self._make_app()
        self.reset()

    def reset(self) -> None:
        """Forget codes, tokens, requests and misbehaviour; nobody logs in."""
        self.person: Person | None = None
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, Person] = {}
        self.authorization_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.logout_requests: list[dict[str, str]] = []
        self.post_logout_redirects = {TEST_CLIENT_LOGOUT_REDIRECT}
        #: ID tokens issued, newest last
        self.id_tokens: list[str] = []
        #: claims to overwrite in the next ID tokens (e.g. a wrong ``nonce``)
        self.id_token_changes: dict[str, Any] = {}
        #: sign ID tokens with a key the JWKS does not publish
        self.foreign_key = False
        #: an ``issuer`` for the discovery document other than the provider's own
        self.advertised_issuer: str | None = None
        self.clients = {
            CLIENT_ID: Client(CLIENT_ID, CLIENT_SECRET, [TEST_CLIENT_REDIRECT]),
        }

    def allow_redirect(self, uri: str) -> None:
        """Register another redirect URI of the test client (e.g. a live server's)."""
        self.clients[CLIENT_ID].redirect_uris.append(uri)

    # -- the authorization server --------------------------------------------------------

    def _make_app(self) -> Flask:
        provider = self
        app = Flask("oidc_test_provider")
        app.config["OAUTH2_ACCESS_TOKEN_GENERATOR"] = True

        class AuthorizationCode(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

            def save_authorization_code(self, code: str, oauth_request: Any) -> None:
                data = oauth_request.payload.data
                provider.codes[code] = Code(
                    code=code,
                    client_id=oauth_request.client.client_id,
                    redirect_uri=oauth_request.payload.redirect_uri,
                    scope=oauth_request.payload.scope,
                    person=oauth_request.user,
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                found = provider.codes.get(code)
                if found and found.client_id == client.client_id:
                    return found
                return None

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: Code) -> Person:
                return authorization_code.person

        class OpenID(OpenIDCode):
            def exists_nonce(self, nonce: str, oauth_request: Any) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client: Client) -> RSAKey:
                if provider.foreign_key:
                    return RSAKey.generate_key(2048, parameters={"kid": "test-1"})
                return provider.key

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                return {"iss": provider.issuer, "aud": [client.client_id]}

            def generate_user_info(self, user: Person, scope: str) -> UserInfo:
                return UserInfo({**user.id_token_claims(), **provider.id_token_changes})

        def save_token(token: dict[str, Any], oauth_request: Any) -> None:
            provider.tokens[token["access_token"]] = oauth_request.user

        server = AuthorizationServer(
            app,
            query_client=lambda client_id: provider.clients.get(client_id),
            save_token=save_token,
        )
        server.register_grant(
            AuthorizationCode, [CodeChallenge(required=True), OpenID(require_nonce=True)]
        )

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            base = provider.issuer
            return jsonify(
                issuer=provider.advertised_issuer or base,
                authorization_endpoint=f"{base}/authorize",
                token_endpoint=f"{base}/token",
                userinfo_endpoint=f"{base}/userinfo",
                end_session_endpoint=f"{base}/logout",
                jwks_uri=f"{base}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                scopes_supported=["openid", "email", "profile", "groups"],
                token_endpoint_auth_methods_supported=["client_secret_basic"],
                code_challenge_methods_supported=["S256"],
                claims_supported=["sub", "email", "email_verified", "name", "groups"],
            )

        @app.get("/jwks")
        def jwks() -> Any:
            return jsonify(keys=[provider.key.as_dict(private=False, alg="RS256")])

        @app.get("/authorize")
        def authorize() -> Any:
            provider.authorization_requests.append(request.args.to_dict())
            try:
                grant = server.get_consent_grant(end_user=provider.person)
            except OAuth2Error as error:
                return jsonify(error=error.error, description=error.description), 400
            return server.create_authorization_response(grant=grant, grant_user=provider.person)

        @app.post("/token")
        def token() -> Any:
            provider.token_requests.append(request.form.to_dict())
            response = server.create_token_response()
            if response.status_code == 200 and response.json and "id_token" in response.json:
                provider.id_tokens.append(response.json["id_token"])
            return response

        @app.get("/logout")
        def logout() -> Any:
            provider.logout_requests.append(request.args.to_dict())
            back = request.args.get("post_logout_redirect_uri", "")
            if back not in provider.post_logout_redirects:
                return jsonify(error="invalid post_logout_redirect_uri"), 400
            return "", 302, {"Location": back}

        @app.get("/userinfo")
        def userinfo() -> Any:
            scheme, _, value = request.headers.get("Authorization", "").partition(" ")
            person = provider.tokens.get(value) if scheme.lower() == "bearer" else None
            if person is None:
                return jsonify(error="invalid_token"), 401
            return jsonify({**person.id_token_claims(), **person.userinfo_claims})

        return app

    # -- serving ---------------------------------------------------------------------------

    def start(self) -> None:
        """Serve on a free port of 127.0.0.1 in a background thread."""
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop serving."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def app_config(self, **overrides: Any) -> dict[str, Any]:
        """The Familienkompass settings of a client of this provider."""
        config: dict[str, Any] = {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_ROLE_CLAIM": "groups",
            "OIDC_ROLE_MAP": {
                "fk-admin": "admin",
                "fk-staff": "staff",
                "fk-moderation": "moderator",
            },
        }
        config.update(overrides)
        return config


@pytest.fixture(scope="session")
def oidc_server() -> Iterator[Provider]:
    """One running provider per test session."""
    provider = Provider()
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture()
def oidc_provider(oidc_server: Provider) -> Provider:
    """The running provider, reset: no person logged in, no codes, no misbehaviour."""
    oidc_server.reset()
    return oidc_server
