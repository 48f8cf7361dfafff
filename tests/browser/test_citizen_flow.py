"""Citizens answer the test survey in headless Chromium: each group, keyboard only, resume,
error path, live conditions; axe-core on every state along the way.

Set ``FK_SCREENSHOTS=/some/dir`` to save a PNG of every checked state.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from surveys.models import Answer, Response, Survey
from tests.browser.screens import no_horizontal_scroll, shot

pytestmark = pytest.mark.browser


def check_state(page: Any, axe: Any, name: str) -> None:
    """Screenshot (optional) and axe check of the current state."""
    shot(page, name)
    axe(page, name)


def fill_page(page: Any, data: dict[str, Any]) -> None:
    """Answer the questions of one page with the mouse-free Playwright API."""
    for name, value in data.items():
        if isinstance(value, list):
            for v in value:
                page.check(f'input[name="{name}"][value="{v}"]')
            continue
        locator = page.locator(f'[name="{name}"]')
        kind = locator.first.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind == "input:radio":
            page.check(f'input[name="{name}"][value="{value}"]')
        elif kind.startswith("select"):
            locator.select_option(value)
        else:
            locator.fill(value)


GROUP_PAGES: dict[str, list[dict[str, Any]]] = {
    "familien": [
        {
            "q-kita": "dk",
            "q-angebote-spielplatz": "5",
            "q-angebote-schule": "3",
            "q-angebote-bibliothek": "2",
        },
        {"q-beratung": "ja", "q-stelle": "familienbuero", "q-themen": ["erziehung"]},
        {
            "q-prioritaeten-wege": "1",
            "q-prioritaeten-bus": "2",
            "q-kinder": "2",
            "q-anmerkungen": "Mehr Spielplätze, bitte!",
        },
    ],
    "senioren": [
        {"q-angebote-spielplatz": "3", "q-angebote-schule": "3", "q-angebote-bibliothek": "5"},
        {"q-beratung": "nein"},
        {"q-prioritaeten-bus": "1", "q-prioritaeten-treff": "2"},
    ],
    "akteure": [
        {"q-beratung": "nein", "q-themen": ["pflege", "finanzen"]},
        {"q-anmerkungen": "Gute Zusammenarbeit."},
        {"q-vernetzung": "4"},
    ],
}
GROUP_LABELS = {
    "familien": "Familie",
    "senioren": "Seniorin oder Senior",
    "akteure": "Akteurin oder Akteur (Institution, Verein, Unternehmen)",
}


def stored_responses(app: Flask) -> list[Response]:
    """Return the stored responses (fresh read)."""
    db.session.expire_all()
    return list(db.session.scalars(select(Response)))


@pytest.mark.parametrize("group", ["familien", "senioren", "akteure"])
def test_complete_survey_as_each_group(
    page: Any, axe: Any, survey_url: str, db_app: Flask, group: str
) -> None:
    page.goto(survey_url)
    check_state(page, axe, f"{group}-0-landing")
    page.get_by_label(GROUP_LABELS[group], exact=True).check()
    page.get_by_role("button", name="Fragebogen beginnen").click()
    for number, data in enumerate(GROUP_PAGES[group], start=1):
        expect(page).to_have_title(re.compile("^" + re.escape(f"Schritt {number} von 3 – ")))
        check_state(page, axe, f"{group}-{number}-page")
        fill_page(page, data)
        page.get_by_role("button", name="Weiter", exact=True).click()
    expect(page).to_have_title(re.compile("^" + re.escape("Antworten prüfen")))
    check_state(page, axe, f"{group}-4-check")
    page.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_url(re.compile(r".*/danke$"))
    check_state(page, axe, f"{group}-5-thanks")
    responses = stored_responses(db_app)
    assert len(responses) == 1
    assert responses[0].target_group.key == group


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reachable with Tab")


def choose_radio(page: Any, name: str, index: int) -> None:
    """Select the ``index``-th (0-based) radio of a group with the keyboard."""
    tab_to(page, f'input[name="{name}"]')
    page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")


def test_keyboard_only_on_a_small_phone(
    mobile_page: Any, axe: Any, survey_url: str, db_app: Flask
) -> None:
    page = mobile_page
    page.goto(survey_url)
    assert no_horizontal_scroll(page)
    choose_radio(page, "gruppe", 0)
    page.keyboard.press("Enter")  # submits the form from the focused radio
    page.wait_for_url(re.compile(r".*/seite/1$"))
    assert no_horizontal_scroll(page), "the matrix must reflow at 360 px"
    check_state(page, axe, "mobile-1-page")
    choose_radio(page, "q-kita", 3)
    for item in ("spielplatz", "schule", "bibliothek"):
        choose_radio(page, f"q-angebote-{item}", 2)
    tab_to(page, 'button[value="weiter"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/seite/2$"))
    choose_radio(page, "q-beratung", 1)  # Nein
    tab_to(page, 'button[value="weiter"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/seite/3$"))
    tab_to(page, 'select[name="q-prioritaeten-gruen"]')
    page.keyboard.press("ArrowDown")  # "Platz 1"
    tab_to(page, 'input[name="q-kinder"]')
    page.keyboard.type("3")
    tab_to(page, 'button[value="weiter"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/pruefen$"))
    assert no_horizontal_scroll(page)
    check_state(page, axe, "mobile-2-check")
    tab_to(page, "button[data-once]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/danke$"))
    responses = stored_responses(db_app)
    assert len(responses) == 1
    numbers = db.session.scalars(select(Answer.num).where(Answer.response_id == responses[0].id))
    assert 3.0 in set(numbers)


def test_error_path_focuses_summary_and_links_to_fields(
    page: Any, axe: Any, survey_url: str
) -> None:
    page.goto(f"{survey_url}/familien/seite/1")
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_selector(".error-summary")
    # expect() runs in Playwright's utility world, so the page's CSP (no eval) holds.
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile("^" + re.escape("Fehler:")))
    check_state(page, axe, "errors-page1")
    page.get_by_role("link", name="Bitte beantworten Sie diese Frage.").click()
    expect(page.locator("#q-kita--1")).to_be_focused()
    page.goto(f"{survey_url}/familien/seite/3")
    page.fill('input[name="q-kinder"]', "zwei")
    page.select_option('select[name="q-prioritaeten-wege"]', "1")
    page.select_option('select[name="q-prioritaeten-bus"]', "1")
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_selector(".error-summary")
    assert page.input_value('input[name="q-kinder"]') == "zwei"
    assert page.locator("#q-kinder").get_attribute("aria-invalid") == "true"
    assert "Jeder Platz darf nur einmal vergeben werden." in page.inner_text(".error-summary")
    check_state(page, axe, "errors-page3")


def test_resume_from_code_in_another_browser(
    page: Any, browser: Any, axe: Any, survey_url: str
) -> None:
    page.goto(f"{survey_url}/familien/seite/1")
    fill_page(page, GROUP_PAGES["familien"][0])
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_url(re.compile(r".*/seite/2$"))
    page.get_by_role("button", name="Später weitermachen").click()
    page.wait_for_url(re.compile(r".*/gespeichert$"))
    check_state(page, axe, "resume-1-saved")
    code = page.inner_text(".code-box__code").strip()
    assert len(code.replace("-", "")) == 28

    other = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = other.new_page()
        tab.goto(f"{survey_url}/weiter")
        check_state(tab, axe, "resume-2-form")
        tab.fill("#code", code.lower())
        tab.get_by_role("button", name="Weitermachen").click()
        tab.wait_for_url(re.compile(r".*/seite/2$"))
        tab.get_by_role("button", name="Zurück", exact=True).click()
        tab.wait_for_url(re.compile(r".*/seite/1$"))
        assert tab.is_checked('input[name="q-kita"][value="dk"]')
        assert tab.is_checked('input[name="q-angebote-spielplatz"][value="5"]')
    finally:
        other.close()


def test_condition_shows_question_live_with_javascript(page: Any, survey_url: str) -> None:
    page.goto(f"{survey_url}/akteure/seite/1")
    follow_up = page.locator("#frage-stelle")
    expect(follow_up).to_be_hidden()
    page.check('input[name="q-beratung"][value="ja"]')
    expect(follow_up).to_be_visible()
    expect(page.locator("[data-live]")).to_contain_text("Weitere Frage eingeblendet: Welche")
    page.check('input[name="q-stelle"][value="andere"]')
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_url(re.compile(r".*/seite/2$"))


def test_answer_given_before_the_script_ran_still_shows_its_follow_up(
    page: Any, survey_url: str
) -> None:
    # A slow phone: the page is usable before the deferred script arrives. Hold the script
    # back, answer the trigger question, then let the script run.
    held: list[Any] = []
    page.route("**/static/js/citizen.js*", lambda route: held.append(route))
    # The held deferred script also holds DOMContentLoaded back: wait only for the response.
    page.goto(f"{survey_url}/akteure/seite/1", wait_until="commit")
    page.check('input[name="q-beratung"][value="ja"]')
    follow_up = page.locator("#frage-stelle")
    expect(follow_up).to_be_hidden()
    assert held, "the script was not requested"
    held[0].continue_()
    expect(follow_up).to_be_visible()
    assert "stelle" in page.input_value('input[name="angezeigt"]').split(",")


def test_double_click_on_submit_stores_one_response(
    page: Any, survey_url: str, db_app: Flask
) -> None:
    for number, data in enumerate(GROUP_PAGES["senioren"], start=1):
        page.goto(f"{survey_url}/senioren/seite/{number}")
        fill_page(page, data)
        page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_role("button", name="Antworten absenden").dblclick()
    page.wait_for_url(re.compile(r".*/danke$"))
    assert db.session.scalar(select(func.count(Response.id))) == 1


def test_back_after_the_thank_you_page_says_the_answers_were_sent(
    page: Any, axe: Any, survey_url: str, db_app: Flask
) -> None:
    page.goto(f"{survey_url}/senioren/seite/1")
    for number, data in enumerate(GROUP_PAGES["senioren"], start=1):
        page.wait_for_url(re.compile(rf".*/seite/{number}$"))
        fill_page(page, data)
        page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_url(re.compile(r".*/pruefen$"))
    page.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_url(re.compile(r".*/danke$"))
    page.go_back()  # the check page
    expect(page.locator("h1")).to_have_text("Ihre Antworten wurden bereits gesendet")
    expect(page).to_have_title(re.compile("^Ihre Antworten wurden bereits gesendet"))
    assert page.get_by_text("Fragebogen beginnen").count() == 0
    assert page.locator("form").count() == 0
    check_state(page, axe, "sent-1-back")
    page.go_back()  # the last question page
    expect(page.locator("h1")).to_have_text("Ihre Antworten wurden bereits gesendet")
    assert page.locator('input[name^="q-"]').count() == 0
    page.goto(survey_url)  # the landing page of the same survey, in the same session
    expect(page.locator("h1")).to_have_text("Ihre Antworten wurden bereits gesendet")
    assert len(stored_responses(db_app)) == 1


def test_back_keeps_an_invalid_entry_as_typed_and_weiter_checks_it(
    page: Any, axe: Any, survey_url: str
) -> None:
    for number, data in enumerate(GROUP_PAGES["familien"][:2], start=1):
        page.goto(f"{survey_url}/familien/seite/{number}")
        fill_page(page, data)
        page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_url(re.compile(r".*/seite/3$"))
    page.fill('input[name="q-kinder"]', "zwei")
    page.fill('textarea[name="q-anmerkungen"]', "Mehr Bänke")
    page.get_by_role("button", name="Zurück", exact=True).click()
    page.wait_for_url(re.compile(r".*/seite/2$"))  # no error page: going back is not checked
    expect(page.locator(".error-summary")).to_have_count(0)
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_url(re.compile(r".*/seite/3$"))
    assert page.input_value('input[name="q-kinder"]') == "zwei"
    assert page.input_value('textarea[name="q-anmerkungen"]') == "Mehr Bänke"
    expect(page.locator(".error-summary")).to_have_count(0)  # the error only after "Weiter"
    check_state(page, axe, "typed-1-back")
    page.get_by_role("button", name="Später weitermachen").click()
    page.wait_for_url(re.compile(r".*/gespeichert$"))
    page.goto(f"{survey_url}/familien/pruefen")  # the check page asks for the correction
    expect(page.locator(".error-summary")).to_contain_text("Bitte korrigieren Sie Ihre Eingabe")
    check_state(page, axe, "typed-3-check")
    page.locator(".error-summary a").filter(has_text="Wie viele Kinder").click()
    page.wait_for_url(re.compile(r".*/seite/3\?von=pruefen#frage-kinder$"))
    assert page.input_value('input[name="q-kinder"]') == "zwei"
    page.get_by_role("button", name="Zurück zur Übersicht").click()  # "Weiter" from the check
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.input_value('input[name="q-kinder"]') == "zwei"
    assert page.locator("#q-kinder").get_attribute("aria-invalid") == "true"
    check_state(page, axe, "typed-2-weiter")


def test_landing_and_thanks_show_only_the_surveys_own_texts(
    page: Any, axe: Any, survey_url: str, db_app: Flask
) -> None:
    page.goto(survey_url)
    body = page.inner_text("main")
    assert "familiengerechte Kommune" not in body and "Handlungsfeldern" not in body
    survey = db.session.scalars(select(Survey)).one()
    survey.purpose = "Wir fragen, damit die Spielplätze sicherer werden."
    survey.next_steps = "Wir werten aus.\n\nDer Ausschuss berät im Mai."
    db.session.commit()
    page.goto(survey_url)
    expect(page.get_by_role("heading", name="Warum wir fragen")).to_be_visible()
    expect(page.locator("ol.steps li")).to_have_text(
        ["Wir werten aus.", "Der Ausschuss berät im Mai."]
    )
    check_state(page, axe, "landing-own-texts")
    page.goto(f"{survey_url}/danke")
    expect(page.locator("ol.steps li").last).to_have_text("Der Ausschuss berät im Mai.")
    check_state(page, axe, "thanks-own-texts")
