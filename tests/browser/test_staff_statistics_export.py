"""Statistics exports in headless Chromium: staff find them next to the raw export and
download SPSS, Stata and R files that other readers open; axe-core on the page.
Set ``FK_SCREENSHOTS=/dir`` to keep screenshots.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
import pytest
from flask import Flask
from playwright.sync_api import expect

from app.extensions import db
from surveys.accounts import create_user
from surveys.queries import target_group_by_key
from surveys.responses import store_response
from tests.browser.screens import shot
from tests.factories import build_survey

pytestmark = pytest.mark.browser

PASSWORD = "Statistik-Werkstatt 2026"


def test_staff_download_spss_stata_and_r_from_the_response_page(
    page: Any, axe: Any, live_server: str, db_app: Flask, tmp_path: Path
) -> None:
    create_user(db.session, "staff@example.org", PASSWORD, "staff")
    survey = build_survey(db.session)
    families = target_group_by_key(db.session, "familien")
    assert families is not None
    answers = {"kita": 4, "beratung": False, "anmerkungen": "=1+1 bitte mehr Kitas"}
    store_response(db.session, survey, families, answers, today=date(2026, 5, 4))
    db.session.commit()
    slug = survey.slug

    page.goto(f"{live_server}/verwaltung/umfragen/{survey.id}/ruecklauf")
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Für Statistikprogramme")).to_be_visible()
    shot(page, "statistics-exports")
    axe(page, "response page with statistics exports")

    files = {}
    for link, extension in (
        ("SPSS (.sav) herunterladen", "sav"),
        ("Stata (.dta) herunterladen", "dta"),
        ("R (CSV, Skript und Codebuch als ZIP) herunterladen", "zip"),
    ):
        with page.expect_download() as download_info:
            page.get_by_role("link", name=link).click()
        download = download_info.value
        assert download.suggested_filename.startswith(f"{slug}-antworten-")
        assert download.suggested_filename.endswith(f".{extension}")
        files[extension] = tmp_path / download.suggested_filename
        download.save_as(files[extension])

    frame, meta = pyreadstat.read_sav(str(files["sav"]), user_missing=True)
    assert frame["kita"].tolist() == [4] and frame["stelle"].tolist() == [-9]
    assert meta.variable_value_labels["stelle"][-9] == "nicht gezeigt"
    assert frame["anmerkungen"].tolist() == ["=1+1 bitte mehr Kitas"]
    stata = pd.read_stata(files["dta"])
    assert stata["beratung"].tolist() == ["nein"]
    archive = zipfile.ZipFile(io.BytesIO(files["zip"].read_bytes()))
    data = archive.read(f"{slug}-antworten.csv").decode("utf-8")
    assert "'=1+1 bitte mehr Kitas" in data
    assert f"{slug}-antworten.R" in archive.namelist()
