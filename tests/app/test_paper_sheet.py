"""The printed questionnaire: one group's version by default, the return address staff set,
and scale headers that never break inside a word (the printed PDF: tests/browser)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from app.extensions import db
from surveys.models import Role, Survey
from tests.app.citizen_flow import BASE
from tests.app.staff_helpers import login, make_user

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"
ADDRESS = (
    "Stadt Delmenhorst\nFachdienst Controlling und Allgemeines\nRathausplatz 1\n27749 Delmenhorst"
)
SEVEN = ["gar nicht", "kaum", "wenig", "mittel", "ziemlich", "stark", "völlig"]


def text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_sheet_is_one_groups_version_unless_all_questions_are_chosen(
    client: FlaskClient, survey: Survey
) -> None:
    html = text(client, f"{BASE}/druck")
    assert "Fragebogen für: Familien</p>" in html  # the first group, not every question
    assert "Kinderbetreuung" in html and "Steuerung, Vernetzung" not in html
    assert "Für:" not in html and "Ich antworte als:" not in html
    assert (
        f'<a href="{BASE}/druck?gruppe=familien" aria-current="page">Fragebogen für: Familien</a>'
        in html
    )
    for key in ("senioren", "akteure", "alle"):
        assert f'href="{BASE}/druck?gruppe={key}"' in html
    everything = text(client, f"{BASE}/druck?gruppe=alle")
    assert f'<a href="{BASE}/druck?gruppe=alle" aria-current="page">Alle Fragen</a>' in everything
    assert "Handlungsfeld 1: Steuerung, Vernetzung" in everything
    assert "Ich antworte als:" in everything and "Für:" in everything
    assert "Fragebogen für: Familien</p>" not in everything
    assert client.get(f"{BASE}/druck?gruppe=niemand").status_code == 404
    # the landing page of one group links to that group's sheet
    assert f'href="{BASE}/druck?gruppe=senioren"' in text(client, f"{BASE}/senioren")


def test_the_return_address_and_deadline_are_printed(client: FlaskClient, survey: Survey) -> None:
    assert "zurücksenden" not in text(client, f"{BASE}/druck")
    assert "Geben Sie den ausgefüllten Bogen im Rathaus ab" in text(client, f"{BASE}/druck")
    survey.return_address = ADDRESS
    db.session.commit()
    html = text(client, f"{BASE}/druck")
    assert (
        "<strong>Bitte zurücksenden an:</strong> <bdi>Stadt Delmenhorst, Fachdienst Controlling "
        "und Allgemeines, Rathausplatz 1, 27749 Delmenhorst</bdi>" in html
    )
    assert (
        '<address dir="ltr">Stadt Delmenhorst<br>Fachdienst Controlling und Allgemeines<br>'
        "Rathausplatz 1<br>27749 Delmenhorst</address>" in html
    )
    assert "Senden Sie den ausgefüllten Bogen an die Adresse am Ende des Bogens" in html
    survey.return_by = date(2026, 12, 18)
    db.session.commit()
    html = text(client, f"{BASE}/druck?gruppe=senioren")
    assert html.count("Bitte bis zum 18. Dezember 2026 zurücksenden an:") == 2
    survey.return_address = ""
    db.session.commit()
    html = text(client, f"{BASE}/druck")
    assert "Bitte geben Sie den ausgefüllten Bogen bis zum 18. Dezember 2026 im Rathaus ab." in html
    # another page language: the address stays German, marked as such
    survey.return_address = ADDRESS
    db.session.commit()
    arabic = text(client, f"{BASE}/druck?lang=ar")
    assert '<address dir="ltr" lang="de">Stadt Delmenhorst<br>' in arabic


def test_staff_set_the_return_address_in_the_survey_form(
    client: FlaskClient, survey: Survey
) -> None:
    make_user(Role.STAFF)
    login(client, Role.STAFF)
    url = f"/verwaltung/umfragen/{survey.id}/bearbeiten"
    form = text(client, url)
    assert "Papierfragebogen" in form and 'name="return_address"' in form
    assert 'type="date" id="f-return_by" name="return_by"' in form
    data: dict[str, Any] = {
        "title": survey.title,
        "slug": survey.slug,
        "access_mode": "public",
        "target_groups": ["familien", "senioren", "akteure"],
        "return_address": " Stadt Delmenhorst \r\n\r\nRathausplatz 1\r\n27749 Delmenhorst",
        "return_by": "2026-12-18",
    }
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Survey, survey.id)
    assert saved is not None
    assert saved.return_address == "Stadt Delmenhorst\nRathausplatz 1\n27749 Delmenhorst"
    assert saved.return_by == date(2026, 12, 18)
    assert "Rathausplatz 1" in text(client, url) and 'value="2026-12-18"' in text(client, url)
    detail = text(client, f"/verwaltung/umfragen/{survey.id}")
    assert "Rücksendung Papier" in detail and "bis 18.12.2026" in detail
    refused = client.post(url, data={**data, "return_address": "\n".join("abcdefg")})
    assert refused.status_code == 422
    assert "höchstens 6 Zeilen" in refused.get_data(as_text=True)


def test_wide_scales_get_numbered_headers_with_a_key(client: FlaskClient, survey: Survey) -> None:
    five = text(client, f"{BASE}/druck")
    assert '<table class="paper-matrix paper-matrix--cols-5">' in five
    assert '<th scope="col">sehr unzufrieden</th>' in five and "Die Spalten bedeuten" not in five
    matrix = next(q for q in survey.questions() if q.key == "angebote")
    matrix.settings = {"scale": SEVEN, "dont_know": True}
    db.session.commit()
    wide = text(client, f"{BASE}/druck")
    assert "paper-matrix--cols-8 paper-matrix--numbered" in wide
    assert "Die Spalten bedeuten:" in wide
    assert '<span class="paper-key__entry">1 = gar nicht</span>' in wide
    assert '<span class="paper-key__entry">8 = weiß nicht / keine Angabe</span>' in wide
    assert (
        '<th scope="col"><span aria-hidden="true">7</span>'
        '<span class="visually-hidden">völlig</span></th>' in wide
    )


def test_print_css_never_breaks_scale_headers_inside_words() -> None:
    css = (STATIC / "css" / "main.css").read_text(encoding="utf-8")
    paper = css[css.index("/* Paper questionnaire */") : css.index("/* ===== end citizen")]
    assert "overflow-wrap: anywhere;" not in paper and "table-layout: fixed" not in paper
    header = re.search(r"\.paper-matrix th\[scope=col\] \{([^}]*)\}", paper)
    assert header and "hyphens: manual" in header.group(1)
    assert "overflow-wrap: normal" in header.group(1)
