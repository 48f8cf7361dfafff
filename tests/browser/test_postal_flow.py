"""Befragung per Post in headless Chromium: staff create a batch and download the letters,
a citizen opens the letter's QR link, finds the code filled in and answers, and staff see
the response rate per Stadtteil; axe-core on every page.
Set ``FK_SCREENSHOTS=/dir`` to keep screenshots.
"""

from __future__ import annotations

import re
import subprocess  # noqa: S404 - pdftotext from poppler-utils, a test dependency
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from app.extensions import db
from surveys.accounts import create_user
from surveys.models import AccessMode
from tests.browser.screens import shot
from tests.browser.test_citizen_flow import GROUP_PAGES, fill_page
from tests.factories import build_survey

pytestmark = pytest.mark.browser

PASSWORD = "Fragebogen-Werkstatt 2026"
CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


def test_batch_letters_and_qr_link(
    page: Any, browser: Any, axe: Any, live_server: str, db_app: Flask, tmp_path: Path
) -> None:
    create_user(db.session, "staff@example.org", PASSWORD, "staff")
    survey = build_survey(db.session, access_mode=AccessMode.CODE)
    db.session.commit()
    addresses = tmp_path / "adressen.csv"
    addresses.write_text(
        "Name;Straße;PLZ;Ort\nFamilie Kaya;Lange Straße 1;27749;Delmenhorst\n"
        "Familie Meyer;Am Stadtpark 2;27749;Delmenhorst\n",
        encoding="utf-8",
    )

    page.goto(f"{live_server}/verwaltung/umfragen/{survey.id}/ruecklauf")
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Befragung per Post: Briefe und Versände").click()
    expect(page.get_by_role("heading", name="Befragung per Post", exact=True)).to_be_visible()
    shot(page, "form")
    axe(page, "postal page")

    # a form error first: no address file
    page.get_by_label("Schicht").fill("Deichhorst")
    page.get_by_role("button", name="Versand anlegen und herunterladen").click()
    expect(page.locator("#f-addresses-error")).to_contain_text("Adressdatei")
    axe(page, "postal page with errors")

    page.get_by_label("Schicht").fill("Deichhorst")
    page.get_by_label("Zielgruppe", exact=False).first.select_option("familien")
    page.get_by_label("Adressen (CSV)").first.set_input_files(str(addresses))
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Versand anlegen und herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-briefe.pdf")
    pdf = tmp_path / "briefe.pdf"
    download.save_as(pdf)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    codes = CODE.findall(text)
    assert len(codes) == 2 and "Familie Meyer" in text

    page.reload()
    expect(page.get_by_role("row", name=re.compile("Deichhorst"))).to_be_visible()

    # the citizen scans the QR code of the first letter (its link, see test_staff_postal.py)
    context = browser.new_context(locale="de-DE")
    citizen = context.new_page()
    citizen.goto(f"{live_server}/s/{survey.slug}/zugang?gruppe=familien&code={codes[0]}")
    field = citizen.get_by_label("Zugangscode")
    expect(field).to_have_value(codes[0])
    shot(citizen, "citizen-prefilled")
    axe(citizen, "access code page, pre-filled")
    citizen.get_by_role("button", name="Weiter").click()
    expect(citizen).to_have_url(re.compile(r"/familien/seite/1$"))
    for data in GROUP_PAGES["familien"]:
        fill_page(citizen, data)
        citizen.get_by_role("button", name="Weiter", exact=True).click()
    citizen.get_by_role("button", name="Antworten absenden").click()
    citizen.wait_for_url(re.compile(r".*/danke$"))
    context.close()

    # back on the run page, the staff member sees the response rate per Stadtteil
    page.goto(f"{live_server}/verwaltung/umfragen/{survey.id}/ruecklauf")
    rates = page.locator("table", has=page.locator("caption", has_text="Rücklauf je Versand"))
    expect(rates).to_be_visible()
    row = rates.get_by_role("row", name=re.compile("Deichhorst"))
    # 2 letters sent; 1 online, 0 on paper with and without code; 1 in total; 50 %
    expect(row.locator("td")).to_have_text(
        ["Familien", "2", "1", "0", "0", "1", re.compile(r"50,0\s*%")]
    )
    expect(rates.get_by_role("row", name=re.compile("Alle Versände"))).to_contain_text("50,0")
    shot(page, "rates")
    axe(page, "run page with response rates")
