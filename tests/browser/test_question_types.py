"""The types Datum, Mehrfache Zahleneingabe and Zahlen-Matrix in Chromium: a citizen on a
360 px phone answers all three, meets a wrong date and the sum check, follows the error
summary to the field and corrects it; staff see the types' settings in the designer (the
settings follow the type at once with JavaScript) and type a paper sheet in. Axe on every
state; set ``FK_SCREENSHOTS=/dir`` to keep screenshots."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from app.extensions import db
from surveys.accounts import create_user
from surveys.models import Answer, Channel, Response
from tests.browser.screens import no_horizontal_scroll, shot
from tests.surveys.number_date_survey import SLUG, number_date_survey

pytestmark = pytest.mark.browser

PASSWORD = "Zahlen-Werkstatt 2026"


def check(page: Any, axe: Any, name: str) -> None:
    shot(page, name)
    axe(page, name)
    assert no_horizontal_scroll(page), name


def fill_valid(page: Any) -> None:
    """Everything but the date."""
    page.get_by_label("0 bis 2 Jahre").fill("1")
    page.get_by_label("6 bis 9 Jahre").fill("2")
    kita = page.get_by_role("group", name="Kita")
    kita.get_by_label("Kinder").fill("1")
    kita.get_by_label("Stunden pro Woche").fill("35")


def test_citizen_answers_the_three_types_on_a_phone(
    mobile_page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    number_date_survey(db.session)
    db.session.commit()
    page = mobile_page
    page.goto(f"{live_server}/s/{SLUG}/familien/seite/1")
    date = page.get_by_role("group", name="Seit wann wohnen Sie in Delmenhorst?")
    check(page, axe, "page")
    date.get_by_label("Tag").fill("31")
    date.get_by_label("Monat").fill("2")
    date.get_by_label("Jahr").fill("2024")
    fill_valid(page)
    page.get_by_label("3 bis 5 Jahre").fill("9")  # 1 + 9 + 2 = 12 > 10
    page.get_by_role("button", name="Weiter", exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Das Datum muss ein echtes Datum sein.")
    expect(summary).to_contain_text("Die Summe darf höchstens 10 sein; sie ist jetzt 12.")
    check(page, axe, "errors")
    # what was typed is kept, the fields are marked and described by their message
    expect(date.get_by_label("Tag")).to_have_value("31")
    expect(date.get_by_label("Tag")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("3 bis 5 Jahre")).to_have_value("9")
    # the summary leads to the day box and to the first field of the numbers
    summary.get_by_role("link", name="Das Datum muss ein echtes Datum sein.").click()
    expect(date.get_by_label("Tag")).to_be_focused()
    summary.get_by_role("link", name="Die Summe darf höchstens").click()
    expect(page.get_by_label("0 bis 2 Jahre")).to_be_focused()
    date.get_by_label("Tag").fill("15")
    date.get_by_label("Monat").fill("3")
    date.get_by_label("Jahr").fill("2022")
    page.get_by_label("3 bis 5 Jahre").fill("")
    page.get_by_role("button", name="Weiter", exact=True).click()
    expect(page.get_by_role("button", name="Antworten absenden")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("15.03.2022")
    expect(main).to_contain_text("Summe: 3")
    expect(main).to_contain_text("Kita: Kinder 1, Stunden pro Woche 35")
    check(page, axe, "check")
    page.get_by_role("button", name="Antworten absenden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vielen Dank")
    assert db.session.query(Answer).count() == 5


def _login(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/verwaltung/")
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Umfragen", exact=True)).to_be_visible()


def test_staff_see_the_types_in_the_designer_and_type_in_paper(
    page: Any, mobile_page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    survey = number_date_survey(db.session)
    create_user(db.session, "staff@example.org", PASSWORD, "staff")
    db.session.commit()
    date_question = survey.questions()[0]
    _login(page, live_server)
    page.goto(f"{live_server}/verwaltung/umfragen/{survey.id}/fragen/{date_question.id}")
    expect(page.get_by_label("Frühestes Datum")).to_have_value("01.01.2020")
    expect(page.get_by_label("Spätestes Datum")).to_have_value("31.12.2026")
    expect(page.get_by_label("Antwortmöglichkeiten")).to_be_hidden()
    check(page, axe, "designer-date")
    # with JavaScript the settings follow the chosen type at once
    page.get_by_label("Art der Frage").select_option("multinumber")
    expect(page.get_by_label("Frühestes Datum")).to_be_hidden()
    expect(page.get_by_role("group", name="Prüfung der Summe")).to_be_visible()
    expect(page.get_by_label("Die Summe darf höchstens sein")).to_be_visible()
    page.get_by_label("Art der Frage").select_option("numbermatrix")
    expect(page.get_by_label("Größter Wert jeder Zahl").last).to_be_visible()
    check(page, axe, "designer-matrix")
    # paper entry on a phone: the same inputs as online
    _login(mobile_page, live_server)
    mobile_page.goto(f"{live_server}/verwaltung/umfragen/{survey.id}/papier/familien")
    date = mobile_page.get_by_role("group", name="Seit wann wohnen Sie in Delmenhorst?")
    date.get_by_label("Tag").fill("1")
    date.get_by_label("Monat").fill("13")
    date.get_by_label("Jahr").fill("2023")
    fill_valid(mobile_page)
    mobile_page.get_by_role("button", name="Bogen speichern").click()
    expect(mobile_page.locator(".error-summary")).to_contain_text(
        "Das Datum muss ein echtes Datum sein."
    )
    check(mobile_page, axe, "paper-entry-error")
    date.get_by_label("Monat").fill("12")
    mobile_page.get_by_role("button", name="Bogen speichern").click()
    expect(mobile_page.locator(".notice--success, .flash--success").first).to_be_visible()
    check(mobile_page, axe, "paper-entry-saved")
    stored = db.session.query(Response).one()
    assert stored.channel == Channel.PAPER
    assert db.session.query(Answer).filter_by(response_id=stored.id).count() == 5
    # the printed sheet
    page.goto(f"{live_server}/s/{SLUG}/druck")
    expect(page.locator("table.paper-numbers")).to_contain_text("14 bis 17 Jahre")
    check(page, axe, "paper-sheet")
    # each field's label level with its box, on screen and in print (issue 17)
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        offsets = page.evaluate(LABEL_OFFSETS)
        assert len(offsets) == 5 and max(abs(o) for o in offsets) <= 2, (media, offsets)
    page.emulate_media(media="screen")


#: Per row of the printed multiple number entry: the middle of its label's text less the
#: middle of its box, in CSS pixels.
LABEL_OFFSETS = """() => [...document.querySelectorAll('table.paper-numbers tr')].map(row => {
  const text = document.createRange();
  text.selectNodeContents(row.querySelector('th'));
  const label = text.getBoundingClientRect();
  const box = row.querySelector('.number-box').getBoundingClientRect();
  return (label.top + label.bottom) / 2 - (box.top + box.bottom) / 2;
})"""
