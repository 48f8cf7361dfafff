"""Single sign-on of staff against a real OpenID Connect provider (``tests/oidc_provider.py``).

The app's own client code runs unchanged: discovery, the redirect with state, nonce and PKCE,
the code exchange and the ID token checks go over HTTP to the provider; the Flask test client
plays the browser on our side, ``requests`` on the provider's.
"""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.account.oidc import SSO_SESSION
from app.account.session_timeouts import LOGIN_AT
from app.config import ConfigError, load_config
from app.extensions import db
from surveys.accounts import set_active
from surveys.audit import Action
from surveys.models import AuditEvent, Role, User
from tests.app.staff_helpers import PASSWORDS, make_user
from tests.app_fixtures import app_in_context
from tests.oidc_provider import Person, Provider

ANNA = Person(
    sub="a1b2c3-anna",
    email="Anna.Schmidt@Delmenhorst.example",
    name="Anna Schmidt",
    claims={"groups": ["fk-staff", "alle-mitarbeitenden"]},
)


@pytest.fixture()
def sso_app(app_database: str, oidc_provider: Provider) -> Iterator[Flask]:
    """The app with single sign-on through the test provider; tables emptied afterwards."""
    yield from _app_with(app_database, oidc_provider.app_config())


def _app_with(database: str, config: dict[str, Any]) -> Iterator[Flask]:
    yield from app_in_context(database, **config)


def via_provider(location: str) -> str:
    """Follow the redirect to the provider over HTTP; return the path it sends us back to."""
    hop = requests.get(location, allow_redirects=False, timeout=10)
    assert hop.status_code == 302, hop.text
    back = urlsplit(hop.headers["Location"])
    assert (back.scheme, back.netloc) == ("http", "localhost")
    return f"{back.path}?{back.query}"


def sso_login(client: FlaskClient, next_page: str = "") -> Any:
    """Press "Mit dem Stadtkonto anmelden" and come back; return the callback's response."""
    start = client.post("/anmelden/stadtkonto", data={"next": next_page})
    assert start.status_code == 302, start.data[:300]
    return client.get(via_provider(start.headers["Location"]))


def refusal_shown(client: FlaskClient, response: Any, text: str) -> None:
    """The callback went back to the login page, which shows ``text`` and nobody is in."""
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/anmelden"
    page = client.get("/anmelden").get_data(as_text=True)
    assert text in page
    assert client.get("/verwaltung/").status_code == 302  # not logged in


def audit(action: Action) -> list[str]:
    return list(
        db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == str(action)))
    )


# -- switched off ----------------------------------------------------------------------------


def test_without_an_issuer_there_is_no_button_and_no_route(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/anmelden").get_data(as_text=True)
    assert "Stadtkonto" not in page and "/anmelden/stadtkonto" not in page
    assert client.post("/anmelden/stadtkonto").status_code == 404
    assert client.get("/anmelden/stadtkonto/antwort?code=x&state=y").status_code == 404


def test_configuration_is_checked_at_start() -> None:
    base = {"OIDC_ISSUER": "https://login.example/realms/stadt/", "OIDC_CLIENT_ID": "fk"}
    with pytest.raises(ConfigError, match="OIDC_ROLE_MAP"):
        load_config("/tmp", base)
    with pytest.raises(ConfigError, match="admin, staff or moderator"):
        load_config("/tmp", {**base, "OIDC_ROLE_MAP": "fk-admin=chef"})
    with pytest.raises(ConfigError, match="OIDC_CLIENT_ID"):
        load_config("/tmp", {"OIDC_ISSUER": "https://x.example", "OIDC_ROLE_MAP": "a=staff"})
    production = {"APP_ENV": "production", "SECRET_KEY": "s" * 40, "OIDC_ROLE_MAP": "a=staff"}
    with pytest.raises(ConfigError, match="https"):
        load_config("/tmp", {**production, **base, "OIDC_ISSUER": "http://login.example"})
    config = load_config("/tmp", {**base, "OIDC_ROLE_MAP": "fk-admin=admin"})
    assert config["OIDC_ISSUER"] == "https://login.example/realms/stadt"  # no trailing slash
    assert config["OIDC_ROLE_MAP"] == {"fk-admin": Role.ADMIN}
    assert config["OIDC_ROLE_CLAIM"] == "groups"
    assert load_config("/tmp", {})["OIDC_ISSUER"] == ""


# -- the login page --------------------------------------------------------------------------


def test_login_page_offers_the_city_account_and_keeps_the_target(sso_app: Flask) -> None:
    page = sso_app.test_client().get("/anmelden?next=/verwaltung/benutzer").get_data(as_text=True)
    assert "Mit dem Stadtkonto anmelden" in page
    assert 'action="/anmelden/stadtkonto"' in page
    assert 'name="next" value="/verwaltung/benutzer"' in page
    assert 'name="password"' in page  # local accounts stay possible


def test_the_form_may_lead_to_the_provider_and_nowhere_else(
    sso_app: Flask, oidc_provider: Provider, app: Flask
) -> None:
    # Browsers apply the CSP's form-action to the redirect after the button's POST.
    policy = sso_app.test_client().get("/anmelden").headers["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_provider.issuer};" in policy + ";"
    plain = app.test_client().get("/anmelden").headers["Content-Security-Policy"]
    assert "form-action 'self'" in plain and oidc_provider.issuer not in plain


def test_the_button_label_is_configurable(app_database: str, oidc_provider: Provider) -> None:
    config = oidc_provider.app_config(OIDC_BUTTON_LABEL="Mit dem Delmenhorst-Konto anmelden")
    for application in _app_with(app_database, config):
        page = application.test_client().get("/anmelden").get_data(as_text=True)
        assert "Mit dem Delmenhorst-Konto anmelden" in page
        assert "Mit dem Stadtkonto anmelden" not in page


def test_starting_needs_the_form_token(app_database: str, oidc_provider: Provider) -> None:
    for application in _app_with(app_database, oidc_provider.app_config(WTF_CSRF_ENABLED=True)):
        assert application.test_client().post("/anmelden/stadtkonto").status_code == 400
        assert oidc_provider.authorization_requests == []


# -- logging in ------------------------------------------------------------------------------


def test_first_login_creates_the_account_with_the_role_of_the_group(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    oidc_provider.person = ANNA
    client = sso_app.test_client()
    with client.session_transaction() as sess:
        sess["planted"] = "fixation"
    response = sso_login(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/verwaltung/"
    assert client.get("/verwaltung/").status_code == 200

    user = db.session.scalars(select(User)).one()
    assert (user.email, user.name, user.role) == (
        "anna.schmidt@delmenhorst.example",
        "Anna Schmidt",
        Role.STAFF,
    )
    assert (user.oidc_issuer, user.oidc_subject) == (oidc_provider.issuer, "a1b2c3-anna")
    assert audit(Action.USER_SSO_CREATE) == ["anna.schmidt@delmenhorst.example (staff)"]
    assert audit(Action.USER_SSO_LOGIN) == ["anna.schmidt@delmenhorst.example (staff)"]
    with client.session_transaction() as sess:
        assert "planted" not in sess  # a fresh session
        assert LOGIN_AT in sess and sess[SSO_SESSION] is True
        assert not any(key.startswith("_state_") for key in sess)  # Authlib's state is spent

    # what went over the wire: code flow with PKCE (S256), state and nonce
    (asked,) = oidc_provider.authorization_requests
    assert asked["response_type"] == "code"
    assert set(asked["scope"].split()) == {"openid", "email", "profile"}
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert len(asked["state"]) >= 20 and len(asked["nonce"]) >= 20
    (exchanged,) = oidc_provider.token_requests
    assert len(exchanged["code_verifier"]) >= 43 and "client_secret" not in exchanged


def test_the_account_has_no_usable_password(sso_app: Flask, oidc_provider: Provider) -> None:
    oidc_provider.person = ANNA
    sso_login(sso_app.test_client())
    response = sso_app.test_client().post(
        "/anmelden", data={"email": "anna.schmidt@delmenhorst.example", "password": ""}
    )
    assert response.status_code in (401, 422)


def test_the_role_follows_the_group_at_the_next_login(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    oidc_provider.person = ANNA
    client = sso_app.test_client()
    sso_login(client)
    client.post("/abmelden")
    oidc_provider.person = Person(
        sub=ANNA.sub, email=ANNA.email, name=ANNA.name, claims={"groups": ["fk-moderation"]}
    )
    response = sso_login(client)
    assert response.status_code == 302
    assert db.session.scalars(select(User.role)).one() == Role.MODERATOR
    assert audit(Action.USER_ROLE) == ["anna.schmidt@delmenhorst.example: staff → moderator"]
    assert client.get("/verwaltung/").status_code == 403  # moderators do not see raw data


def test_the_highest_of_several_groups_counts(sso_app: Flask, oidc_provider: Provider) -> None:
    oidc_provider.person = Person(
        sub="b-2", email="b@delmenhorst.example", claims={"groups": ["fk-moderation", "fk-admin"]}
    )
    sso_login(sso_app.test_client())
    assert db.session.scalars(select(User.role)).one() == Role.ADMIN


def test_roles_at_a_dotted_path_as_keycloak_sends_them(
    app_database: str, oidc_provider: Provider
) -> None:
    oidc_provider.person = Person(
        sub="k-1",
        email="k@delmenhorst.example",
        claims={"realm_access": {"roles": ["offline_access", "fk-admin"]}},
    )
    config = oidc_provider.app_config(OIDC_ROLE_CLAIM="realm_access.roles")
    for application in _app_with(app_database, config):
        assert sso_login(application.test_client()).status_code == 302
        assert db.session.scalars(select(User.role)).one() == Role.ADMIN


def test_roles_only_the_user_info_endpoint_gives_are_read(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    oidc_provider.person = Person(
        sub="u-1", email="u@delmenhorst.example", userinfo_claims={"groups": ["fk-staff"]}
    )
    response = sso_login(sso_app.test_client())
    assert response.headers["Location"] == "/verwaltung/"
    assert db.session.scalars(select(User.role)).one() == Role.STAFF


def test_the_page_asked_for_is_where_the_login_ends(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    oidc_provider.person = ANNA
    response = sso_login(sso_app.test_client(), next_page="/verwaltung/fragenbibliothek")
    assert response.headers["Location"] == "/verwaltung/fragenbibliothek"
    response = sso_login(sso_app.test_client(), next_page="//evil.example/x")
    assert response.headers["Location"] == "/verwaltung/"


def test_a_local_account_is_linked_by_verified_address(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    local = make_user(Role.MODERATOR, email="anna.schmidt@delmenhorst.example")
    oidc_provider.person = Person(
        sub=ANNA.sub, email=ANNA.email, email_verified=False, claims=ANNA.claims
    )
    client = sso_app.test_client()
    refusal_shown(client, sso_login(client), "als bestätigt meldet")
    oidc_provider.person = ANNA
    assert sso_login(client).headers["Location"] == "/verwaltung/"
    db.session.expire_all()
    linked = db.session.scalars(select(User)).one()
    assert (linked.id, linked.oidc_subject, linked.role) == (local.id, ANNA.sub, Role.STAFF)
    # the local password still works beside the city account
    password_client = sso_app.test_client()
    response = password_client.post(
        "/anmelden", data={"email": linked.email, "password": PASSWORDS[Role.MODERATOR]}
    )
    assert response.status_code == 302


# -- refusals --------------------------------------------------------------------------------


def test_a_person_without_a_mapped_group_is_refused(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    oidc_provider.person = Person(
        sub="c-3", email="c@delmenhorst.example", claims={"groups": ["sachbearbeitung"]}
    )
    client = sso_app.test_client()
    refusal_shown(client, sso_login(client), "keine Berechtigung für den Familienkompass")
    assert db.session.scalar(select(User)) is None


def test_withdrawing_the_group_ends_access_and_open_sessions(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    oidc_provider.person = ANNA
    open_session = sso_app.test_client()
    sso_login(open_session)
    assert open_session.get("/verwaltung/").status_code == 200
    oidc_provider.person = Person(sub=ANNA.sub, email=ANNA.email, claims={"groups": []})
    client = sso_app.test_client()
    refusal_shown(client, sso_login(client), "keine Berechtigung")
    assert open_session.get("/verwaltung/").status_code == 302  # logged out everywhere
    assert audit(Action.USER_SSO_REFUSED) == ["anna.schmidt@delmenhorst.example: no-role"]


def test_a_deactivated_account_is_refused(sso_app: Flask, oidc_provider: Provider) -> None:
    admin = make_user(Role.ADMIN)
    oidc_provider.person = ANNA
    sso_login(sso_app.test_client())
    user = db.session.scalars(select(User).where(User.oidc_subject == ANNA.sub)).one()
    set_active(db.session, user, False, admin)
    db.session.commit()
    client = sso_app.test_client()
    refusal_shown(client, sso_login(client), "Ihr Konto im Familienkompass ist gesperrt")


def test_a_wrong_state_is_refused(sso_app: Flask, oidc_provider: Provider) -> None:
    oidc_provider.person = ANNA
    client = sso_app.test_client()
    start = client.post("/anmelden/stadtkonto", data={"next": ""})
    back = urlsplit(via_provider(start.headers["Location"]))
    params = {k: v[0] for k, v in parse_qs(back.query).items()}
    forged = urlencode({**params, "state": "forged-" + params["state"]})
    refusal_shown(client, client.get(f"{back.path}?{forged}"), "abgelaufen")
    # nor does the genuine answer work in another browser (the state lives in the session)
    other = sso_app.test_client()
    refusal_shown(other, other.get(f"{back.path}?{back.query}"), "abgelaufen")
    assert oidc_provider.token_requests == []  # the code was never exchanged
    assert db.session.scalar(select(User)) is None


def test_an_id_token_with_a_wrong_nonce_is_refused(sso_app: Flask, oidc_provider: Provider) -> None:
    oidc_provider.person = ANNA
    oidc_provider.id_token_changes = {"nonce": "replayed-from-another-login"}
    client = sso_app.test_client()
    refusal_shown(client, sso_login(client), "konnte nicht geprüft werden")
    assert len(oidc_provider.token_requests) == 1  # exchanged, then refused on the nonce
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": ["another-client"]},
        {"iss": "http://127.0.0.1:1/other-issuer"},
        {"exp": 1_000_000_000},
    ],
)
def test_an_id_token_for_someone_else_is_refused(
    sso_app: Flask, oidc_provider: Provider, changes: dict[str, Any]
) -> None:
    oidc_provider.person = ANNA
    oidc_provider.id_token_changes = changes
    client = sso_app.test_client()
    refusal_shown(client, sso_login(client), "konnte nicht geprüft werden")
    assert db.session.scalar(select(User)) is None


def test_an_id_token_signed_with_an_unknown_key_is_refused(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    oidc_provider.person = ANNA
    oidc_provider.foreign_key = True
    client = sso_app.test_client()
    refusal_shown(client, sso_login(client), "konnte nicht geprüft werden")
    assert db.session.scalar(select(User)) is None


def test_cancelling_at_the_provider_is_explained(sso_app: Flask, oidc_provider: Provider) -> None:
    oidc_provider.person = None  # the provider answers access_denied
    client = sso_app.test_client()
    refusal_shown(client, sso_login(client), "wurde abgebrochen")


def test_an_unreachable_provider_is_explained(app_database: str) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = {
        "OIDC_ISSUER": closed,
        "OIDC_CLIENT_ID": "fk",
        "OIDC_ROLE_MAP": {"fk-staff": "staff"},
        "OIDC_TIMEOUT": 2,
    }
    for application in _app_with(app_database, config):
        client = application.test_client()
        response = client.post("/anmelden/stadtkonto", data={"next": "/verwaltung/"})
        assert response.status_code == 302
        assert response.headers["Location"] == "/anmelden?next=/verwaltung/"
        page = client.get("/anmelden").get_data(as_text=True)
        assert "Das Stadtkonto ist gerade nicht erreichbar" in page


def test_starts_are_limited_per_client(app_database: str, oidc_provider: Provider) -> None:
    config = oidc_provider.app_config(
        RATELIMIT_ENABLED=True, LOGIN_CLIENT_RATE_LIMIT="2 per minute"
    )
    for application in _app_with(app_database, config):
        client = application.test_client()
        codes = [client.post("/anmelden/stadtkonto").status_code for _ in range(3)]
        assert codes == [302, 302, 429]


def test_a_city_account_login_needs_no_local_second_factor(
    app_database: str, oidc_provider: Provider
) -> None:
    # The provider authenticated the person (with its own second factor); the local TOTP
    # enrolment that TWO_FACTOR_REQUIRED_ROLES demands of password logins is not asked for.
    oidc_provider.person = ANNA
    config = oidc_provider.app_config(TWO_FACTOR_REQUIRED_ROLES="admin,staff")
    for application in _app_with(app_database, config):
        client = application.test_client()
        assert sso_login(client).headers["Location"] == "/verwaltung/"
        assert client.get("/verwaltung/").status_code == 200
        # a password login of a staff account is still sent to the enrolment
        make_user(Role.STAFF)
        password = application.test_client()
        password.post(
            "/anmelden", data={"email": "staff@example.org", "password": PASSWORDS[Role.STAFF]}
        )
        assert password.get("/verwaltung/").status_code == 302


def test_own_account_and_users_page_say_the_account_uses_the_city_account(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    oidc_provider.person = Person(
        sub="adm-1", email="chefin@delmenhorst.example", claims={"groups": ["fk-admin"]}
    )
    client = sso_app.test_client()
    sso_login(client)
    make_user(Role.STAFF)
    own = client.get("/konto/passwort").get_data(as_text=True)
    assert "Ihr Konto ist mit Ihrem Stadtkonto verbunden" in own
    users = client.get("/verwaltung/benutzer").get_data(as_text=True)
    assert users.count("über das Stadtkonto") == 1  # the linked account, not staff@
    log = client.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "Konto über das Stadtkonto angelegt" in log and "Anmeldung mit dem Stadtkonto" in log


def test_logging_out_ends_the_session_at_the_provider_too(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    oidc_provider.person = ANNA
    client = sso_app.test_client()
    sso_login(client)
    response = client.post("/abmelden")
    assert client.get("/verwaltung/").status_code == 302  # logged out here at once
    end = urlsplit(response.headers["Location"])
    assert f"{end.scheme}://{end.netloc}{end.path}" == f"{oidc_provider.issuer}/logout"
    params = {k: v[0] for k, v in parse_qs(end.query).items()}
    assert params["id_token_hint"] == oidc_provider.id_tokens[-1]
    assert params["client_id"] == "familienkompass"
    assert params["post_logout_redirect_uri"] == "http://localhost/anmelden"
    back = via_provider(response.headers["Location"])
    assert urlsplit(back).path == "/anmelden"
    assert "Sie sind abgemeldet." in client.get(back).get_data(as_text=True)
    assert len(oidc_provider.logout_requests) == 1


def test_a_password_session_logs_out_locally(sso_app: Flask, oidc_provider: Provider) -> None:
    make_user(Role.STAFF)
    client = sso_app.test_client()
    client.post("/anmelden", data={"email": "staff@example.org", "password": PASSWORDS[Role.STAFF]})
    assert client.post("/abmelden").headers["Location"] == "/anmelden"
    assert oidc_provider.logout_requests == []


def test_a_discovery_document_naming_another_issuer_is_not_followed(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    oidc_provider.person = ANNA
    oidc_provider.advertised_issuer = "https://login.evil.example"
    client = sso_app.test_client()
    response = client.post("/anmelden/stadtkonto", data={"next": ""})
    assert response.headers["Location"] == "/anmelden"
    assert "nicht erreichbar" in client.get("/anmelden").get_data(as_text=True)
    assert oidc_provider.authorization_requests == []


def test_a_huge_id_token_is_not_kept_in_the_session_cookie(
    sso_app: Flask, oidc_provider: Provider
) -> None:
    # 300 random groups (the cookie's compression cannot shrink them) make an ID token of
    # 10 KB; in the cookie it would exceed the 4 KB browsers keep, and the login would be lost.
    groups = ["fk-staff"] + [f"gruppe-{secrets.token_hex(8)}" for _ in range(300)]
    oidc_provider.person = Person(
        sub="g-1", email="g@delmenhorst.example", claims={"groups": groups}
    )
    client = sso_app.test_client()
    assert sso_login(client).headers["Location"] == "/verwaltung/"
    assert len(oidc_provider.id_tokens[-1]) > 4000
    cookie = client.get_cookie("session")
    assert cookie is not None and len(cookie.value) < 4000
    assert client.get("/verwaltung/").status_code == 200
    end = urlsplit(client.post("/abmelden").headers["Location"])
    params = parse_qs(end.query)
    assert "id_token_hint" not in params and params["client_id"] == ["familienkompass"]
