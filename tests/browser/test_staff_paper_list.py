"""Paper forms in headless Chromium: staff type one in from the keyboard, in the order and
numbering of the printed sheet, find it in the list, change it and delete it; axe-core on
every state, and the pages fit 360 px. Set ``FK_SCREENSHOTS=/dir`` to keep screenshots.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from surveys.accounts import create_user
from surveys.models import Answer, Channel, Response, Survey
from tests.browser.screens import shot
from tests.factories import build_survey

pytestmark = pytest.mark.browser

PASSWORD = "Fragebogen-Werkstatt 2026"
LEGEND_NUMBER = re.compile(r"^(\d+)\.\s+(.*?)(?:\s*\(Pflichtfrage\))?$")


def check(page: Any, axe: Any, name: str, width: int | None = None) -> None:
    """Screenshot (optional), axe-core and, on a phone, no page-wide horizontal scrolling."""
    shot(page, name)
    axe(page, name)
    if width is not None:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name}: {scroll} px wide at {width} px"


def log_in(page: Any, url: str) -> None:
    """Open a staff page, log in on the login page it leads to."""
    page.goto(url)
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def save(page: Any) -> None:
    """Press the form's own submit button (not the logout button in the header)."""
    page.locator("main form button[type=submit]").last.click()


def paper_responses(survey_id: int) -> list[Response]:
    """The survey's paper responses as the database has them now (written by the server)."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Response).where(
                Response.survey_id == survey_id, Response.channel == Channel.PAPER
            )
        )
    )


def stored(response_id: int) -> dict[str, Any]:
    """The stored answers of one response as ``{question key[.item]: num or text}``."""
    survey = db.session.scalars(select(Survey)).one()
    keys = {q.id: q for q in survey.questions()}
    items = {i.id: i.key for q in keys.values() for i in q.items}
    values: dict[str, Any] = {}
    for a in db.session.scalars(select(Answer).where(Answer.response_id == response_id)):
        name = keys[a.question_id].key + (f".{items[a.item_id]}" if a.item_id else "")
        values[name] = "dk" if a.dont_know else (a.text if a.text is not None else a.num)
    return values


def sheet_questions(page: Any, url: str) -> list[tuple[int, str]]:
    """The numbered questions of the printed sheet, in order."""
    page.goto(url)
    texts = page.locator(".paper-question__text").all_inner_texts()
    found = []
    for text in texts:
        match = LEGEND_NUMBER.match(" ".join(text.replace("(Pflichtfrage)", "").split()))
        assert match, text
        found.append((int(match.group(1)), match.group(2).strip()))
    return found


def entry_questions(page: Any) -> list[tuple[int, str]]:
    """The numbered questions of the entry form, in order."""
    legends = page.locator(".paper-entry .question-wrap > fieldset > legend").all_inner_texts()
    found = []
    for legend in legends:
        match = LEGEND_NUMBER.match(" ".join(legend.split()))
        assert match, legend
        found.append((int(match.group(1)), match.group(2)))
    return found


def test_type_list_change_and_delete_a_paper_form(
    page: Any, mobile_page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    create_user(db.session, "staff@example.org", PASSWORD, "staff")
    survey = build_survey(db.session)
    db.session.commit()
    base = f"{live_server}/verwaltung/umfragen/{survey.id}/papier"

    # The entry form has the sheet's questions, in its order, numbered 1, 2, 3 ...
    sheet = sheet_questions(page, f"{live_server}/s/{survey.slug}/druck?gruppe=familien")
    log_in(page, f"{base}/familien")
    expect(page.get_by_role("heading", name="Papierbogen erfassen: Familien")).to_be_visible()
    numbered = entry_questions(page)
    assert [n for n, _ in numbered] == list(range(1, len(sheet) + 1))
    assert [(n, text.strip()) for n, text in numbered] == sheet  # same numbers as on paper
    check(page, axe, "entry")

    # Typing from the sheet with the keyboard: arrows choose, Tab goes to the next row.
    page.locator("#q-kita--1").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # 3 = teils/teils
    page.keyboard.press("Tab")  # the matrix' first row
    page.keyboard.press("ArrowRight")  # Spielplätze: 2 (the arrow from nothing checks 1, then 2)
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # Schulen: 1
    page.keyboard.press("Tab")
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # Stadtbibliothek: 5 (1 → 5, checks as it moves)
    expect(page.locator("#q-kita--3")).to_be_checked()
    expect(page.locator("#q-angebote-schule--1")).to_be_checked()
    expect(page.locator("#q-angebote-bibliothek--5")).to_be_checked()
    spielplatz = page.locator("input[name=q-angebote-spielplatz]:checked").get_attribute("value")
    page.locator("#q-beratung--ja").check()
    page.locator("#q-stelle--1").check()
    page.locator("#q-kinder").fill("2")
    page.locator("#q-anmerkungen").fill("Mehr Bänke am Graftsee")
    save(page)
    expect(page.locator(".notice--success")).to_contain_text("Bogen gespeichert")
    (response,) = paper_responses(survey.id)
    response_id = response.id
    typed = stored(response_id)
    assert typed["kita"] == 3 and typed["angebote.bibliothek"] == 5
    assert typed["angebote.spielplatz"] == float(spielplatz or 0)
    assert typed["anmerkungen"] == "Mehr Bänke am Graftsee"

    # The list: a neutral number and a summary, no date, no id.
    page.get_by_role("link", name="Erfasste Bögen ansehen und ändern").click()
    expect(page.get_by_role("heading", name="Erfasste Papierbögen")).to_be_visible()
    row = page.locator("table.paper-forms tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Familien")
    expect(row).to_contain_text("6 von 8")
    check(page, axe, "list")

    # Change it: the form comes back filled in; an invalid number keeps what was typed.
    page.get_by_role("link", name="Ändern (Bogen Nr. 1)").click()
    expect(page.get_by_role("heading", name="Papierbogen Nr. 1 ändern")).to_be_visible()
    expect(page.locator("#q-kita--3")).to_be_checked()
    expect(page.locator("#q-angebote-bibliothek--5")).to_be_checked()
    expect(page.locator("#q-anmerkungen")).to_have_value("Mehr Bänke am Graftsee")
    expect(page.locator("#f-paper_code")).to_have_count(0)
    check(page, axe, "edit")
    page.locator("#q-kita--3").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # 5
    page.locator("#q-kinder").fill("99")
    page.locator("#q-anmerkungen").fill("Mehr Bänke, bitte")
    save(page)
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Die Zahl darf höchstens 15 sein.")
    expect(page.locator("#q-kinder")).to_have_value("99")
    expect(page.locator("#q-anmerkungen")).to_have_value("Mehr Bänke, bitte")
    expect(page.locator("#q-kita--5")).to_be_checked()
    check(page, axe, "edit-error")
    assert stored(response_id) == typed  # nothing saved yet
    summary.get_by_role("link").first.click()
    expect(page.locator("#q-kinder")).to_be_focused()
    page.locator("#q-kinder").fill("3")
    save(page)
    expect(page.locator(".notice--success")).to_contain_text("Papierbogen Nr. 1")
    changed = stored(response_id)
    assert changed["kita"] == 5 and changed["kinder"] == 3
    assert changed["anmerkungen"] == "Mehr Bänke, bitte"
    assert [r.id for r in paper_responses(survey.id)] == [response_id]
    check(page, axe, "list-after-change")

    # The phone: entry, list, change and confirmation fit 360 px (tables scroll inside).
    log_in(mobile_page, f"{base}/familien")
    check(mobile_page, axe, "mobile-entry", 360)
    mobile_page.goto(f"{base}/boegen")
    check(mobile_page, axe, "mobile-list", 360)
    mobile_page.get_by_role("link", name="Ändern (Bogen Nr. 1)").click()
    expect(mobile_page.locator("#q-kita--5")).to_be_checked()
    check(mobile_page, axe, "mobile-edit", 360)
    mobile_page.goto(f"{base}/boegen")
    mobile_page.get_by_role("link", name="Löschen (Bogen Nr. 1)").click()
    check(mobile_page, axe, "mobile-delete", 360)

    # Delete: a confirmation page first; cancelling keeps the form.
    page.get_by_role("link", name="Löschen (Bogen Nr. 1)").click()
    expect(page.get_by_role("heading", name="Papierbogen Nr. 1 löschen?")).to_be_visible()
    check(page, axe, "delete")
    page.get_by_role("link", name="Abbrechen").click()
    expect(page.locator("table.paper-forms tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Löschen (Bogen Nr. 1)").click()
    page.get_by_role("button", name="Ja, Bogen löschen").click()
    expect(page.locator(".notice--success")).to_contain_text("Papierbogen Nr. 1 wurde gelöscht.")
    expect(page.get_by_text("Noch kein Papierbogen erfasst.")).to_be_visible()
    assert paper_responses(survey.id) == []
    assert not db.session.scalars(select(Answer).where(Answer.response_id == response_id)).all()
    check(page, axe, "list-empty")
