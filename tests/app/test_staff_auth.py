"""Login, logout, throttling, enumeration, next= redirects, timeouts and password change."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from argon2.profiles import RFC_9106_LOW_MEMORY
from flask import Flask

import surveys.accounts
from app.account.safety import safe_next
from app.account.session_timeouts import LOGIN_AT, SEEN_AT
from app.extensions import db
from surveys import passwords
from surveys.models import AuditEvent, Role, User
from tests.app.staff_helpers import PASSWORDS, logged_in, login, make_user
from tests.app_fixtures import empty_tables, make_app

STAFF_PW = PASSWORDS[Role.STAFF]


def test_login_starts_a_fresh_session_and_goes_to_the_staff_area(app: Flask) -> None:
    make_user(Role.STAFF)
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["planted"] = "fixation"
    response = client.post("/anmelden", data={"email": "STAFF@example.org ", "password": STAFF_PW})
    assert response.status_code == 302
    assert response.headers["Location"] == "/verwaltung/"
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert LOGIN_AT in sess


def test_unknown_user_and_wrong_password_get_the_same_answer(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(Role.STAFF)
    calls: list[str | None] = []
    original = surveys.accounts.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        calls.append(password_hash)
        return original(password_hash, password)

    monkeypatch.setattr(surveys.accounts, "verify_password", counting)
    client = app.test_client()
    wrong = client.post(
        "/anmelden", data={"email": "staff@example.org", "password": "falsch-falsch-falsch"}
    )
    unknown = client.post(
        "/anmelden", data={"email": "niemand@example.org", "password": "falsch-falsch-falsch"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.data.replace(b"staff@example.org", b"X") == unknown.data.replace(
        b"niemand@example.org", b"X"
    )
    # both paths run one argon2 verification (the unknown user against a dummy hash)
    assert len(calls) == 2 and calls[1] is None


@pytest.fixture
def production_hasher() -> Iterator[None]:
    """argon2id at argon2-cffi's default (production) cost, for timing tests."""
    default = RFC_9106_LOW_MEMORY
    cheap = passwords.current_parameters()
    passwords.configure_hasher(
        time_cost=default.time_cost,
        memory_cost=default.memory_cost,
        parallelism=default.parallelism,
    )
    yield
    passwords.configure_hasher(**cheap)


@pytest.mark.usefixtures("production_hasher")
def test_unknown_user_takes_about_as_long_as_a_wrong_password(app: Flask) -> None:
    make_user(Role.STAFF)
    client = app.test_client()

    def timed(email: str) -> float:
        start = time.perf_counter()
        client.post("/anmelden", data={"email": email, "password": "falsch-falsch-falsch"})
        return time.perf_counter() - start

    wrong = min(timed("staff@example.org") for _ in range(3))
    unknown = min(timed("niemand@example.org") for _ in range(3))
    assert unknown > wrong / 3  # same argon2 work, not an early return


def test_disabled_account_cannot_log_in(app: Flask) -> None:
    user = make_user(Role.STAFF)
    user.active = False
    db.session.commit()
    response = app.test_client().post("/anmelden", data={"email": user.email, "password": STAFF_PW})
    assert response.status_code == 401


@pytest.fixture()
def limited_app(app_database: str) -> Iterator[Flask]:
    """An app with rate limiting switched on."""
    application = make_app(app_database, RATELIMIT_ENABLED=True)
    with application.app_context():
        yield application
        db.session.rollback()
        empty_tables()
        db.session.remove()
        db.engine.dispose()


def test_sixth_failed_attempt_within_a_minute_gets_429(limited_app: Flask) -> None:
    make_user(Role.STAFF)
    make_user(Role.ADMIN)
    client = limited_app.test_client()
    bad = {"email": "staff@example.org", "password": "falsch-falsch-falsch"}
    statuses = [client.post("/anmelden", data=bad).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    # even the right password is refused while the account is throttled
    assert client.post("/anmelden", data={**bad, "password": STAFF_PW}).status_code == 429
    # other accounts are not affected
    login(limited_app.test_client(), Role.ADMIN)


def test_successful_logins_do_not_count_against_the_limit(limited_app: Flask) -> None:
    make_user(Role.STAFF)
    for _ in range(7):
        login(limited_app.test_client(), Role.STAFF)


def test_logout_invalidates_the_session_on_the_server(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    cookie = client.get_cookie("session")
    assert cookie is not None
    stolen = app.test_client()
    stolen.set_cookie("session", cookie.value)
    assert stolen.get("/verwaltung/").status_code == 200
    assert client.post("/abmelden").status_code == 302
    # the copied cookie is now worthless: the session token was rotated
    response = stolen.get("/verwaltung/")
    assert response.status_code == 302 and "/anmelden" in response.headers["Location"]


def test_logout_needs_post(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    assert client.get("/abmelden").status_code == 405


BAD_NEXT = [
    "//evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "https://evil.example/",
    "/\\evil.example",
    "\\/evil.example",
    "/%0a/evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", BAD_NEXT)
def test_next_only_redirects_to_local_paths(app: Flask, target: str) -> None:
    make_user(Role.STAFF)
    client = app.test_client()
    page = client.get("/anmelden", query_string={"next": target})
    assert page.status_code == 200
    response = client.post(
        "/anmelden", data={"email": "staff@example.org", "password": STAFF_PW, "next": target}
    )
    assert response.headers["Location"] == "/verwaltung/"


def test_next_to_a_local_path_is_followed(app: Flask) -> None:
    make_user(Role.STAFF)
    response = app.test_client().post(
        "/anmelden",
        data={
            "email": "staff@example.org",
            "password": STAFF_PW,
            "next": "/verwaltung/bibliothek?feld=bildung",
        },
    )
    assert response.headers["Location"] == "/verwaltung/bibliothek?feld=bildung"


def test_safe_next_unit() -> None:
    assert safe_next("/verwaltung/") == "/verwaltung/"
    assert all(safe_next(t) is None for t in BAD_NEXT)
    assert safe_next("/\x00x") is None


def test_anonymous_is_sent_to_login_with_next(app: Flask) -> None:
    response = app.test_client().get("/verwaltung/bibliothek")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/anmelden?next=")


@pytest.mark.parametrize("stamp", [LOGIN_AT, SEEN_AT])
def test_idle_and_absolute_timeouts_end_the_session(app: Flask, stamp: str) -> None:
    client = logged_in(app, Role.STAFF)
    with client.session_transaction() as sess:
        sess[stamp] = int(time.time()) - 9 * 3600
    response = client.get("/verwaltung/")
    assert response.status_code == 302 and "/anmelden" in response.headers["Location"]
    assert client.get("/verwaltung/").status_code == 302


def test_password_change_checks_policy_and_ends_other_sessions(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    other = login(app.test_client(), Role.STAFF)
    wrong = client.post(
        "/konto/passwort", data={"current": "nicht-richtig-123", "password": "x", "confirm": "x"}
    )
    assert wrong.status_code == 422
    assert "Das bisherige Passwort stimmt nicht." in wrong.get_data(as_text=True)
    common = client.post(
        "/konto/passwort",
        data={"current": STAFF_PW, "password": "password1234", "confirm": "password1234"},
    )
    assert "zu verbreitet" in common.get_data(as_text=True)
    new = "Neues Passwort für den Herbst"
    ok = client.post("/konto/passwort", data={"current": STAFF_PW, "password": new, "confirm": new})
    assert ok.status_code == 302
    assert client.get("/verwaltung/").status_code == 200  # this session continues
    assert other.get("/verwaltung/").status_code == 302  # the other one ended
    user = db.session.query(User).filter_by(email="staff@example.org").one()
    assert surveys.accounts.verify_password(user.password_hash, new)
    assert db.session.query(AuditEvent).filter_by(action="user.password").count() == 1


def test_login_form_has_csrf_protection(app_database: str) -> None:
    application = make_app(app_database, WTF_CSRF_ENABLED=True)
    with application.app_context():
        try:
            make_user(Role.STAFF)
            response = application.test_client().post(
                "/anmelden", data={"email": "staff@example.org", "password": STAFF_PW}
            )
            assert response.status_code == 400
        finally:
            db.session.rollback()
            empty_tables()
            db.session.remove()
            db.engine.dispose()


def test_moderator_lands_on_the_workshop(app: Flask) -> None:
    make_user(Role.MODERATOR)
    response = app.test_client().post(
        "/anmelden",
        data={"email": "moderator@example.org", "password": PASSWORDS[Role.MODERATOR]},
    )
    assert response.headers["Location"] == "/workshop/"
