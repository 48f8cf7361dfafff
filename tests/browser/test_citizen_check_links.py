"""On a 360 px phone: a section split over two pages, the check page's "Ändern" link to the
second part, saving there and landing back on the check page; axe-core on every state.
Also the printed sheet (Chromium's PDF keeps scale headers whole) and the staff forms that
set page breaks and the return address.

Set ``FK_SCREENSHOTS=/some/dir`` to save a PNG of every checked state.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from surveys.accounts import create_user
from surveys.models import Question, Response, Survey
from tests.browser.test_citizen_flow import check_state, fill_page

pytestmark = pytest.mark.browser

STAFF_PASSWORD = "Fragebogen-Werkstatt 2026"

KITA = {"q-kita": "4"}
ANGEBOTE = {"q-angebote-spielplatz": "5", "q-angebote-schule": "3", "q-angebote-bibliothek": "2"}
BERATUNG = {"q-beratung": "nein", "q-themen": ["erziehung"]}
WOHNEN = {"q-prioritaeten-wege": "1", "q-kinder": "2"}


def split_bildung(db_app: Flask) -> None:
    """Let "angebote" start the second page of "Bildung und Erziehung"."""
    question = db.session.scalars(select(Question).where(Question.key == "angebote")).one()
    question.page_break = True
    db.session.commit()


def fits_360(page: Any) -> bool:
    """Return whether the page fits a 360 px screen without horizontal scrolling."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= 360"))


def checked(page: Any, axe: Any, name: str) -> None:
    """Run axe on the current state and check that it fits 360 px."""
    check_state(page, axe, name)
    assert fits_360(page), f"{name} is wider than 360 px"


def go_on(page: Any, button: str = "Weiter") -> None:
    """Click a submit button and wait for the next page."""
    current = page.url
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(lambda url, old=current: url != old)


def test_change_link_goes_to_the_second_part_and_back_to_the_check_page(
    mobile_page: Any, axe: Any, db_app: Flask, survey_url: str
) -> None:
    page = mobile_page
    split_bildung(db_app)
    page.goto(f"{survey_url}/familien")
    page.get_by_role("link", name="Fragebogen beginnen").click()
    expect(page).to_have_title(
        re.compile("^" + re.escape("Schritt 1 von 4 – Bildung und Erziehung (Teil 1 von 2)"))
    )
    expect(page.locator("progress")).to_have_attribute("max", "5")
    checked(page, axe, "split-1-part-1")
    fill_page(page, KITA)
    go_on(page)
    expect(page).to_have_title(
        re.compile("^" + re.escape("Schritt 2 von 4 – Bildung und Erziehung (Teil 2 von 2)"))
    )
    checked(page, axe, "split-2-part-2")
    # "Zurück" keeps the second part's answers and shows the first part again
    fill_page(page, ANGEBOTE)
    go_on(page, "Zurück")
    expect(page).to_have_title(re.compile("^" + re.escape("Schritt 1 von 4")))
    expect(page.locator('input[name="q-kita"][value="4"]')).to_be_checked()
    go_on(page)
    expect(page.locator('input[name="q-angebote-schule"][value="3"]')).to_be_checked()
    go_on(page)
    fill_page(page, BERATUNG)
    go_on(page)
    fill_page(page, WOHNEN)
    go_on(page)
    expect(page).to_have_title(re.compile("^" + re.escape("Antworten prüfen")))
    checked(page, axe, "split-3-check")

    change = page.get_by_role(
        "link", name="Ändern Antwort auf „Wie zufrieden sind Sie mit diesen Angeboten?“"
    )
    expect(change).to_have_count(1)
    expect(change).to_have_attribute("href", re.compile(r"/seite/2\?von=pruefen#frage-angebote$"))
    change.click()
    expect(page).to_have_title(re.compile("^" + re.escape("Schritt 2 von 4")))
    expect(page.locator("#frage-angebote")).to_be_in_viewport()
    checked(page, axe, "split-4-change")
    page.check('input[name="q-angebote-schule"][value="1"]')
    go_on(page, "Zurück zur Übersicht")
    expect(page).to_have_url(re.compile(r"/familien/pruefen$"))
    row = page.locator(
        ".summary-list > div", has_text="Wie zufrieden sind Sie mit diesen Angeboten?"
    )
    expect(row).to_contain_text("Schulen: sehr unzufrieden")
    checked(page, axe, "split-5-check-again")

    page.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_url(re.compile(r".*/danke$"))
    db.session.expire_all()
    responses = list(db.session.scalars(select(Response)))
    assert len(responses) == 1


def test_change_links_work_in_arabic_right_to_left(
    page: Any, axe: Any, db_app: Flask, survey_url: str
) -> None:
    split_bildung(db_app)
    page.goto(f"{survey_url}/familien/seite/1?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    for data in (KITA, ANGEBOTE, BERATUNG, WOHNEN):
        fill_page(page, data)
        current = page.url
        page.locator('button[name="aktion"][value="weiter"]').click()
        page.wait_for_url(lambda url, old=current: url != old)
    expect(page).to_have_url(re.compile(r"/familien/pruefen$"))
    check_state(page, axe, "split-rtl-check")
    links = page.locator(".summary-list__action a")
    expect(links).to_have_count(7)  # kita ... anmerkungen, not the hidden "stelle"
    links.nth(1).click()
    expect(page).to_have_url(re.compile(r"/familien/seite/2\?von=pruefen#frage-angebote$"))
    page.locator('button[name="aktion"][value="weiter"]').click()
    expect(page).to_have_url(re.compile(r"/familien/pruefen$"))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_printed_sheet_keeps_scale_headers_whole(
    page: Any, axe: Any, survey_url: str, tmp_path: Path
) -> None:
    page.goto(f"{survey_url}/druck")
    check_state(page, axe, "paper-sheet")
    page.emulate_media(media="print")
    pdf = tmp_path / "bogen.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    words = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "unzufrieden" in words
    # a header broken inside the word would print "unzufri" / "eden" (or "zufried" / "en")
    assert not re.search(r"unzufri(?!eden)|zufried(?!en)|\beden\b", words), words[:3000]


def test_staff_set_page_breaks_and_the_return_address_on_a_phone(
    mobile_page: Any, axe: Any, db_app: Flask, survey_url: str, live_server: str
) -> None:
    page = mobile_page
    create_user(db.session, "staff@example.org", STAFF_PASSWORD, "staff")
    db.session.commit()
    survey = db.session.scalars(select(Survey)).one()
    section = survey.sections[1]
    page.goto(f"{live_server}/verwaltung/umfragen/{survey.id}/abschnitte/{section.id}")
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    breaks = page.get_by_role("group", name="Neue Seite online ab")
    expect(breaks).to_be_visible()
    checked(page, axe, "staff-section-breaks")
    breaks.get_by_label(re.compile("^Frage 3: Zu welchen Themen")).check()
    page.locator("main button[type=submit]").last.click()
    expect(page.get_by_text("Der Abschnitt wurde gespeichert.")).to_be_visible()
    expect(page.locator("td", has_text="Neue Seite Zu welchen Themen")).to_have_count(1)
    page.get_by_role("link", name="Angaben bearbeiten").click()
    page.get_by_label("Rücksendeadresse").fill(
        "Stadt Delmenhorst\nRathausplatz 1\n27749 Delmenhorst"
    )
    page.get_by_label("Rücksendung bis").fill("2026-12-18")
    checked(page, axe, "staff-survey-return")
    page.locator("main button[type=submit]").last.click()
    expect(page.get_by_text("Die Angaben wurden gespeichert.")).to_be_visible()
    page.goto(f"{survey_url}/druck")
    expect(page.locator("address")).to_contain_text("Rathausplatz 1")
    checked(page, axe, "paper-sheet-with-address")
    page.goto(f"{survey_url}/familien/seite/3")
    expect(page).to_have_title(re.compile(re.escape("(Teil 2 von 2)")))
