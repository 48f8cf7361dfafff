"""Running a survey: counts, access codes, raw export (CSV/XLSX with codebook), JSON/LSS import."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from flask import Flask
from openpyxl import load_workbook

from app.extensions import db
from surveys.models import AccessCode, AuditEvent, Role, Survey
from tests.app.staff_helpers import logged_in
from tests.app.test_staff_designer import _respond, build_open_survey

LSS = Path(__file__).parent.parent / "surveys" / "data" / "limesurvey_survey_familien_2019.lss"


def test_run_overview_shows_counts_per_group_and_channel(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    _respond(survey_id)
    _respond(survey_id)
    page = client.get(f"/verwaltung/umfragen/{survey_id}/ruecklauf").get_data(as_text=True)
    assert "Familien" in page
    assert '<td class="num">2</td>' in page
    assert "Woche ab 04.05.2026" in page
    assert "HYPERLINK" not in page  # counts only, never answers


def test_access_codes_are_shown_once_and_stored_as_hashes(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    bad = client.post(f"/verwaltung/umfragen/{survey_id}/zugangscodes", data={"count": "0"})
    assert bad.status_code == 422 and "Anzahl von 1 bis" in bad.get_data(as_text=True)
    response = client.post(f"/verwaltung/umfragen/{survey_id}/zugangscodes", data={"count": "12"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<li><code>") == 12
    slug = db.session.get(Survey, survey_id).slug
    assert f"<strong>http://localhost/s/{slug}/zugang</strong>" in page  # not the site root
    stored = db.session.query(AccessCode).filter_by(survey_id=survey_id).all()
    assert len(stored) == 12
    code = page.split("<li><code>")[1].split("</code>")[0]
    assert all(code not in c.code_hash for c in stored)
    assert db.session.query(AuditEvent).filter_by(action="codes.generate").count() == 1


def test_csv_export_has_one_row_per_response_and_neutralised_cells(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    _respond(survey_id)
    response = client.get(f"/verwaltung/umfragen/{survey_id}/export.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.is_streamed  # sent while it is written, not built in memory first
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    header, row = rows[0], rows[1]
    assert len(rows) == 2
    assert header[:5] == ["response_id", "submitted_on", "target_group", "channel", "language"]
    assert "zufriedenheit.plaetze" in header
    values = dict(zip(header, row, strict=True))
    assert values["kita"] == "1"
    assert values["wunsch"] == "'=HYPERLINK()"
    assert values["submitted_on"] == "2026-05-04"
    assert db.session.query(AuditEvent).filter_by(action="responses.export").count() == 1


def test_xlsx_export_has_answers_and_codebook(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    _respond(survey_id)
    response = client.get(f"/verwaltung/umfragen/{survey_id}/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Antworten", "Codebuch"]
    answers = list(workbook["Antworten"].values)
    assert len(answers) == 2
    row = dict(zip(answers[0], answers[1], strict=True))
    assert row["wunsch"] == "'=HYPERLINK()"
    # The day of arrival is a date cell (a day only, no time), not text.
    assert row["submitted_on"].date().isoformat() == "2026-05-04"
    assert row["submitted_on"].time() == dt.time()
    cell = workbook["Antworten"]["B2"]
    assert cell.is_date and cell.number_format == "DD.MM.YYYY"
    codebook = list(workbook["Codebuch"].values)
    rows = [r for r in codebook if r[0] == "zufriedenheit.plaetze"]
    # First who was asked (the matrix follows "kita = ja"), then one row per value.
    assert rows[0][4] is None and str(rows[0][5]).startswith("nur gefragt, wenn")
    labels = rows[1:]
    assert [r[4] for r in labels] == [1, 2, 3, 4, "dk"]
    assert labels[0][5] == "gar nicht"
    item_text = next(r[2] for r in codebook if r[0] == "zufriedenheit.zeiten")
    assert item_text.endswith("=Öffnungszeiten") and not item_text.startswith("=")


def test_json_export_then_import_through_the_ui(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    exported = client.get(f"/verwaltung/umfragen/{survey_id}/fragebogen.json")
    assert exported.mimetype == "application/json"
    taken = client.post(
        "/verwaltung/umfragen/import",
        data={"file": (io.BytesIO(exported.data), "fragebogen.json")},
        content_type="multipart/form-data",
    )
    # the same questionnaire again: asked first, nothing created
    assert taken.status_code == 200
    assert "Diese Umfrage gibt es schon:" in taken.get_data(as_text=True)
    assert db.session.query(Survey).count() == 1
    ok = client.post(
        "/verwaltung/umfragen/import",
        data={
            "file": (io.BytesIO(exported.data), "fragebogen.json"),
            "slug": "bilanz-kopie",
            "copy": "1",
        },
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    copy = db.session.query(Survey).filter_by(slug="bilanz-kopie").one()
    assert [q.key for q in copy.questions()] == ["kita", "zufriedenheit", "wunsch"]


def test_limesurvey_upload_reports_skipped_elements(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    response = client.post(
        "/verwaltung/umfragen/import",
        data={"file": (io.BytesIO(LSS.read_bytes()), "limesurvey_survey_734512.lss")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nicht übernommen" in page
    assert "Umgewandelt" in page and "Frage Zuzug: als Datum übernommen" in page
    assert (
        db.session.query(Survey).filter_by(slug="familienbefragung-delmenhorst-2019").count() == 1
    )


def test_hostile_upload_is_refused_with_a_clear_message(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    hostile = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><document>&x;</document>'
    response = client.post(
        "/verwaltung/umfragen/import",
        data={"file": (io.BytesIO(hostile), "evil.lss")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "aus Sicherheitsgründen nicht verarbeitet" in response.get_data(as_text=True)
    other = client.post(
        "/verwaltung/umfragen/import",
        data={"file": (io.BytesIO(b"MZ"), "programm.exe")},
        content_type="multipart/form-data",
    )
    assert other.status_code == 422
    assert ".json- oder .lss-Datei" in other.get_data(as_text=True)
    assert db.session.query(Survey).count() == 0


def test_limesurvey_upload_asks_to_confirm_negatively_worded_items(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    raw = LSS.read_bytes().replace(
        "<![CDATA[Öffnungszeiten der Kitas]]>".encode(),
        b"<![CDATA[Ich habe Angst, keinen Kita-Platz zu bekommen]]>",
    )
    response = client.post(
        "/verwaltung/umfragen/import",
        data={"file": (io.BytesIO(raw), "limesurvey_survey_734512.lss")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert "Negativ formulierte Aussagen bestätigen (1)" in page
    survey = db.session.query(Survey).filter_by(slug="familienbefragung-delmenhorst-2019").one()
    question = next(q for q in survey.questions() if q.key == "kitazufr")
    item = next(i for i in question.items if i.text.startswith("Ich habe Angst"))
    assert f'name="reversed" value="i{item.id}"' in page and not item.reversed
    confirmed = client.post(
        f"/verwaltung/umfragen/{survey.id}/umpolen", data={"reversed": [f"i{item.id}"]}
    )
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert [i.reversed for i in question.items] == [False, True, False]
