"""Two-factor login over HTTP: enrolment, the code step, recovery codes, required roles,
switching off, the admin reset, rate limits and CSRF.

Codes are computed with pyotp from the secret the enrolment page shows, as an app would.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.account.second_step import PENDING, issuer
from app.config import ConfigError, load_config
from app.extensions import db
from surveys import two_factor
from surveys.audit import Action
from surveys.models import AuditEvent, RecoveryCode, Role, User
from tests.app.staff_helpers import PASSWORDS, make_user
from tests.app_fixtures import empty_tables, make_app

STAFF_PW = PASSWORDS[Role.STAFF]
MOD_PW = PASSWORDS[Role.MODERATOR]
WRONG_MESSAGE = "Der Code stimmt nicht."
REPLAY_MESSAGE = "Dieser Code wurde bereits verwendet."


def _app(database: str, **overrides: object) -> Iterator[Flask]:
    application = make_app(database, TWO_FACTOR_REQUIRED_ROLES="admin,staff", **overrides)
    with application.app_context():
        try:
            yield application
        finally:  # also when a test fails inside ``for application in _app(...)``
            db.session.rollback()
            empty_tables()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture()
def tfa(app_database: str) -> Iterator[Flask]:
    """The app as production runs it: admin and staff must use a second factor."""
    yield from _app(app_database)


@pytest.fixture()
def limited(app_database: str) -> Iterator[Flask]:
    """The same with rate limiting on."""
    yield from _app(app_database, RATELIMIT_ENABLED=True)


@pytest.fixture()
def guarded(app_database: str) -> Iterator[Flask]:
    """The same with CSRF protection on."""
    yield from _app(app_database, WTF_CSRF_ENABLED=True)


def secret_on(page: bytes) -> str:
    """The secret as the enrolment page shows it for typing into an app."""
    match = re.search(rb"<code data-secret>([A-Z2-7 ]+)</code>", page)
    assert match, page[:2000]
    return match.group(1).decode().replace(" ", "")


def start_enrolment(client: FlaskClient) -> bytes:
    """Press "Einrichtung beginnen" and return the page with the QR code and secret."""
    started = client.post("/konto/zwei-faktor/beginnen")
    assert started.status_code == 302 and started.headers["Location"] == "/konto/zwei-faktor"
    return client.get("/konto/zwei-faktor").data


def recovery_codes_on(page: bytes) -> list[str]:
    return [c.decode() for c in re.findall(rb"<code data-recovery-code>([0-9A-Z-]+)</code>", page)]


def field_error(page: bytes) -> str:
    match = re.search(rb'<p class="error-message" id="f-code-error">(.*?)</p>', page, re.S)
    assert match, page[:3000]
    text = re.sub(r"<[^>]+>", "", match.group(1).decode()).strip()
    return text.removeprefix("Fehler:").strip()  # the prefix for screen readers


def password_step(client: FlaskClient, email: str, password: str, **extra: str):
    return client.post("/anmelden", data={"email": email, "password": password, **extra})


def enrol(app: Flask, role: Role = Role.STAFF) -> tuple[User, str, list[str]]:
    """Create an account with a confirmed second factor; return it, its secret and codes."""
    user = make_user(role)
    secret = two_factor.begin_enrolment(db.session, user)
    # confirmed with the previous time step's code: the current one stays free for a login
    previous = pyotp.TOTP(secret).at(time.time() - 30)
    codes = two_factor.confirm_enrolment(db.session, user, previous)
    db.session.commit()
    return user, secret, codes


def fresh_code(secret: str, user: User) -> str:
    """A code of a time step after the last one used (the next step once this one is spent)."""
    db.session.commit()  # end the test's read transaction: see what the requests wrote
    db.session.refresh(user)
    counter = int(time.time() // 30)
    if user.totp_last_counter is not None and counter <= user.totp_last_counter:
        counter = user.totp_last_counter + 1
    return pyotp.TOTP(secret).at(counter * 30)


def logged_in_with_code(app: Flask, user: User, secret: str, password: str) -> FlaskClient:
    client = app.test_client()
    assert password_step(client, user.email, password).status_code == 302
    response = client.post("/anmelden/code", data={"code": fresh_code(secret, user)})
    assert response.status_code == 302, response.data[:1000]
    return client


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_optional_enrolment_shows_qr_secret_and_then_recovery_codes_once(tfa: Flask) -> None:
    user = make_user(Role.MODERATOR)
    client = tfa.test_client()
    assert password_step(client, user.email, MOD_PW).status_code == 302  # no code: optional
    intro = client.get("/konto/zwei-faktor")
    assert b"<svg" not in intro.data  # a GET changes nothing: no secret before the start
    db.session.commit()
    db.session.refresh(user)
    assert user.totp_secret is None
    start_enrolment(client)
    page = client.get("/konto/zwei-faktor")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.data.decode()
    assert "<svg" in html and "QR-Code für Ihre Authenticator-App" in html
    assert "<img" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # nothing fetched
    secret = secret_on(page.data)
    db.session.refresh(user)
    assert secret == user.totp_secret and user.totp_confirmed_at is None
    # reloading, or pressing "beginnen" again, keeps the secret (a scanned QR code stays valid)
    assert secret_on(client.get("/konto/zwei-faktor").data) == secret
    assert secret_on(start_enrolment(client)) == secret

    wrong = client.post("/konto/zwei-faktor", data={"code": "12345"})
    assert wrong.status_code == 422
    assert field_error(wrong.data).startswith(WRONG_MESSAGE)
    assert 'value="12345"' in wrong.data.decode()  # what was typed stays
    assert secret_on(wrong.data) == secret

    done = client.post("/konto/zwei-faktor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = recovery_codes_on(done.data)
    assert len(codes) == 10 and len(set(codes)) == 10
    db.session.refresh(user)
    assert two_factor.is_enrolled(user)
    stored = set(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not any(c.replace("-", "") in h for c in codes for h in stored)
    # the codes are not shown again
    status = client.get("/konto/zwei-faktor")
    assert status.status_code == 200 and not recovery_codes_on(status.data)
    assert "10 von 10 Wiederherstellungscodes sind noch unbenutzt." in status.data.decode()
    assert audit_actions()[-2:] == [Action.TWO_FACTOR_FAILED, Action.TWO_FACTOR_ENROL]


def test_login_needs_the_code_before_anything_is_logged_in(tfa: Flask) -> None:
    user, secret, _ = enrol(tfa)
    client = tfa.test_client()
    with client.session_transaction() as sess:
        sess["planted"] = "fixation"
    first = password_step(client, user.email, STAFF_PW, next="/verwaltung/bibliothek")
    assert first.status_code == 302 and first.headers["Location"] == "/anmelden/code"
    with client.session_transaction() as sess:
        assert "_user_id" not in sess and "planted" not in sess
        assert sess[PENDING]["uid"] == user.id
    # half-way is not logged in, and the users page does not show a login yet
    assert client.get("/verwaltung/").headers["Location"].startswith("/anmelden")
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is None
    assert client.get("/anmelden/code").status_code == 200

    wrong = client.post("/anmelden/code", data={"code": "000000"})
    if pyotp.TOTP(secret).verify("000000", valid_window=1):  # pragma: no cover - 1 in 333,333
        pytest.skip("000000 happens to be the current code")
    assert wrong.status_code == 422
    assert field_error(wrong.data).startswith(WRONG_MESSAGE)
    assert 'aria-invalid="true"' in wrong.data.decode()
    assert "Bitte prüfen Sie Ihre Eingaben" in wrong.data.decode()

    code = fresh_code(secret, user)
    done = client.post("/anmelden/code", data={"code": code})
    assert done.status_code == 302 and done.headers["Location"] == "/verwaltung/bibliothek"
    with client.session_transaction() as sess:
        assert PENDING not in sess and "_user_id" in sess
    assert client.get("/verwaltung/").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None

    # the same code again, in a new login: refused as a replay
    client.post("/abmelden")
    password_step(client, user.email, STAFF_PW)
    replay = client.post("/anmelden/code", data={"code": code})
    assert replay.status_code == 422
    assert field_error(replay.data).startswith(REPLAY_MESSAGE)
    failed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == Action.TWO_FACTOR_FAILED)
    ).all()
    assert len(failed) == 2 and {e.details for e in failed} == {"staff@example.org: Anmeldung"}


def test_a_recovery_code_logs_in_once(tfa: Flask) -> None:
    user, _, codes = enrol(tfa)
    client = tfa.test_client()
    password_step(client, user.email, STAFF_PW)
    form = client.get("/anmelden/code", query_string={"art": "wiederherstellung"})
    assert 'inputmode="numeric"' not in form.data.decode()
    assert "Wiederherstellungscode" in form.data.decode()
    done = client.post(
        "/anmelden/code", data={"code": codes[3].lower(), "art": "wiederherstellung"}
    )
    assert done.status_code == 302
    landing = client.get(done.headers["Location"])
    assert "Es bleiben noch 9 unbenutzte Codes." in landing.data.decode()
    client.post("/abmelden")
    password_step(client, user.email, STAFF_PW)
    again = client.post("/anmelden/code", data={"code": codes[3]})
    assert again.status_code == 422
    assert two_factor.remaining_recovery_codes(db.session, user) == 9
    assert Action.TWO_FACTOR_RECOVERY in audit_actions()


def test_the_pending_login_expires(tfa: Flask) -> None:
    user, secret, _ = enrol(tfa)
    client = tfa.test_client()
    password_step(client, user.email, STAFF_PW)
    with client.session_transaction() as sess:
        pending = dict(sess[PENDING])
        pending["until"] = int(time.time()) - 1
        sess[PENDING] = pending
    response = client.post("/anmelden/code", data={"code": fresh_code(secret, user)})
    assert response.status_code == 302 and response.headers["Location"] == "/anmelden"
    assert client.get("/verwaltung/").status_code == 302


def test_a_password_change_elsewhere_voids_the_pending_login(tfa: Flask) -> None:
    user, secret, _ = enrol(tfa)
    client = tfa.test_client()
    password_step(client, user.email, STAFF_PW)
    user.session_token = "rotated-" + user.session_token[8:]
    db.session.commit()
    response = client.post("/anmelden/code", data={"code": fresh_code(secret, user)})
    assert response.headers["Location"] == "/anmelden"


def test_required_role_without_a_factor_must_enrol_before_anything_else(tfa: Flask) -> None:
    user = make_user(Role.STAFF)
    client = tfa.test_client()
    first = password_step(client, user.email, STAFF_PW, next="/verwaltung/bibliothek")
    assert first.headers["Location"] == "/konto/zwei-faktor"
    # not logged in: the staff area, the account page and the code step are closed
    assert client.get("/verwaltung/").headers["Location"].startswith("/anmelden")
    assert client.get("/konto/passwort").headers["Location"].startswith("/anmelden")
    page = start_enrolment(client)
    assert "Für Ihre Rolle ist die Zwei-Faktor-Anmeldung vorgeschrieben" in page.decode()
    secret = secret_on(page)
    done = client.post("/konto/zwei-faktor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and len(recovery_codes_on(done.data)) == 10
    assert 'href="/verwaltung/bibliothek"' in done.data.decode()  # on to the page asked for
    with client.session_transaction() as sess:
        assert PENDING not in sess and "_user_id" in sess
    assert client.get("/verwaltung/").status_code == 200


def test_a_logged_in_session_without_its_required_factor_reaches_only_enrolment(
    app_database: str,
) -> None:
    # logged in while 2FA was optional; then the city switches the requirement on
    relaxed = make_app(app_database, TWO_FACTOR_REQUIRED_ROLES="")
    with relaxed.app_context():
        make_user(Role.STAFF)
        client = relaxed.test_client()
        assert password_step(client, "staff@example.org", STAFF_PW).status_code == 302
        cookie = client.get_cookie("session")
        assert cookie is not None
        db.session.remove()
        db.engine.dispose()  # no pooled connection left for the garbage collector
    for application in _app(app_database):
        strict = application.test_client()
        strict.set_cookie("session", cookie.value)
        for path in ("/verwaltung/", "/workshop/", "/konto/passwort", "/verwaltung/bibliothek"):
            response = strict.get(path)
            assert response.status_code == 302, path
            assert response.headers["Location"] == "/konto/zwei-faktor", path
        assert strict.get("/konto/zwei-faktor").status_code == 200
        assert strict.get("/").status_code == 200  # public pages stay public
        assert strict.post("/abmelden").status_code == 302


def test_moderators_may_log_in_without_a_factor_and_switch_theirs_off(tfa: Flask) -> None:
    user, secret, _ = enrol(tfa, Role.MODERATOR)
    client = logged_in_with_code(tfa, user, secret, MOD_PW)
    page = client.get("/konto/zwei-faktor")
    assert "Zwei-Faktor-Anmeldung ausschalten" in page.data.decode()
    refused = client.post(
        "/konto/zwei-faktor/ausschalten",
        data={"off_password": "falsch", "off_code": fresh_code(secret, user)},
    )
    assert refused.status_code == 422
    assert 'id="f-off_password-error"' in refused.data.decode()
    db.session.refresh(user)
    assert two_factor.is_enrolled(user)
    done = client.post(
        "/konto/zwei-faktor/ausschalten",
        data={"off_password": MOD_PW, "off_code": fresh_code(secret, user)},
    )
    assert done.status_code == 302
    db.session.refresh(user)
    assert not two_factor.is_enrolled(user)
    assert Action.TWO_FACTOR_DISABLE in audit_actions()
    client.post("/abmelden")
    assert password_step(client, user.email, MOD_PW).headers["Location"] != "/anmelden/code"


def test_a_required_factor_cannot_be_switched_off(tfa: Flask) -> None:
    user, secret, _ = enrol(tfa)
    client = logged_in_with_code(tfa, user, secret, STAFF_PW)
    page = client.get("/konto/zwei-faktor").data.decode()
    assert "off_password" not in page and "lässt sich nicht ausschalten" in page
    response = client.post(
        "/konto/zwei-faktor/ausschalten",
        data={"off_password": STAFF_PW, "off_code": fresh_code(secret, user)},
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert two_factor.is_enrolled(user)


def test_new_recovery_codes_need_a_current_code(tfa: Flask) -> None:
    user, secret, old = enrol(tfa)
    client = logged_in_with_code(tfa, user, secret, STAFF_PW)
    refused = client.post("/konto/zwei-faktor/wiederherstellungscodes", data={"codes_code": ""})
    assert refused.status_code == 422 and "Bitte geben Sie den Code ein." in refused.data.decode()
    done = client.post(
        "/konto/zwei-faktor/wiederherstellungscodes",
        data={"codes_code": fresh_code(secret, user)},
    )
    new = recovery_codes_on(done.data)
    assert done.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    assert done.headers["Cache-Control"] == "no-store"


def test_admin_resets_a_lost_factor_and_the_account_enrols_again(tfa: Flask) -> None:
    admin, admin_secret, _ = enrol(tfa, Role.ADMIN)
    user, secret, _ = enrol(tfa)
    staff_client = logged_in_with_code(tfa, user, secret, STAFF_PW)
    client = logged_in_with_code(tfa, admin, admin_secret, PASSWORDS[Role.ADMIN])
    listing = client.get("/verwaltung/benutzer").data.decode()
    reset_url = f"/verwaltung/benutzer/{user.id}/zwei-faktor-zuruecksetzen"
    assert reset_url in listing
    assert f"/verwaltung/benutzer/{admin.id}/zwei-faktor-zuruecksetzen" not in listing
    confirm = client.get(reset_url)
    assert confirm.status_code == 200
    assert "Möchten Sie den zweiten Faktor von staff@example.org wirklich" in confirm.data.decode()
    done = client.post(reset_url)
    assert done.status_code == 302
    db.session.refresh(user)
    assert user.totp_secret is None
    assert two_factor.remaining_recovery_codes(db.session, user) == 0
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.action == Action.TWO_FACTOR_RESET
    assert event.actor == admin.email and event.details == user.email
    # the staff member's session ended; the next login leads to a new enrolment
    assert staff_client.get("/verwaltung/").headers["Location"].startswith("/anmelden")
    again = password_step(tfa.test_client(), user.email, STAFF_PW)
    assert again.headers["Location"] == "/konto/zwei-faktor"


def test_only_admins_reset(tfa: Flask) -> None:
    user, secret, _ = enrol(tfa)
    other = make_user(Role.MODERATOR, "mod@example.org")
    client = logged_in_with_code(tfa, user, secret, STAFF_PW)
    assert client.post(
        f"/verwaltung/benutzer/{other.id}/zwei-faktor-zuruecksetzen"
    ).status_code == (403)


def test_cli_resets_the_second_factor(tfa: Flask) -> None:
    user, _, _ = enrol(tfa)
    runner = tfa.test_cli_runner()
    result = runner.invoke(args=["users", "reset-2fa", "STAFF@example.org"])
    assert result.exit_code == 0, result.output
    assert "Zweiter Faktor zurückgesetzt: staff@example.org" in result.output
    db.session.refresh(user)
    assert user.totp_secret is None
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.actor == "Kommandozeile"
    again = runner.invoke(args=["users", "reset-2fa", "staff@example.org"])
    assert again.exit_code == 1 and "kein zweiter Faktor" in again.output
    missing = runner.invoke(args=["users", "reset-2fa", "niemand@example.org"])
    assert missing.exit_code == 1


def test_wrong_codes_are_throttled_per_account_and_client(limited: Flask) -> None:
    user, secret, _ = enrol(limited)
    client = limited.test_client()
    password_step(client, user.email, STAFF_PW)
    valid = {pyotp.TOTP(secret).at(time.time() + k * 30) for k in (-1, 0, 1)}
    wrong = next(c for c in ("000000", "111111", "222222") if c not in valid)
    statuses = [client.post("/anmelden/code", data={"code": wrong}).status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    # even the right code is refused while throttled
    assert client.post("/anmelden/code", data={"code": fresh_code(secret, user)}).status_code == (
        429
    )
    # another account from the same client is not affected
    admin, admin_secret, _ = enrol(limited, Role.ADMIN)
    logged_in_with_code(limited, admin, admin_secret, PASSWORDS[Role.ADMIN])


def test_every_two_factor_form_needs_the_csrf_token(guarded: Flask) -> None:
    user, _, _ = enrol(guarded)
    client = guarded.test_client()
    page = client.get("/anmelden").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    step = client.post(
        "/anmelden",
        data={"email": user.email, "password": STAFF_PW, "csrf_token": token.group(1)},
    )
    assert step.headers["Location"] == "/anmelden/code"
    assert client.post("/anmelden/code", data={"code": "123456"}).status_code == 400
    assert client.post("/konto/zwei-faktor", data={"code": "123456"}).status_code == 400
    for path in (
        "/konto/zwei-faktor/beginnen",
        "/konto/zwei-faktor/ausschalten",
        "/konto/zwei-faktor/wiederherstellungscodes",
        f"/verwaltung/benutzer/{user.id}/zwei-faktor-zuruecksetzen",
    ):
        assert client.post(path).status_code == 400, path
    form = client.get("/anmelden/code").data.decode()
    assert 'name="csrf_token"' in form


def test_without_the_requirement_staff_log_in_with_the_password_alone(app: Flask) -> None:
    # the test configuration (and development) requires no second factor
    assert app.config["TWO_FACTOR_REQUIRED_ROLES"] == ""
    make_user(Role.STAFF)
    response = password_step(app.test_client(), "staff@example.org", STAFF_PW)
    assert response.headers["Location"] == "/verwaltung/"


def test_production_requires_the_factor_of_admin_and_staff_by_default(tmp_path) -> None:
    production = {"APP_ENV": "production", "SECRET_KEY": "s" * 40}
    assert load_config(str(tmp_path), env=production)["TWO_FACTOR_REQUIRED_ROLES"] == (
        "admin,staff"
    )
    assert load_config(str(tmp_path), env={})["TWO_FACTOR_REQUIRED_ROLES"] == ""
    # switched off on purpose, or extended to moderators
    off = {**production, "TWO_FACTOR_REQUIRED_ROLES": ""}
    assert load_config(str(tmp_path), env=off)["TWO_FACTOR_REQUIRED_ROLES"] == ""
    everyone = {"TWO_FACTOR_REQUIRED_ROLES": " Moderator,admin ,staff"}
    assert load_config(str(tmp_path), env=everyone)["TWO_FACTOR_REQUIRED_ROLES"] == (
        "admin,moderator,staff"
    )
    with pytest.raises(ConfigError, match="stafff"):
        load_config(str(tmp_path), env={**production, "TWO_FACTOR_REQUIRED_ROLES": "stafff"})


def test_the_app_names_the_configured_issuer(app_database: str) -> None:
    default = make_app(app_database)
    assert default.config["TWO_FACTOR_ISSUER"] == ""
    with default.test_request_context():
        assert issuer() == default.config["SITE_NAME"] == "Familienkompass Delmenhorst"
    named = make_app(app_database, TWO_FACTOR_ISSUER="Stadt Delmenhorst")
    with named.test_request_context():
        assert issuer() == "Stadt Delmenhorst"
