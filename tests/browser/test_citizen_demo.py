"""Answer a whole survey on a 360 px phone as each target group, whatever its questions:
the test survey of ``tests.factories`` and, where ``demo`` exists, the Delmenhorst demo.

The filler answers every visible question with a valid value (first choice, places 1..n,
the lowest allowed number, a short text) and lets the page's script reveal follow-up
questions, so it works for any questionnaire built from the eight question types.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from surveys.models import AccessMode, Response, Survey
from surveys.queries import open_surveys
from tests.browser.test_citizen_flow import check_state, no_horizontal_scroll
from tests.factories import build_survey

pytestmark = pytest.mark.browser

FILL_VISIBLE = """() => {
  const wraps = [...document.querySelectorAll('.question-wrap:not([hidden])')];
  for (const wrap of wraps) {
    const names = new Set([...wrap.querySelectorAll('input[type=radio]')].map(i => i.name));
    for (const name of names) {
      const radios = [...wrap.querySelectorAll(`input[type=radio][name="${name}"]`)];
      if (!radios.some(r => r.checked)) {
        const pick = radios.find(r => r.value !== 'dk') || radios[0];
        pick.checked = true;
        pick.dispatchEvent(new Event('change', {bubbles: true}));
      }
    }
    const boxes = [...wrap.querySelectorAll('input[type=checkbox]')];
    if (boxes.length && !boxes.some(b => b.checked)) {
      boxes[0].checked = true;
      boxes[0].dispatchEvent(new Event('change', {bubbles: true}));
    }
    const selects = [...wrap.querySelectorAll('select')];
    selects.forEach((select, index) => {
      const place = String(index + 1);
      const has = [...select.options].some(o => o.value === place);
      select.value = has ? place : '';
    });
    for (const field of wrap.querySelectorAll('input[type=text], textarea')) {
      if (field.value || field.name.endsWith('-other') || field.name === 'website') continue;
      if (field.name.endsWith('-year')) { field.value = '2020'; continue; }  // a date's year
      if (field.inputMode === 'numeric' || field.inputMode === 'decimal') {
        const hint = wrap.querySelector('.hint') ? wrap.querySelector('.hint').textContent : '';
        const low = hint.match(/mindestens (-?[0-9]+)/);
        field.value = low ? low[1] : '1';
      } else {
        field.value = 'Test';
      }
    }
  }
  return wraps.length;
}"""


def answer_page(page: Any) -> None:
    """Fill every visible question until no follow-up question appears any more."""
    shown = -1
    for _ in range(5):
        count = page.evaluate(FILL_VISIBLE)
        if count == shown:
            return
        shown = count


def go_on(page: Any) -> None:
    """Click "Weiter", wait for the next page and check that it shows no error summary."""
    current = page.url
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_url(lambda url, old=current: url != old)
    errors = page.locator(".error-summary")
    assert errors.count() == 0, errors.first.inner_text()


def complete(page: Any, base: str, survey: Survey, group_label: str, axe: Any) -> None:
    """Answer ``survey`` from its landing page as the group with ``group_label``."""
    page.goto(f"{base}/s/{survey.slug}")
    page.get_by_label(group_label, exact=True).check()
    page.get_by_role("button", name="Fragebogen beginnen").click()
    for _ in range(20):
        expect(page.locator("h1")).to_be_visible()
        if "/pruefen" in page.url:
            break
        assert no_horizontal_scroll(page), page.url
        answer_page(page)
        go_on(page)
    expect(page).to_have_title(re.compile("^Antworten prüfen"))
    assert no_horizontal_scroll(page)
    axe(page, f"check page of {survey.slug}")
    page.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_url(re.compile(r".*/danke$"))
    # Wait for the whole page: its response refreshes the session cookie, which must not
    # arrive after the next group's clear_cookies().
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_contain_text("Vielen Dank")


@pytest.mark.parametrize("source", ["factory", "demo"])
def test_answer_a_whole_survey_on_a_phone_as_each_group(
    mobile_page: Any, axe: Any, db_app: Flask, live_server: str, source: str
) -> None:
    if source == "demo":
        demo = pytest.importorskip("demo")
        demo.seed_demo(db.session, responses=0)
        db.session.commit()
        # The postal survey asks for an access code first; answer the public one.
        surveys = [
            s for s in open_surveys(db.session, date.today()) if s.access_mode == AccessMode.PUBLIC
        ]
        if not surveys:
            pytest.skip("the demo has no open public survey")
        survey = surveys[0]
    else:
        survey = build_survey(db.session)
        db.session.commit()
    groups = [(g.key, g.respondent_label or g.label) for g in survey.target_groups]
    for index, (_key, label) in enumerate(groups, start=1):
        mobile_page.context.clear_cookies()
        complete(mobile_page, live_server, survey, label, axe)
        db.session.expire_all()
        stored = db.session.scalar(
            select(func.count(Response.id)).where(Response.survey_id == survey.id)
        )
        assert stored == index
    check_state(mobile_page, axe, f"{source}-thanks-mobile")
