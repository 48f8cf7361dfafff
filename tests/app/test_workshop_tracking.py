"""Status tracking pages, status updates and CSV export/import over HTTP."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from surveys.models import MeasureStatus, Role
from tests.app.workshop_support import login, make_user, seeded_agreement


def moderator(app: Flask) -> FlaskClient:
    client = app.test_client()
    login(client, make_user(Role.MODERATOR, email="mod@example.org"))
    return client


def test_status_update_form_errors_keep_input_then_saves(wapp: Flask) -> None:
    agreement = seeded_agreement(measures=2)
    measure = agreement.current.goals[0].measures[0]
    client = moderator(wapp)
    page = client.get("/workshop/bilanz-2026/umsetzung/bildung").get_data(as_text=True)
    assert "Neuen Stand erfassen" in page and "Maßnahme 3.1.1:" in page
    bad = client.post(
        f"/workshop/bilanz-2026/massnahmen/{measure.id}/status",
        data={"recorded_on": "2026-01-05", "status": "nicht umgesetzt", "indicator_value": "7"},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "begründen" in html and 'href="#note"' in html
    assert 'value="7"' in html and '<details class="ws-update" open>' in html
    ok = client.post(
        f"/workshop/bilanz-2026/massnahmen/{measure.id}/status",
        data={
            "recorded_on": "05.01.2026",
            "status": "begonnen",
            "note": "<b>läuft</b>",
            "indicator_value": "7",
            "public": "1",
        },
    )
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"#m-{measure.id}")
    db.session.refresh(measure)
    update = measure.updates[0]
    assert (update.status, update.public, update.recorded_by) == (
        MeasureStatus.STARTED,
        True,
        "mod@example.org",
    )
    page = client.get("/workshop/bilanz-2026/umsetzung/bildung").get_data(as_text=True)
    assert "&lt;b&gt;läuft&lt;/b&gt;" in page and "05.01.2026" in page
    overview = client.get("/workshop/bilanz-2026/umsetzung").get_data(as_text=True)
    assert "Entwicklung über die Jahre" in overview


def test_csv_export_import_round_trip_and_bad_rows(wapp: Flask) -> None:
    agreement = seeded_agreement(measures=2)
    client = moderator(wapp)
    export = client.get("/workshop/bilanz-2026/status.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert export.data.startswith(b"\xef\xbb\xbf")  # BOM for spreadsheet programs
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["massnahme", "handlungsfeld", "titel"] and len(rows) == 3
    rows[1][3:] = ["01.02.2026", "begonnen", "=Start", "3", "ja"]
    rows[2][3:] = ["01.03.2026", "umgesetzt", "", "", ""]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    upload = {"file": (io.BytesIO(out.getvalue().encode("cp1252")), "status.csv")}
    response = client.post("/workshop/bilanz-2026/status-import", data=upload)
    assert response.status_code == 302
    measures = agreement.current.goals[0].measures
    for m in measures:
        db.session.refresh(m)
    assert [m.status for m in measures] == [MeasureStatus.STARTED, MeasureStatus.DONE]
    assert measures[0].updates[0].note == "=Start"

    again = client.get("/workshop/bilanz-2026/status.csv").data.decode("utf-8-sig")
    assert "'=Start" in again  # formula neutralised on export
    response = client.post(
        "/workshop/bilanz-2026/status-import",
        data={"file": (io.BytesIO(again.encode()), "status.csv")},
        follow_redirects=True,
    )
    assert "0 Statusmeldungen übernommen, 2 bereits vorhandene übersprungen" in response.get_data(
        as_text=True
    )

    from surveys.models import AuditEvent

    actions = [e.action for e in db.session.query(AuditEvent)]
    assert actions == ["workshop.status_import", "workshop.status_import"]
    bad = "massnahme;datum;status\n3.1.1;01.02.2026;begonnen\n7.7.7;xx;fertig\n"
    response = client.post(
        "/workshop/bilanz-2026/status-import",
        data={"file": (io.BytesIO(bad.encode()), "bad.csv")},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Zeile 3, Spalte „massnahme“: Eine Maßnahme „7.7.7“ gibt es nicht." in html
    assert "Zeile 3, Spalte „datum“" in html and "Zeile 3, Spalte „status“" in html
    empty = client.post("/workshop/bilanz-2026/status-import", data={})
    assert empty.status_code == 422 and "CSV-Datei" in empty.get_data(as_text=True)
