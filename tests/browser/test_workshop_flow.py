"""Moderator flow in headless Chromium: record a goal with measures, run a vote from a second
browser context, export the annex, freeze; axe finds no serious or critical violation.

Self-contained (own live server), so it does not depend on the shared browser fixtures.
Set ``WORKSHOP_SCREENSHOTS=<folder>`` to keep screenshots of every page.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_login.utils import _create_identifier
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app.extensions import db
from surveys.models import Role, Survey, VoteSet
from surveys.workshop.agreements import start_agreement
from tests.app.workshop_support import make_user
from tests.browser.wsgi import read_static_files_at_once

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
UA = "Mozilla/5.0 (X11; Linux x86_64) Familienkompass-Test"


@pytest.fixture()
def live(wapp: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, read_static_files_at_once(wapp.wsgi_app), threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture()
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def session_cookie(application: Flask, user_id: str) -> str:
    """A signed Flask session cookie that logs the browser in (no login view needed)."""
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": UA}
    with application.test_request_context(environ_base=environ):
        identifier = _create_identifier()
    serializer = application.session_interface.get_signing_serializer(application)  # type: ignore[attr-defined]
    return str(serializer.dumps({"_user_id": user_id, "_fresh": True, "_id": identifier}))


def check_axe(page: Any, name: str) -> None:
    results = axe_module.Axe().run(page)
    bad = [
        v["id"]
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert bad == [], (name, bad)
    folder = os.environ.get("WORKSHOP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_moderator_records_votes_exports_and_freezes(
    wapp: Flask,
    live: str,
    browser: Any,
    tmp_path: Path,
) -> None:
    from datetime import date

    survey = Survey(slug="bilanz-2026", title="Bilanz 2026")
    db.session.add(survey)
    db.session.flush()
    start_agreement(db.session, survey, date(2027, 1, 1))
    user = make_user(Role.MODERATOR, email="moderatorin@example.org")
    db.session.commit()

    context = browser.new_context(user_agent=UA, locale="de-DE", accept_downloads=True)
    context.add_cookies(
        [{"name": "session", "value": session_cookie(wapp, user.get_id()), "url": live}]
    )
    page = context.new_page()
    page.goto(f"{live}/workshop/bilanz-2026/")
    check_axe(page, "01-agreement")
    page.get_by_role("link", name="3. Bildung und Erziehung").first.click()

    page.get_by_label("Titel des Ziels").fill("Ganztag bedarfsgerecht ausbauen")
    page.get_by_role("button", name="Ziel speichern").click()
    expect(
        page.get_by_role("heading", name="Ziel 3.1: Ganztag bedarfsgerecht ausbauen")
    ).to_be_visible()

    for title, cost in (
        ("Ferienbetreuung an allen Grundschulen", "teuer"),
        ("Hausaufgabenhilfe mit Ehrenamtlichen", "8000"),
    ):
        page.get_by_role("link", name="Maßnahme hinzufügen").click()
        page.get_by_label("Titel", exact=False).first.fill(title)
        page.get_by_label("Verantwortliche Stelle").fill("Fachdienst Schule")
        page.get_by_label("Beginn").fill("2027-08-01")
        page.get_by_label("Ende").fill("2029-07-31")
        page.get_by_label("Geschätzte Kosten in Euro").fill(cost)
        page.get_by_label("hoch").check()
        page.get_by_role("button", name="Maßnahme speichern").click()
        if cost == "teuer":
            expect(page.get_by_role("alert").first).to_be_visible()
            check_axe(page, "02-measure-error")
            assert page.get_by_label("Titel", exact=False).first.input_value() == title
            page.get_by_label("Geschätzte Kosten in Euro").fill("120.000")
            page.get_by_role("button", name="Maßnahme speichern").click()
    check_axe(page, "03-field")
    expect(page.get_by_text("120.000 €")).to_be_visible()

    page.get_by_label("Punkte je Person").fill("5")
    page.get_by_role("button", name="Abstimmung starten").click()
    page.wait_for_url("**/workshop/abstimmung/*")
    link = page.locator(".ws-vote-url a").inner_text()
    assert "/v/" in link
    check_axe(page, "04-vote-screen")

    phone = browser.new_context(user_agent=UA, viewport={"width": 390, "height": 844})
    ballot = phone.new_page()
    ballot.goto(link)
    check_axe(ballot, "05-ballot")
    ballot.get_by_label("Ferienbetreuung an allen Grundschulen").fill("4")
    ballot.get_by_label("Hausaufgabenhilfe mit Ehrenamtlichen").fill("3")
    assert "Zu viele Punkte" in ballot.locator("#remaining").inner_text()
    ballot.get_by_role("button", name="Punkte abgeben").click()
    expect(ballot.get_by_role("alert").first).to_be_visible()
    check_axe(ballot, "06-ballot-error")
    ballot.get_by_label("Hausaufgabenhilfe mit Ehrenamtlichen").fill("1")
    ballot.get_by_role("button", name="Punkte abgeben").click()
    expect(ballot.get_by_text("Ihre Punkte sind gespeichert")).to_be_visible()
    phone.close()

    # the moderator's table refreshes by itself (results.js)
    page.locator("#vote-results").get_by_text("1 Person hat abgestimmt").wait_for(timeout=10000)
    check_axe(page, "07-vote-results")
    assert db.session.query(VoteSet).count() == 1
    # ending asks first; "Abbrechen" keeps the vote running
    page.get_by_role("link", name="Abstimmung beenden …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abstimmung wirklich beenden?")
    expect(page.get_by_text("Bisher hat 1 Person abgestimmt.")).to_be_visible()
    check_axe(page, "07b-vote-close-confirm")
    page.get_by_role("link", name="Abbrechen, weiter abstimmen lassen").click()
    expect(page.get_by_role("link", name="Abstimmung beenden …")).to_be_visible()

    page.goto(f"{live}/workshop/bilanz-2026/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Anlage als PDF").click()
    pdf_path = tmp_path / "anlage.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Beschluss eintragen und einfrieren").click()
    check_axe(page, "08-freeze")
    page.get_by_label("Datum des Ratsbeschlusses").fill("2026-11-10")
    page.get_by_label("Drucksachennummer").fill("DS 26/0815")
    page.get_by_role("button", name="Version 1 einfrieren").click()
    expect(page.get_by_text("ist jetzt beschlossen")).to_be_visible()
    check_axe(page, "09-versions")
    page.goto(f"{live}/workshop/bilanz-2026/umsetzung/bildung")
    page.get_by_text("Neuen Stand erfassen").first.click()
    page.get_by_label("Status").first.select_option("zurückgestellt")
    page.get_by_role("button", name="Stand speichern").first.click()
    expect(page.get_by_role("alert").first).to_be_visible()  # a reason is required
    # forms.js moves focus after load; expect() waits for it instead of racing
    expect(page.locator(".error-summary")).to_be_focused()
    check_axe(page, "10-tracking-error")
    page.locator("#note").fill("Haushaltssperre")
    page.get_by_role("button", name="Stand speichern").first.click()
    expect(page.get_by_text("Haushaltssperre")).to_be_visible()
    check_axe(page, "11-tracking-field")
    page.goto(f"{live}/workshop/bilanz-2026/umsetzung")
    check_axe(page, "12-tracking")
    context.close()
