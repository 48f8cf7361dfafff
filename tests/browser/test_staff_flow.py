"""A staff member builds a small survey with a condition, opens it, a citizen answers it,
staff type in one paper form and export the responses – in headless Chromium, with axe-core
on every staff page along the way. Set ``FK_SCREENSHOTS=/dir`` to keep screenshots.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from app.extensions import db
from surveys.accounts import create_user
from tests.browser.screens import shot

pytestmark = pytest.mark.browser

PASSWORD = "Fragebogen-Werkstatt 2026"


def check(page: Any, axe: Any, name: str) -> None:
    """Screenshot (optional) and accessibility check of the current page."""
    shot(page, name)
    axe(page, name)


def save(page: Any) -> None:
    """Press the form's own submit button (not the logout button in the header)."""
    page.locator("main button[type=submit]").last.click()


def test_build_open_answer_paper_export(
    page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    create_user(db.session, "staff@example.org", PASSWORD, "staff")
    db.session.commit()

    # log in
    page.goto(f"{live_server}/verwaltung/")
    expect(page).to_have_url(re.compile(r"/anmelden\?next="))
    check(page, axe, "login")
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Umfragen", exact=True)).to_be_visible()
    check(page, axe, "list")

    # create the survey, for families only
    page.get_by_role("link", name="Neue Umfrage anlegen").click()
    page.get_by_label("Titel").fill("Spielplatz-Check 2026")
    page.get_by_label("Kurzadresse").fill("spielplatz-2026")
    page.get_by_label("Seniorinnen und Senioren").uncheck()
    page.get_by_label("Akteurinnen und Akteure").uncheck()
    check(page, axe, "new-survey")
    save(page)
    expect(page.get_by_role("heading", name="Spielplatz-Check 2026")).to_be_visible()

    # a section bound to a Handlungsfeld
    page.get_by_role("link", name="Abschnitt hinzufügen").click()
    page.get_by_label("Überschrift").fill("Spielen im Stadtteil")
    page.get_by_label("Handlungsfeld").select_option("wohnumfeld")
    save(page)

    # a yes/no trigger ...
    page.get_by_label("Neue Frage dieser Art").select_option("yesno")
    page.get_by_role("button", name="Frage hinzufügen").click()
    page.get_by_label("Schlüssel").fill("spielplatz")
    page.get_by_label("Fragetext").fill("Nutzen Sie einen Spielplatz in Ihrer Nähe?")
    page.get_by_label("Pflichtfrage").check()
    check(page, axe, "question-form")
    save(page)

    # ... and a free text shown only when the answer is "ja"
    page.get_by_label("Neue Frage dieser Art").select_option("text")
    page.get_by_role("button", name="Frage hinzufügen").click()
    page.get_by_label("Schlüssel").fill("verbesserung")
    page.get_by_label("Fragetext").fill("Was sollte am Spielplatz besser werden?")
    page.locator("#f-condition_1_question").select_option("spielplatz")
    page.locator("#f-condition_1_op").select_option("equals")
    page.locator("#f-condition_1_value").select_option("ja")
    save(page)
    expect(page.get_by_text("nur wenn")).to_be_visible()
    check(page, axe, "designer")
    page.set_viewport_size({"width": 360, "height": 740})  # a small phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    # preview as citizens see it
    page.get_by_role("link", name="Vorschau für Familien").click()
    expect(page.get_by_role("heading", name=re.compile("Schritt 1 von 1"))).to_be_visible()
    check(page, axe, "preview")
    page.get_by_role("link", name="Zurück zum Fragebogen").click()

    page.get_by_role("button", name="Umfrage öffnen").click()
    expect(page.get_by_text("Die Umfrage ist geöffnet")).to_be_visible()
    survey_url = page.url

    # a citizen answers it (another browser context: no staff cookie)
    citizen = page.context.browser.new_context(locale="de-DE")
    try:
        cpage = citizen.new_page()
        cpage.goto(f"{live_server}/s/spielplatz-2026")
        start = cpage.get_by_role("link", name="Fragebogen beginnen")
        if start.count():
            start.click()
        else:
            cpage.get_by_label("Familie", exact=True).check()
            cpage.get_by_role("button", name="Fragebogen beginnen").click()
        cpage.check('input[name="q-spielplatz"][value="ja"]')
        cpage.fill('[name="q-verbesserung"]', "Mehr Schatten")
        cpage.get_by_role("button", name="Weiter", exact=True).click()
        cpage.get_by_role("button", name="Antworten absenden").click()
        cpage.wait_for_url(re.compile(r".*/danke$"))
    finally:
        citizen.close()

    # one paper form
    page.goto(survey_url)
    page.get_by_role("link", name="Papierbögen erfassen").click()
    expect(page.get_by_role("heading", name=re.compile("Papierbogen erfassen"))).to_be_visible()
    check(page, axe, "paper")
    page.check('input[name="q-spielplatz"][value="nein"]')
    page.get_by_role("button", name="Bogen speichern und nächsten erfassen").click()
    expect(page.get_by_text("Erfasst: 1 Bogen insgesamt, 1 in dieser Sitzung.")).to_be_visible()

    # counts and the export
    page.goto(survey_url)
    page.get_by_role("link", name="Rücklauf und Export").click()
    check(page, axe, "run")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV herunterladen").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert sorted(r["channel"] for r in rows) == ["online", "paper"]
    online = next(r for r in rows if r["channel"] == "online")
    assert online["spielplatz"] == "1" and online["verbesserung"] == "Mehr Schatten"
