"""Public results and open data: suppression of a tiny group, schemas, formula-safe CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.results.opendata_records import MEASURE_COLUMNS, SURVEY_COLUMNS
from surveys.publication import publish
from tests.app.results_support import COUNTS, FORMULA, arrange

DOCS = Path(__file__).resolve().parents[2] / "docs" / "opendata"


def _schema(name: str) -> dict[str, Any]:
    return json.loads((DOCS / f"{name}.schema.json").read_text(encoding="utf-8"))


def _published() -> None:
    arranged = arrange()
    publish(db.session, arranged.survey, None)
    db.session.commit()


def _csv(body: bytes) -> list[dict[str, str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_tiny_group_is_suppressed_on_the_page(app: Flask, client: FlaskClient) -> None:
    _published()
    html = client.get("/s/befragung-2026/ergebnisse").get_data(as_text=True)
    row = html.split("Akteurinnen und Akteure", 1)[1].split("</tr>", 1)[0]
    assert "ausgeblendet" in row and str(COUNTS["akteure"]) not in row
    familien = html.split('<th scope="row">Familien</th>', 1)[1].split("</tr>", 1)[0]
    assert ">31<" in familien  # 30 synthetic responses and the one with the payload comment
    assert "weniger als 5 Antworten" in html


def test_survey_json_follows_schema_and_hides_tiny_group(app: Flask, client: FlaskClient) -> None:
    _published()
    response = client.get("/opendata/befragung-2026.json")
    assert response.headers["Link"].endswith('rel="license"')
    payload = response.get_json()
    jsonschema.validate(payload, _schema("survey"), format_checker=jsonschema.FormatChecker())
    assert payload["metadata"]["licence"]["name"] == "Datenlizenz Deutschland – Namensnennung 2.0"
    tiny = [r for r in payload["responses"] if r["group"] == "akteure"]
    assert tiny == [
        {"group": "akteure", "group_label": tiny[0]["group_label"], "n": None, "suppressed": True}
    ]
    for record in payload["items"] + payload["field_index"]:
        if record["group"] == "akteure":
            assert record["n"] is None and record["suppressed"] is True
            counts = [d["count"] for d in record.get("distribution", [])]
            assert all(c is None or c == 0 for c in counts)
    shown = [r for r in payload["items"] if r["group"] == "familien" and r["n"] is not None]
    assert shown and all(r["n"] >= 5 for r in shown)
    for record in payload["items"]:
        for cell in record["distribution"]:
            # a row is published whole or not at all: small counts inside a shown group stay
            assert (cell["count"] is None) == (record["suppressed"] is True)
            if cell["count"] is None:
                assert cell["share"] is None
    # Never a raw response: no response ids, no free text.
    assert '"response"' not in json.dumps(payload) and "response_id" not in json.dumps(payload)
    assert "Mehr Bänke" not in json.dumps(payload, ensure_ascii=False)


def test_survey_csv_follows_documented_columns(app: Flask, client: FlaskClient) -> None:
    _published()
    rows = _csv(client.get("/opendata/befragung-2026.csv").data)
    assert rows and list(rows[0]) == SURVEY_COLUMNS
    assert {r["record"] for r in rows} == {"responses", "item", "field_index"}
    for row in rows:
        assert row["suppressed"] in {"true", "false"}
        assert row["licence"].startswith("Datenlizenz Deutschland")
        for column in ("n", "mean", "score", "index", *[f"count_{p}" for p in range(1, 8)]):
            if row[column]:
                float(row[column])
        if row["group"] == "akteure":
            assert row["n"] == "" and row["suppressed"] == "true"
            assert all(row[f"count_{p}"] in ("", "0") for p in range(1, 8))


def test_measures_files_follow_schema_and_are_formula_safe(app: Flask, client: FlaskClient) -> None:
    _published()
    payload = client.get("/opendata/massnahmen.json").get_json()
    jsonschema.validate(payload, _schema("measures"), format_checker=jsonschema.FormatChecker())
    [measure] = payload["measures"]
    assert measure["status"] == "begonnen"  # the newer update is not public
    assert measure["last_update"] == "2026-09-01"
    assert measure["paper_number"] == "DS 26/0815"
    assert measure["findings"] == ["Spielplätze"]
    assert "Interner Vermerk" not in json.dumps(payload, ensure_ascii=False)
    rows = _csv(client.get("/opendata/massnahmen.csv").data)
    assert list(rows[0]) == MEASURE_COLUMNS
    assert rows[0]["title"].startswith("'=HYPERLINK")
    assert rows[0]["title"][1:].startswith(FORMULA)


def test_schemas_are_served_and_valid(client: FlaskClient) -> None:
    for name in ("survey", "measures"):
        served = client.get(f"/opendata/schema/{name}.schema.json")
        assert served.status_code == 200
        schema = json.loads(served.data)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema == _schema(name)


def test_opendata_index_lists_files_and_licence(app: Flask, client: FlaskClient) -> None:
    _published()
    html = client.get("/opendata/").get_data(as_text=True)
    assert "/opendata/befragung-2026.csv" in html and "/opendata/befragung-2026.json" in html
    assert "/opendata/massnahmen.csv" in html
    assert "Datenlizenz Deutschland – Namensnennung 2.0" in html
