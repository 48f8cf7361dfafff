"""A staff member enrols a second factor and logs in with it, in headless Chromium.

The server runs as production configures it: admin and staff must use a second factor, CSRF
is on. The test reads the secret from the enrolment page and computes the codes with pyotp,
as an authenticator app would; axe-core checks the enrolment, recovery-code and code pages,
also at 360 px. ``FK_SCREENSHOTS=/dir`` keeps the screenshots.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app.extensions import db
from surveys.accounts import create_user
from tests.app_fixtures import empty_tables, make_app
from tests.browser.screens import no_horizontal_scroll, shot
from tests.browser.wsgi import read_static_files_at_once

pytestmark = pytest.mark.browser

PASSWORD = "Fragebogen-Werkstatt 2026"


@pytest.fixture(scope="module")
def strict_server(app_database: str) -> Iterator[tuple[Flask, str]]:
    """A live server of the app with the second factor required for admin and staff."""
    app = make_app(
        app_database,
        WTF_CSRF_ENABLED=True,
        SERVER_NAME=None,
        TWO_FACTOR_REQUIRED_ROLES="admin,staff",
    )
    server = make_server("127.0.0.1", 0, read_static_files_at_once(app.wsgi_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture()
def strict(strict_server: tuple[Flask, str]) -> Iterator[str]:
    """The server's base URL with a staff account; tables are emptied afterwards."""
    app, url = strict_server
    with app.app_context():
        create_user(db.session, "staff@example.org", PASSWORD, "staff")
        db.session.commit()
        yield url
        db.session.rollback()
        empty_tables()
        db.session.remove()


def check(page: Any, axe: Any, name: str) -> None:
    shot(page, name)
    axe(page, name)


def password_step(page: Any, base: str) -> None:
    page.goto(f"{base}/verwaltung/")
    expect(page).to_have_url(re.compile(r"/anmelden\?next="))
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def begin(page: Any) -> None:
    expect(page).to_have_url(re.compile(r"/konto/zwei-faktor$"))
    page.get_by_role("button", name="Einrichtung beginnen").click()
    expect(page.locator("main svg")).to_be_visible()


def read_secret(page: Any) -> str:
    return str(page.locator("[data-secret]").inner_text()).replace(" ", "")


def test_staff_member_enrols_logs_out_and_logs_in_with_a_code(
    page: Any, axe: Any, strict: str
) -> None:
    # the password alone leads to the enrolment, not into the staff area
    password_step(page, strict)
    expect(page).to_have_url(re.compile(r"/konto/zwei-faktor$"))
    expect(page.get_by_role("heading", name="Zwei-Faktor-Anmeldung einrichten")).to_be_visible()
    check(page, axe, "enrol-start")
    begin(page)
    check(page, axe, "enrol")
    secret = read_secret(page)
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    # a typo is refused at the field, with what was typed kept
    page.get_by_label("Code aus der App").fill("12345")
    page.get_by_role("button", name="Bestätigen und einschalten").click()
    error = page.locator("#f-code-error")
    expect(error).to_contain_text("Der Code stimmt nicht.")
    expect(page.get_by_label("Code aus der App")).to_have_value("12345")
    expect(page.get_by_label("Code aus der App")).to_have_attribute("aria-invalid", "true")
    check(page, axe, "enrol-error")
    assert read_secret(page) == secret

    totp = pyotp.TOTP(secret)
    page.get_by_label("Code aus der App").fill(totp.now())
    page.get_by_role("button", name="Bestätigen und einschalten").click()
    expect(
        page.get_by_role("heading", name="Die Zwei-Faktor-Anmeldung ist eingeschaltet")
    ).to_be_visible()
    codes = page.locator("[data-recovery-code]").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    check(page, axe, "recovery-codes")
    page.get_by_role("link", name=re.compile("Codes gesichert")).click()
    expect(page.get_by_role("heading", name="Umfragen", exact=True)).to_be_visible()

    # log out, log in with password and code
    page.get_by_role("button", name="Abmelden").click()
    expect(page.locator("body")).to_contain_text("abgemeldet")
    password_step(page, strict)
    expect(page).to_have_url(re.compile(r"/anmelden/code$"))
    expect(page.get_by_role("heading", name="Anmeldung bestätigen")).to_be_visible()
    check(page, axe, "code")
    # the code used for the enrolment is spent: the next time step's code (inside the window)
    page.get_by_label("Code aus Ihrer Authenticator-App").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Umfragen", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/verwaltung/$"))


def test_enrolment_and_code_pages_fit_a_small_phone(
    mobile_page: Any, axe: Any, strict: str
) -> None:
    page = mobile_page
    password_step(page, strict)
    begin(page)
    assert no_horizontal_scroll(page)
    qr = page.locator("main svg").bounding_box()
    assert qr is not None and qr["width"] <= 360
    check(page, axe, "enrol-360")
    totp = pyotp.TOTP(read_secret(page))
    page.get_by_label("Code aus der App").fill(totp.now())
    page.get_by_role("button", name="Bestätigen und einschalten").click()
    expect(page.locator("[data-recovery-code]").first).to_be_visible()
    assert no_horizontal_scroll(page)
    check(page, axe, "recovery-codes-360")
    page.get_by_role("link", name=re.compile("Codes gesichert")).click()
    page.get_by_role("button", name="Abmelden").click()
    password_step(page, strict)
    expect(page).to_have_url(re.compile(r"/anmelden/code$"))
    valid = {totp.at(time.time() + k * 30) for k in (-1, 0, 1, 2)}
    wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
    page.get_by_label("Code aus Ihrer Authenticator-App").fill(wrong)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#f-code-error")).to_be_visible()
    assert no_horizontal_scroll(page)
    check(page, axe, "code-error-360")
