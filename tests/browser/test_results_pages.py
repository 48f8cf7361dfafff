"""Browser walk over the public results, measures and open-data pages, with axe on each.

Also: the staff publication screen, the measure filters without JavaScript, and the print
layout of the results page.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from app.extensions import db
from surveys.models import Role
from surveys.publication import PublicationInput, publish, save_publication
from tests.app.results_support import COMMENT_PAYLOAD, arrange
from tests.app.staff_helpers import PASSWORDS, make_user
from tests.browser.screens import shot

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("RESULTS_SCREENSHOTS")


def _publish(db_app: Flask) -> int:
    from app.results.content import analysis_for, public_results
    from app.results.helpers import policy

    arranged = arrange()
    with db_app.test_request_context():
        result = analysis_for(db.engine, arranged.survey.id, None, policy())
    key = next(c.key for c in public_results(result).comments if c.text == COMMENT_PAYLOAD)
    data = PublicationInput(True, ("wohnumfeld", "bildung"), (key,), "dl-de/by-2-0")
    save_publication(db.session, arranged.survey, data, None)
    publish(db.session, arranged.survey, None)
    db.session.commit()
    return arranged.survey.id


def test_citizen_walk_results_and_measures(
    db_app: Flask, live_server: str, page: Any, mobile_page: Any, axe: Any
) -> None:
    _publish(db_app)
    page.on("dialog", lambda d: pytest.fail(f"script ran: {d.message}"))
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Umfrage befragung-2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ergebnisse")
    expect(page.get_by_role("heading", name="Wer hat mitgemacht?")).to_be_visible()
    expect(page.locator("blockquote")).to_contain_text("Mehr Bänke bitte <script>")
    page.wait_for_load_state("load")
    images = page.locator("figure.results-chart img")
    expect(images.first).to_be_visible()
    widths = images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert widths and all(w > 0 for w in widths)  # the charts really load
    axe(page, "results page")
    shot(page, "results")

    page.get_by_role("link", name="Was aus den Ergebnissen geworden ist: die Maßnahmen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Beschlossene Maßnahmen und ihr Stand"
    )
    expect(page.locator(".status-badge").first).to_have_text("begonnen")
    axe(page, "measures page")
    shot(page, "measures")
    page.locator(".card__title a").first.click()
    expect(page.get_by_role("heading", name="Verlauf")).to_be_visible()
    axe(page, "measure detail")

    page.goto(f"{live_server}/opendata/")
    axe(page, "open data index")
    shot(page, "opendata")

    mobile_page.goto(f"{live_server}/s/befragung-2026/ergebnisse")
    axe(mobile_page, "results page at 360 px")
    overflow = mobile_page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(e => !e.closest(".table-wrap"))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + "." + e.className)"""
    )
    assert not overflow
    mobile_page.goto(f"{live_server}/massnahmen")
    axe(mobile_page, "measures page at 360 px")
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(mobile_page, "measures-mobile")

    page.emulate_media(media="print")
    page.goto(f"{live_server}/s/befragung-2026/ergebnisse")
    expect(page.locator(".results-toc")).to_be_hidden()
    expect(page.locator("table.results-data").first).to_be_visible()
    shot(page, "results-print")


def test_filters_and_pages_work_without_javascript(
    db_app: Flask, live_server: str, browser: Any, axe: Any
) -> None:
    _publish(db_app)
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    try:
        page = context.new_page()
        page.goto(f"{live_server}/massnahmen")
        page.get_by_label("Handlungsfeld", exact=True).select_option("bildung")
        page.get_by_role("button", name="Anzeigen").click()
        expect(page).to_have_url(f"{live_server}/massnahmen?feld=bildung&status=")
        expect(page.get_by_text("0 von 1 Maßnahmen")).to_be_visible()
        page.get_by_label("Handlungsfeld", exact=True).select_option("wohnumfeld")
        page.get_by_label("Stand", exact=True).select_option("begonnen")
        page.get_by_role("button", name="Anzeigen").click()
        expect(page.get_by_text("1 von 1 Maßnahmen")).to_be_visible()
        page.goto(f"{live_server}/s/befragung-2026/ergebnisse")
        expect(page.get_by_role("heading", name="Wer hat mitgemacht?")).to_be_visible()
    finally:
        context.close()


def test_staff_publication_screen(db_app: Flask, live_server: str, page: Any, axe: Any) -> None:
    arranged = arrange(with_agreement=False)
    make_user(Role.STAFF)
    page.goto(f"{live_server}/verwaltung/umfragen/{arranged.survey.id}/ergebnisse")
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(PASSWORDS[Role.STAFF])
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ergebnisse veröffentlichen")
    axe(page, "staff publication screen")
    page.get_by_label("Kommentare mit den Wörtern").fill("Bänke bitte")
    page.get_by_role("button", name="Kommentare filtern").click()
    page.get_by_label("Mehr Bänke bitte", exact=False).check()
    page.get_by_role("button", name="Auswahl speichern").click()
    expect(page.get_by_text("Die Auswahl ist gespeichert.")).to_be_visible()
    expect(page.get_by_text("Ausgewählte Kommentare: 1")).to_be_visible()
    shot(page, "staff-publication")
    page.get_by_role("link", name="Vorschau ansehen").click()
    expect(page.get_by_text("Diese Seite ist noch nicht öffentlich.")).to_be_visible()
    axe(page, "staff preview")
    page.get_by_role("link", name="Zurück zur Auswahl").click()
    page.get_by_role("button", name="Jetzt veröffentlichen").click()
    expect(page.get_by_text("Die Ergebnisse sind jetzt öffentlich.")).to_be_visible()
    page.goto(f"{live_server}/s/befragung-2026/ergebnisse")
    expect(page.locator("blockquote")).to_contain_text("Mehr Bänke bitte")
