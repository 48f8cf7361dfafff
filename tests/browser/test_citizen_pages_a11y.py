"""axe-core on every public page and state that the flow tests do not already cover, at
desktop and phone width: home, information pages, landing with error, group landing, every
question page of every group, closed/unknown surveys, access code, resume, paper version."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from app.extensions import db
from surveys.access_codes import generate_access_codes
from surveys.models import AccessMode, SurveyStatus
from tests.browser.test_citizen_flow import check_state, no_horizontal_scroll
from tests.factories import build_survey

pytestmark = pytest.mark.browser


def test_public_pages_have_no_serious_violations(
    page: Any, mobile_page: Any, axe: Any, live_server: str, survey_url: str
) -> None:
    urls = {
        "home": "/",
        "impressum": "/impressum",
        "datenschutz": "/datenschutz",
        "barrierefreiheit": "/barrierefreiheit",
        "landing-error": "/s/familienumfrage/start",
        "group-landing": "/s/familienumfrage/senioren",
        "paper": "/s/familienumfrage/druck",
        "paper-group": "/s/familienumfrage/druck?gruppe=akteure",
        "resume": "/s/familienumfrage/weiter",
        "unknown": "/s/gibt-es-nicht",
    }
    for tab, width in ((page, "desktop"), (mobile_page, "mobile")):
        for name, path in urls.items():
            tab.goto(live_server + path)
            check_state(tab, axe, f"a11y-{width}-{name}")
            if width == "mobile":
                assert no_horizontal_scroll(tab), name


def test_every_question_page_of_every_group(page: Any, axe: Any, survey_url: str) -> None:
    for group in ("familien", "senioren", "akteure"):
        for step in (1, 2, 3):
            page.goto(f"{survey_url}/{group}/seite/{step}")
            axe(page, f"{group} page {step}")
    # every type with an error at once: page 3 with an invalid number and duplicate places
    page.goto(f"{survey_url}/familien/seite/3")
    page.fill("#q-kinder", "viele")
    page.fill("#q-anmerkungen", "x" * 250)
    page.select_option("#q-prioritaeten-wege", "1")
    page.select_option("#q-prioritaeten-gruen", "1")
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_selector(".error-summary")
    axe(page, "page 3 with errors")
    page.goto(f"{survey_url}/familien/seite/2")
    page.check("#q-themen--1")
    page.check("#q-themen--2")
    page.check("#q-themen--3")
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_selector(".error-summary")
    check_state(page, axe, "page2-errors")


def test_resume_error_and_check_page_with_missing_answers(
    page: Any, axe: Any, survey_url: str
) -> None:
    page.goto(f"{survey_url}/weiter")
    page.fill("#code", "FALSCH")
    page.get_by_role("button", name="Weitermachen").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe(page, "resume with error")
    page.goto(f"{survey_url}/familien/pruefen")
    axe(page, "check page without answers")
    page.goto(f"{survey_url}/familien/seite/1")
    page.check("#q-kita--2")
    page.get_by_role("button", name="Später weitermachen").click()
    page.wait_for_url(re.compile(r".*/gespeichert$"))
    page.goto(f"{survey_url}/familien/pruefen")
    expect(page.locator(".error-summary")).to_be_visible()
    check_state(page, axe, "check-missing")


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"status": SurveyStatus.CLOSED, "closes_on": date.today() - timedelta(days=1)}, "closed"),
        ({"opens_on": date.today() + timedelta(days=7)}, "not-open"),
    ],
)
def test_unavailable_survey_pages(
    page: Any, axe: Any, db_app: Flask, live_server: str, changes: dict[str, Any], name: str
) -> None:
    survey = build_survey(db.session)
    for key, value in changes.items():
        setattr(survey, key, value)
    db.session.commit()
    response = page.goto(f"{live_server}/s/{survey.slug}")
    assert response is not None and response.status in (403, 410)
    check_state(page, axe, f"unavailable-{name}")


def test_access_code_page_with_error(page: Any, axe: Any, db_app: Flask, live_server: str) -> None:
    survey = build_survey(db.session, access_mode=AccessMode.CODE)
    codes = generate_access_codes(db.session, survey, 1)
    db.session.commit()
    page.goto(f"{live_server}/s/{survey.slug}/akteure/seite/1")
    check_state(page, axe, "access-code")
    page.fill("#access_code", "NOPE-NOPE-NOPE")
    page.get_by_role("button", name="Weiter", exact=True).click()
    assert "Diesen Zugangscode kennen wir nicht" in page.inner_text(".error-summary")
    check_state(page, axe, "access-code-error")
    page.fill("#access_code", codes[0])
    page.get_by_role("button", name="Weiter", exact=True).click()
    expect(page).to_have_title(re.compile("^" + re.escape("Schritt 1 von 3 – Beratung")))


def test_question_pages_reflow_at_320_px_and_200_percent_zoom(
    browser: Any, survey_url: str
) -> None:
    # 320 CSS px is what a 640 px wide window shows at 200 % zoom (WCAG 1.4.10 reflow).
    for scale in (1, 2):
        context = browser.new_context(
            viewport={"width": 320, "height": 640}, device_scale_factor=scale
        )
        try:
            tab = context.new_page()
            for path in (
                "",
                "/familien/seite/1",
                "/familien/seite/2",
                "/familien/seite/3",
                "/familien/pruefen",
                "/druck",
            ):
                tab.goto(survey_url + path)
                assert no_horizontal_scroll(tab), path
        finally:
            context.close()
