"""Staff build an OR condition with a number comparison in the designer (with JavaScript),
reorder a question, and a citizen sees the follow-up appear live and on the server; the
designer's question table fits 1280 px and a 360 px phone. Axe on every state; set
``FK_SCREENSHOTS=/dir`` to keep screenshots."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from app.extensions import db
from surveys.accounts import create_user
from surveys.designer import SurveyValues, create_survey, save_section
from surveys.designer_form import QuestionValues
from surveys.designer_questions import save_question
from surveys.models import Question, Survey
from tests.browser.screens import no_horizontal_scroll, shot

pytestmark = pytest.mark.browser

PASSWORD = "Bedingungen-Werkstatt 2026"


def check(page: Any, axe: Any, name: str) -> None:
    shot(page, name)
    axe(page, name)


def _arrange() -> int:
    """A draft for families: kinder (number), stadtteil (single), wunsch, betreuung (text)."""
    create_user(db.session, "staff@example.org", PASSWORD, "staff")
    survey = create_survey(
        db.session,
        SurveyValues(title="Betreuung 2026", slug="betreuung-2026", target_groups=["familien"]),
        None,
    )
    section = save_section(db.session, survey, None, title="Betreuung", handlungsfeld="bildung")
    for key, qtype, text, extra in (
        ("kinder", "number", "Wie viele Kinder leben in Ihrem Haushalt?", {}),
        (
            "stadtteil",
            "single",
            "In welchem Stadtteil wohnen Sie?",
            {"options": "mitte: Mitte\nnord: Nord"},
        ),
        ("wunsch", "text", "Was wünschen Sie sich?", {}),
        ("betreuung", "text", "Wie lösen Sie die Betreuung in den Ferien?", {}),
    ):
        values = QuestionValues(key=key, type=qtype, text=text, target_groups=["familien"], **extra)
        save_question(db.session, section, None, values, None)
    db.session.commit()
    return survey.id


def _login(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/verwaltung/")
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Umfragen", exact=True)).to_be_visible()


def _actions_fit(page: Any) -> None:
    """Every cell of the actions column lies inside the viewport."""
    width = page.viewport_size["width"]
    cells = page.locator("table.designer-table td.actions")
    assert cells.count() > 0
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box


def test_build_an_or_condition_reorder_and_answer(
    page: Any, mobile_page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    survey_id = _arrange()
    detail = f"{live_server}/verwaltung/umfragen/{survey_id}"
    _login(page, live_server)
    page.goto(detail)
    _actions_fit(page)
    check(page, axe, "designer-1280")

    # the condition: kinder > 2 OR stadtteil is Nord, built with the pickers on the page of
    # the question (the survey page opens it inline: tests/browser/test_staff_designer_inline.py)
    page.goto(
        live_server + page.get_by_role("link", name="Bearbeiten betreuung").get_attribute("href")
    )
    rule1_op = page.locator("#f-condition_1_op")
    page.locator("#f-condition_1_question").select_option("kinder")
    # JavaScript narrows the comparisons and shows the number field, no round trip
    expect(rule1_op.locator("option[value=contains]")).to_have_count(0)
    expect(page.locator("#f-condition_1_number")).to_be_visible()
    expect(page.locator("#f-condition_1_value")).to_be_hidden()
    rule1_op.select_option("gt")
    page.locator("#f-condition_1_number").fill("2")
    page.locator("#f-condition_2_question").select_option("stadtteil")
    rule2_value = page.locator("#f-condition_2_value")
    expect(rule2_value).to_be_visible()
    expect(page.locator("#f-condition_2_number")).to_be_hidden()
    # only the options of "stadtteil", by their labels
    assert rule2_value.locator("option").all_inner_texts()[1:] == ["Mitte", "Nord"]
    expect(page.locator("#f-condition_2_op option[value=gt]")).to_have_count(0)
    rule2_value.select_option(label="Nord")
    page.get_by_label("mindestens eine Bedingung erfüllt ist").check()
    check(page, axe, "condition-builder")
    page.locator("main button[type=submit]").last.click()
    expect(page.get_by_text("Die Frage „betreuung“ wurde gespeichert.")).to_be_visible()
    # in words: the questions by their text, the option by its label
    expect(page.locator("main")).to_contain_text(
        "„Wie viele Kinder leben in Ihrem Haushalt?“ (kinder) ist größer als „2“ oder "
        "„In welchem Stadtteil wohnen Sie?“ (stadtteil) ist „Nord“"
    )
    check(page, axe, "designer-with-condition")

    # reorder: "wunsch" one place down, below the follow-up
    page.get_by_role("button", name="Nach unten: wunsch").click()
    expect(page.locator("#designer-status")).to_contain_text("weiter unten")  # no reload
    db.session.expire_all()
    survey = db.session.get(Survey, survey_id)
    assert survey is not None
    assert [q.key for q in survey.questions()] == ["kinder", "stadtteil", "betreuung", "wunsch"]
    # refused: the follow-up may not move above "stadtteil"
    page.get_by_role("button", name="Nach oben: betreuung").click()
    expect(page.locator(".designer-notice")).to_contain_text("muss nach „stadtteil“ stehen")
    _actions_fit(page)
    check(page, axe, "designer-refused-move")

    # a phone: no sideways scrolling of the page; the table scrolls in its own region
    mobile_page.context.add_cookies(page.context.cookies())
    mobile_page.goto(detail)
    assert no_horizontal_scroll(mobile_page)
    check(mobile_page, axe, "designer-360")
    betreuung = db.session.query(Question).filter_by(key="betreuung").one()
    mobile_page.goto(f"{detail}/fragen/{betreuung.id}")
    assert no_horizontal_scroll(mobile_page)
    check(mobile_page, axe, "condition-builder-360")

    page.get_by_role("button", name="Umfrage öffnen").click()
    expect(page.get_by_text("Die Umfrage ist geöffnet")).to_be_visible()

    # a citizen (own context, no staff cookie)
    citizen = page.context.browser.new_context(locale="de-DE")
    try:
        cpage = citizen.new_page()
        cpage.goto(f"{live_server}/s/betreuung-2026")
        start = cpage.get_by_role("link", name="Fragebogen beginnen")
        if start.count():
            start.click()
        else:
            cpage.get_by_label("Familie", exact=True).check()
            cpage.get_by_role("button", name="Fragebogen beginnen").click()
        follow_up = cpage.locator("#frage-betreuung")
        expect(follow_up).to_be_hidden()
        cpage.fill('[name="q-kinder"]', "1")
        cpage.check('input[name="q-stadtteil"][value="mitte"]')
        expect(follow_up).to_be_hidden()
        check(cpage, axe, "citizen-hidden")
        cpage.fill('[name="q-kinder"]', "3")  # kinder > 2: shown live
        expect(follow_up).to_be_visible()
        cpage.fill('[name="q-kinder"]', "2")
        expect(follow_up).to_be_hidden()
        cpage.check('input[name="q-stadtteil"][value="nord"]')  # or Nord: shown live
        expect(follow_up).to_be_visible()
        check(cpage, axe, "citizen-shown")
        cpage.fill('[name="q-betreuung"]', "Oma hilft")
        cpage.get_by_role("button", name="Weiter", exact=True).click()
        # the server agrees: the check page lists the follow-up's answer
        expect(cpage.get_by_text("Oma hilft")).to_be_visible()
        check(cpage, axe, "citizen-check")
    finally:
        citizen.close()


def test_changing_the_type_shows_its_settings_without_a_round_trip(
    page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    survey_id = _arrange()
    survey = db.session.get(Survey, survey_id)
    assert survey is not None
    section_id = survey.sections[0].id
    _login(page, live_server)
    page.goto(f"{live_server}/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu")
    options = page.get_by_label("Antwortmöglichkeiten")
    scale = page.get_by_label("Stufen der Skala (von niedrig nach hoch)")
    expect(options).to_be_visible()
    expect(scale).to_be_hidden()
    expect(page.get_by_role("button", name="Art übernehmen")).to_be_hidden()  # JS does it
    url = page.url
    page.get_by_label("Art der Frage").select_option("likert")
    expect(scale).to_be_visible()
    expect(options).to_be_hidden()
    assert page.url == url  # no post back
    check(page, axe, "type-switch-likert")
    page.get_by_label("Schlüssel").fill("zufrieden_ferien")
    page.get_by_label("Fragetext").fill("Wie zufrieden sind Sie mit der Ferienbetreuung?")
    scale.fill("gar nicht\nwenig\nziemlich\nsehr")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Wie zufrieden sind Sie mit der Ferienbetreuung?")).to_be_visible()
    db.session.expire_all()
    stored = db.session.query(Question).filter_by(key="zufrieden_ferien").one()
    assert stored.type.value == "likert" and stored.settings["scale"][-1] == "sehr"
    assert not stored.options  # the hidden options field of "single" was not taken
