"""The demo survey answered in Turkish and in Arabic (families) and in Leichte Sprache (seniors)
on a 360 px phone, every page checked with axe (right-to-left pages too), and screenshots of
the Arabic pages for a human look (``FK_SCREENSHOTS``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from surveys.models import Response, Survey
from surveys.queries import survey_by_slug
from tests.browser.screens import no_horizontal_scroll, shot
from tests.browser.test_citizen_demo import answer_page, go_on
from tests.factories import build_survey
from tests.i18n.catalogues import compile_catalogues

pytestmark = pytest.mark.browser

#: Per language: switcher name, group label, start, next, check title, send.
WORDS = {
    "tr": ("Türkçe", "Aile", "Ankete başla", "İleri", "Yanıtları kontrol edin", "Yanıtları gönder"),
    "ar": ("العربية", "أسرة", "ابدأ الاستبيان", "التالي", "مراجعة الإجابات", "إرسال الإجابات"),
}


@pytest.fixture(scope="module", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


def demo_survey() -> Survey:
    """The 2026 demo survey (seeded without responses)."""
    demo = pytest.importorskip("demo")
    demo.seed_demo(db.session, responses=0)
    db.session.commit()
    survey = survey_by_slug(db.session, demo.CURRENT.slug)
    assert survey is not None
    return survey


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_family_answers_the_demo_in_their_language(
    mobile_page: Any, axe: Any, db_app: Flask, live_server: str, language: str
) -> None:
    name, group, start, forward, check_title, send = WORDS[language]
    survey = demo_survey()
    page = mobile_page
    page.goto(f"{live_server}/s/{survey.slug}")
    page.get_by_role("link", name=name).click()
    direction = "rtl" if language == "ar" else "ltr"
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", direction)
    axe(page, f"landing ({language})")
    shot(page, f"{language}-1-landing")
    page.get_by_label(group, exact=True).check()
    page.get_by_role("button", name=start).click()
    pages = 0
    for _ in range(20):
        expect(page.locator("h1")).to_be_visible()
        if "/pruefen" in page.url:
            break
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert page.locator(".fallback-note").count() == 0, page.url  # fully translated
        assert no_horizontal_scroll(page), page.url
        if pages < 2:
            axe(page, f"question page {pages + 1} ({language})")
            shot(page, f"{language}-2-page{pages + 1}")
        answer_page(page)
        current = page.url
        page.get_by_role("button", name=forward, exact=True).click()
        page.wait_for_url(lambda url, old=current: url != old)
        errors = page.locator(".error-summary")
        assert errors.count() == 0, errors.first.inner_text()
        pages += 1
    assert pages >= 5
    expect(page).to_have_title(re.compile(f"^{check_title}"))
    axe(page, f"check page ({language})")
    shot(page, f"{language}-3-check")
    page.get_by_role("button", name=send).click()
    page.wait_for_url(re.compile(r".*/danke$"))
    expect(page.locator("html")).to_have_attribute("dir", direction)
    shot(page, f"{language}-4-thanks")
    db.session.expire_all()
    stored = db.session.scalars(select(Response).where(Response.survey_id == survey.id)).all()
    assert [r.language for r in stored] == [language]


def test_arabic_fallback_pages_pass_axe_and_keep_german_marked(
    mobile_page: Any, axe: Any, db_app: Flask, live_server: str
) -> None:
    survey = build_survey(db.session)  # no translations: every survey text falls back
    db.session.commit()
    page = mobile_page
    page.goto(f"{live_server}/s/{survey.slug}/familien/seite/1?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".fallback-note").first).to_have_text("متوفر باللغة الألمانية فقط")
    legend = page.locator("legend span[lang=de]").first
    expect(legend).to_have_attribute("dir", "ltr")
    assert no_horizontal_scroll(page)
    axe(page, "Arabic page with German fallback")
    shot(page, "ar-5-fallback")
    page.goto(f"{live_server}/s/{survey.slug}/druck")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    axe(page, "Arabic paper version")
    shot(page, "ar-6-paper")


def test_senior_answers_the_demo_in_leichte_sprache(
    mobile_page: Any, axe: Any, db_app: Flask, live_server: str
) -> None:
    survey = demo_survey()
    page = mobile_page
    page.goto(f"{live_server}/s/{survey.slug}")
    page.get_by_role("list", name="Sprache:").get_by_role("link", name="Leichte Sprache").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_contain_text(
        "Umfrage 2026: Was ist für Familien besser geworden?"
    )
    axe(page, "landing (Leichte Sprache)")
    shot(page, "de-LS-1-landing")
    page.get_by_label("Seniorin oder Senior", exact=True).check()
    # The interface speaks Leichte Sprache too (catalogue de@ls).
    expect(page.get_by_role("heading", name="Darum fragen wir Sie")).to_be_visible()
    page.get_by_role("button", name="Mit den Fragen anfangen").click()
    pages = 0
    seen = ""
    for _ in range(20):
        expect(page.locator("h1")).to_be_visible()
        if "/pruefen" in page.url:
            break
        assert "/senioren/" in page.url, page.url
        assert page.locator(".fallback-note").count() == 0, page.url  # every text in LS
        assert no_horizontal_scroll(page), page.url
        seen += page.locator("main").inner_text()
        if pages < 2 or "Treff" in page.locator("main").inner_text():
            axe(page, f"senior question page {pages + 1} (Leichte Sprache)")
        answer_page(page)
        go_on(page)
        pages += 1
    assert pages >= 5
    # Senior-only questions appear in their Leichte-Sprache wording, not in standard German.
    assert "Wie oft gehen Sie zu so einem Treff?" in seen
    assert "Wo möchten Sie dann am liebsten wohnen?" in seen
    assert "Wie oft besuchen Sie einen Seniorentreff" not in seen
    expect(page).to_have_title(re.compile("^Antworten prüfen"))
    axe(page, "check page (Leichte Sprache)")
    page.get_by_role("button", name="Antworten abschicken").click()
    page.wait_for_url(re.compile(r".*/danke$"))
    axe(page, "thanks page (Leichte Sprache)")
    db.session.expire_all()
    stored = db.session.scalars(select(Response).where(Response.survey_id == survey.id)).all()
    assert [(r.language, r.target_group.key) for r in stored] == [("de-LS", "senioren")]


def test_arabic_error_summary_isolates_the_translated_question(
    mobile_page: Any, axe: Any, db_app: Flask, live_server: str
) -> None:
    from surveys.translations import save_translations

    survey = build_survey(db.session)
    save_translations(
        db.session, survey, "ar", {"q/kinder/text": "كم عدد الأطفال (0–15) في أسرتك؟"}
    )
    db.session.commit()
    page = mobile_page
    page.goto(f"{live_server}/s/{survey.slug}/familien/seite/3?lang=ar")
    page.fill('input[name="q-kinder"]', "zwei")
    page.get_by_role("button", name=WORDS["ar"][3], exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("bdi").first).to_have_text("كم عدد الأطفال (0–15) في أسرتك؟")
    assert "Wie viele Kinder" not in summary.inner_text()
    assert no_horizontal_scroll(page)
    axe(page, "Arabic error summary")
    shot(page, "ar-7-errors")
