"""Entering population margins in headless Chromium: the error summary, the fix, the weighted
figures; axe-core on every state. Set ``FK_SCREENSHOTS=/dir`` to keep screenshots."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from surveys.accounts import create_user
from surveys.models import PopulationMargin
from tests.app.test_staff_weighting import weighting_survey
from tests.browser.screens import shot

pytestmark = pytest.mark.browser

PASSWORD = "Fragebogen-Werkstatt 2026"


def test_enter_margins_fix_an_error_and_read_the_weighted_figures(
    page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    create_user(db.session, "staff@example.org", PASSWORD, "staff")
    survey = weighting_survey()
    page.goto(f"{live_server}/verwaltung/umfragen/{survey.id}")
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Gewichtung").click()
    expect(
        page.get_by_role("heading", name="Gewichtung nach der amtlichen Statistik")
    ).to_be_visible()
    shot(page, "weighting-empty")
    axe(page, "weighting overview without margins")

    page.get_by_label("Gewichtungsmerkmal hinzufügen").select_option(
        label="In welchem Bezirk wohnen Sie?"
    )
    page.get_by_role("button", name="Zahlen eintragen").click()
    expect(
        page.get_by_role("heading", name="Randverteilung: In welchem Bezirk wohnen Sie?")
    ).to_be_visible()
    page.get_by_label("Anteil in Prozent").check()
    page.get_by_label("Nord", exact=True).fill("20")
    page.get_by_label("Süd", exact=True).fill("30")
    page.get_by_label("Ost", exact=True).fill("40")  # adds up to 90 %
    page.get_by_label("ausschließen: Ich wohne woanders").check()
    page.get_by_label("Quelle").fill("Melderegister")
    page.get_by_label("Stand").fill("2025-12-31")
    page.get_by_role("button", name="Randverteilung speichern").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Die Anteile ergeben zusammen 90,0 % statt 100 %")
    expect(page.get_by_label("Nord", exact=True)).to_have_value("20")  # nothing typed is lost
    expect(page.get_by_label("Quelle")).to_have_value("Melderegister")
    expect(page.get_by_label("ausschließen: Ich wohne woanders")).to_be_checked()
    shot(page, "weighting-error")
    axe(page, "margin form with an error")
    summary.get_by_role("link").first.click()
    assert page.evaluate("location.hash") == "#f-values"

    page.get_by_label("Ost", exact=True).fill("50")
    page.get_by_role("button", name="Randverteilung speichern").click()
    expect(page.locator(".notice--success")).to_contain_text("ist gespeichert")
    db.session.expire_all()
    margin = db.session.scalars(select(PopulationMargin)).one()
    assert sorted(t.value for t in margin.targets if not t.excluded) == [20.0, 30.0, 50.0]

    # the same hand computation as tests/app/test_staff_weighting.py: 60,6 % → 52,7 %
    figures = page.get_by_role("table", name="Ungewichtete und gewichtete Ergebnisse: Familien")
    row = figures.get_by_role("row", name=re.compile(r"^Nutzen Sie das Familienbüro\? Ja "))
    expect(row).to_contain_text("60,6")
    expect(row).to_contain_text("52,7")
    expect(page.locator(".key-figures")).to_contain_text("1,77")
    shot(page, "weighting-result")
    axe(page, "weighting overview with results")
