"""A moderator prepares the workshop in headless Chromium: login → Auswertungen → dashboard →
field page → filter → download the Workshop-Mappe, with axe-core on every page.
Set ``FK_SCREENSHOTS=/dir`` to keep screenshots."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from app.extensions import db
from app.workshop.dashboard.data import clear_cache
from demo import seed_demo
from demo.content import CURRENT
from surveys.accounts import create_user
from tests.browser.screens import no_horizontal_scroll, shot

pytestmark = pytest.mark.browser

PASSWORD = "Workshop-Vorbereitung 2026"


def check(page: Any, axe: Any, name: str) -> None:
    """Optional screenshot and the accessibility check of the current page."""
    shot(page, name)
    axe(page, name)


def test_moderator_dashboard_field_filter_handout(
    page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    clear_cache()
    seed_demo(db.session, responses=120)
    create_user(db.session, "moderation@example.org", PASSWORD, "moderator")
    db.session.commit()
    page.set_default_timeout(60_000)

    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill("moderation@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("navigation", name="Verwaltung").get_by_role(
        "link", name="Auswertung", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Auswertungen")
    check(page, axe, "list")
    page.get_by_role("link", name=CURRENT.title).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Auswertung")
    heatmap = page.locator("table.heatmap").first
    expect(heatmap).to_contain_text("Bildung und Erziehung")
    expect(heatmap.locator("td.num").first).to_contain_text(re.compile(r"\d"))
    check(page, axe, "overview")

    heatmap.get_by_role("link", name="3. Bildung und Erziehung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Handlungsfeld 3: Bildung und Erziehung"
    )
    first_chart = page.locator("figure.chart img").first
    expect(first_chart).to_have_attribute("alt", re.compile(r"Balkendiagramm"))
    page.locator("figure.chart summary").first.click()
    expect(page.locator("figure.chart details table").first).to_be_visible()
    check(page, axe, "field")

    page.locator("#f-gruppe").select_option("senioren")
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page).to_have_url(re.compile(r"/dashboard/feld/bildung\?gruppe=senioren"))
    expect(page.locator("#f-gruppe")).to_have_value("senioren")
    expect(page.locator("main table").first).to_contain_text("Seniorinnen und Senioren")
    expect(page.locator("main table").first).not_to_contain_text("Familien")
    check(page, axe, "field-filtered")

    page.get_by_role("link", name=re.compile("Auswertung: ")).click()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("link", name="Workshop-Mappe als PDF").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_moderator_breaks_down_by_stadtteil_on_a_phone(
    mobile_page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    """360 px: the index per Stadtteil, hidden rows marked "•", the dashboard narrowed to one
    Stadtteil by the filter and by the row link, and no page scrolls sideways."""

    page = mobile_page
    clear_cache()
    seed_demo(db.session, responses=120)
    create_user(db.session, "moderation@example.org", PASSWORD, "moderator")
    db.session.commit()
    page.set_default_timeout(60_000)
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill("moderation@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"{live_server}/workshop/{CURRENT.slug}/dashboard")

    heading = page.get_by_role("heading", name=re.compile("nach: In welchem Stadtteil"))
    expect(heading).to_be_visible()
    table = page.locator("#merkmal-stadtteil + .table-wrap table")
    expect(table.get_by_role("rowheader", name="Alle Befragten")).to_be_visible()
    # 120 answers over ten Stadtteile: some are too small and are shown as "•" only.
    hidden = table.locator(".suppressed")
    assert hidden.count() > 0
    expect(hidden.first).to_contain_text("nicht gezeigt")
    assert no_horizontal_scroll(page)
    check(page, axe, "breakdown-overview-phone")

    page.locator("#f-merkmal").select_option("stadtteil=mitte")
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page).to_have_url(re.compile(r"merkmal=stadtteil%3Dmitte"))
    expect(page.locator("#f-merkmal")).to_have_value("stadtteil=mitte")
    expect(page.locator("#merkmal-stadtteil")).to_have_count(0)
    expect(page.locator("#merkmal-altersgruppe")).to_be_visible()
    assert no_horizontal_scroll(page)
    check(page, axe, "breakdown-filtered-phone")

    page.get_by_role("link", name="5. Wohnumfeld und Lebensqualität").first.click()
    expect(page).to_have_url(re.compile(r"/feld/wohnumfeld\?merkmal=stadtteil%3Dmitte"))
    expect(page.locator("#f-merkmal")).to_have_value("stadtteil=mitte")
    assert no_horizontal_scroll(page)
    check(page, axe, "breakdown-field-phone")
