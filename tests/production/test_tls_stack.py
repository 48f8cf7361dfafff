"""Staff, citizens and moderators through the production stack (nginx TLS → gunicorn).

The review found that behind TLS every POST was refused: ``Referrer-Policy: no-referrer``
left browsers without a Referer, and Flask-WTF's strict HTTPS check refused the form. These
tests click through the real stack in headless Chromium, so such a set-up fault shows.
"""

from __future__ import annotations

import re
import ssl
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.test_citizen_demo import answer_page, go_on
from tests.production.stack import Stack

pytestmark = pytest.mark.production

DEMO_PASSWORDS = {
    "staff@example.org": "Demo-Mitarbeit Kompass 2026",
    "moderator@example.org": "Demo-Moderation Kompass 2026",
}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(chromium: Any) -> Iterator[Any]:
    # The certificate is self-signed for 127.0.0.1; a city's would come from its CA.
    context = chromium.new_context(
        ignore_https_errors=True, viewport={"width": 1280, "height": 900}, locale="de-DE"
    )
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def log_in(page: Any, stack: Stack, email: str) -> None:
    page.goto(f"{stack.url}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(DEMO_PASSWORDS[email])
    page.get_by_role("button", name="Anmelden").click()
    expect(page).not_to_have_url(re.compile(r"/anmelden"))


def test_headers_over_tls_allow_same_origin_posts(stack: Stack) -> None:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    url = f"{stack.url}/anmelden"
    with urllib.request.urlopen(url, context=context) as response:  # noqa: S310 - https
        headers = response.headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    # the browser sends the Referer to this site only, which Flask-WTF's HTTPS check needs
    assert headers["Referrer-Policy"] == "same-origin"
    cookie = headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_staff_log_in_and_out_through_tls(page: Any, stack: Stack) -> None:
    import time

    import pyotp

    # production requires a second factor of staff: the demo account enrols at its first login
    log_in(page, stack, "staff@example.org")
    expect(page).to_have_url(re.compile(r"/konto/zwei-faktor$"))
    page.get_by_role("button", name="Einrichtung beginnen").click()
    totp = pyotp.TOTP(page.locator("[data-secret]").inner_text().replace(" ", ""))
    page.get_by_label("Code aus der App").fill(totp.now())
    page.get_by_role("button", name="Bestätigen und einschalten").click()
    page.get_by_role("link", name=re.compile("Codes gesichert")).click()
    expect(page.get_by_role("heading", name="Umfragen", exact=True)).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()
    expect(page.locator("body")).to_contain_text("abgemeldet")
    # and then logs in with password and code
    page.goto(f"{stack.url}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(DEMO_PASSWORDS["staff@example.org"])
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/anmelden/code$"))
    page.get_by_label("Code aus Ihrer Authenticator-App").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Umfragen", exact=True)).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()
    expect(page.locator("body")).to_contain_text("abgemeldet")
    page.goto(f"{stack.url}/verwaltung/")
    expect(page).to_have_url(re.compile(r"/anmelden\?next="))


def test_citizen_answers_the_demo_to_the_thank_you_page(page: Any, stack: Stack) -> None:
    page.goto(f"{stack.url}/")
    page.get_by_role("link", name=re.compile("Bilanzierungs-Audit 2026")).first.click()
    page.locator("main form input[type=radio]").first.check()
    page.get_by_role("button", name="Fragebogen beginnen").click()
    for _ in range(20):
        expect(page.locator("h1")).to_be_visible()
        if "/pruefen" in page.url:
            break
        answer_page(page)
        go_on(page)
    page.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_url(re.compile(r".*/danke$"))
    expect(page.locator("h1")).to_contain_text("Vielen Dank")


def test_moderator_opens_the_dashboard(page: Any, stack: Stack) -> None:
    log_in(page, stack, "moderator@example.org")
    page.get_by_role("navigation", name="Verwaltung").get_by_role(
        "link", name="Auswertung", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Auswertungen")
    page.locator("main table a").first.click()
    expect(page.locator("table.heatmap").first).to_contain_text("Bildung und Erziehung")
    page.get_by_role("button", name="Abmelden").click()
    expect(page.locator("body")).to_contain_text("abgemeldet")


def test_moderator_gets_the_mappe_through_the_background_job(page: Any, stack: Stack) -> None:
    from demo.content import CURRENT

    log_in(page, stack, "moderator@example.org")
    page.goto(f"{stack.url}/workshop/{CURRENT.slug}/mappe.pdf")
    expect(page).to_have_url(re.compile(r"/auftraege/[0-9a-f-]{36}$"))
    # The worker makes the PDF; the page's script polls its status and shows the download.
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Die Workshop-Mappe (PDF) ist fertig", timeout=180_000)
    with page.expect_download() as info:
        page.get_by_role("link", name="Herunterladen").click()
    download = info.value
    assert download.suggested_filename == f"workshop-mappe-{CURRENT.slug}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    page.get_by_role("button", name="Abmelden").click()


def test_no_client_address_in_any_server_log(stack: Stack) -> None:
    logs = stack.logs()
    assert "ip=" not in logs
    assert " - - [" not in logs
