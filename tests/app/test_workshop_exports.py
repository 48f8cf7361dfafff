"""Freeze and new version through the pages; the annex as DOCX and PDF; the progress report."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from surveys.models import Role
from surveys.workshop.tracking import add_status_update, parse_update
from tests.app.workshop_support import login, make_user, seeded_agreement
from tests.surveys.workshop_helpers import measure_form

XSS = '<script>alert("x")</script> & <b>fett</b>'


def moderator(app: Flask) -> FlaskClient:
    client = app.test_client()
    login(client, make_user(Role.MODERATOR, email="moderatorin@example.org"))
    return client


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_freeze_dialog_validates_then_freezes_and_new_version(wapp: Flask) -> None:
    agreement = seeded_agreement(measures=2)
    client = moderator(wapp)
    page = client.get("/workshop/bilanz-2026/beschliessen").get_data(as_text=True)
    assert "2 Maßnahmen" in page and 'name="paper_number"' in page
    bad = client.post(
        "/workshop/bilanz-2026/beschliessen",
        data={"resolution_date": "2999-01-01", "paper_number": ""},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "nicht in der Zukunft" in html and "Drucksachennummer" in html
    assert 'value="2999-01-01"' in html
    client.post(
        "/workshop/bilanz-2026/beschliessen",
        data={"resolution_date": "10.11.2026", "paper_number": "DS 26/0815"},
    )
    db.session.refresh(agreement)
    v1 = agreement.current
    assert v1.is_frozen and v1.frozen_by == "moderatorin@example.org"
    history = client.get("/workshop/bilanz-2026/versionen").get_data(as_text=True)
    assert "DS 26/0815" in history and "10.11.2026" in history
    client.post("/workshop/bilanz-2026/neue-version", data={"change_note": "Ratsänderung"})
    db.session.refresh(agreement)
    assert [v.number for v in agreement.versions] == [1, 2]
    assert not agreement.current.is_frozen and agreement.current.change_note == "Ratsänderung"
    from surveys.models import AuditEvent

    events = [(e.action, e.actor) for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert events == [
        ("workshop.freeze", "moderatorin@example.org"),
        ("workshop.new_version", "moderatorin@example.org"),
    ]
    again = client.post("/workshop/bilanz-2026/neue-version", follow_redirects=True)
    assert "bereits einen Entwurf" in again.get_data(as_text=True)
    old = client.get("/workshop/bilanz-2026/feld/bildung?version=1").get_data(as_text=True)
    assert "ältere Version" in old


def test_annex_docx_and_pdf_escape_and_show_everything(
    wapp: Flask,
    tmp_path: Path,
) -> None:
    agreement = seeded_agreement(measures=1)
    goal = agreement.current.goals[0]
    client = moderator(wapp)
    client.post(
        f"/workshop/bilanz-2026/ziele/{goal.id}/massnahmen/neu",
        data=measure_form(title=XSS, description=XSS, findings=""),
    )
    client.post(
        "/workshop/bilanz-2026/beschliessen",
        data={"resolution_date": "10.11.2026", "paper_number": "DS 26/0815"},
    )
    response = client.get("/workshop/bilanz-2026/anlage.docx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    texts = [p.text for p in document.paragraphs]
    assert f"Maßnahme 3.1.2: {XSS}" in texts
    assert any("Drucksache DS 26/0815" in t for t in texts)

    response = client.get("/workshop/bilanz-2026/anlage.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = pdf_text(response.data, tmp_path)
    assert "Handlungsfeld 3: Bildung und Erziehung" in text
    assert '<script>alert("x")</script> & <b>fett</b>' in " ".join(text.split())
    assert "Anlage zur Drucksache DS 26/0815" in text
    assert "Seite 1 von" in text
    assert client.get("/workshop/bilanz-2026/anlage.pdf?version=9").status_code == 404


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_progress_report_renders(wapp: Flask, tmp_path: Path) -> None:
    from datetime import date

    agreement = seeded_agreement(measures=2)
    measure = agreement.current.goals[0].measures[0]
    data = parse_update(
        {"recorded_on": "2026-03-01", "status": "begonnen", "note": "Start <i>jetzt</i>"},
        date.today(),
    )
    add_status_update(db.session, measure, data, "x")
    db.session.commit()
    client = moderator(wapp)
    response = client.get("/workshop/bilanz-2026/fortschrittsbericht.pdf?jahr=2026")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "Fortschrittsbericht 2026" in text and "Entwicklung je Jahr" in text
    assert "Meldungen im Jahr 2026" in text and "Handlungsfeld 3: Bildung und Erziehung" in text
    assert "Start <i>jetzt</i>" in text and "Seite 1 von" in text
    assert client.get("/workshop/bilanz-2026/fortschrittsbericht.pdf?jahr=1990").status_code == 404
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "p")], check=True)
    assert sorted(p.name for p in tmp_path.glob("p-*.png"))


def test_progress_report_defaults_to_the_last_year_of_an_ended_period(wapp: Flask) -> None:
    from datetime import date

    from surveys.models import Survey
    from surveys.workshop.agreements import start_agreement

    survey = Survey(slug="bilanz-2019", title="Bilanz 2019")
    db.session.add(survey)
    db.session.flush()
    agreement = start_agreement(db.session, survey, date(2020, 1, 1))
    db.session.commit()
    assert agreement.period_end.year == 2022
    response = moderator(wapp).get("/workshop/bilanz-2019/fortschrittsbericht.pdf")
    assert response.status_code == 200
    assert "fortschrittsbericht-bilanz-2019-2022.pdf" in response.headers["Content-Disposition"]
