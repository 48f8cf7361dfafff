"""Downloads for statistics software (SPSS, Stata, R): staff only, logged, proper files."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from flask import Flask
from sqlalchemy import select, text

from app.extensions import db
from demo.content import BASELINE, CURRENT
from surveys.models import AuditEvent, Role, Survey
from surveys.statistics_export import to_sav
from tests.app.demo_world import DemoWorld
from tests.app.staff_helpers import logged_in
from tests.app.test_staff_designer import _respond, build_open_survey

FORMATS = {
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
    "zip": "application/zip",
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_moderators_and_strangers_get_no_raw_data(app: Flask, fmt: str) -> None:
    staff = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(staff)
    _respond(survey_id)
    url = f"/verwaltung/umfragen/{survey_id}/export.{fmt}"
    assert logged_in(app, Role.MODERATOR).get(url).status_code == 403
    stranger = app.test_client().get(url)
    assert stranger.status_code in (302, 401) and b"PK" not in stranger.data
    assert db.session.query(AuditEvent).filter_by(action="responses.export").count() == 0


def test_staff_download_each_format_with_its_type_name_and_audit_entry(
    app: Flask, tmp_path: Path
) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    _respond(survey_id)
    slug = db.session.get(Survey, survey_id).slug
    stamp = date.today().isoformat()
    page = client.get(f"/verwaltung/umfragen/{survey_id}/ruecklauf").get_data(as_text=True)
    bodies = {}
    for fmt, mimetype in FORMATS.items():
        assert f"/verwaltung/umfragen/{survey_id}/export.{fmt}" in page
        response = client.get(f"/verwaltung/umfragen/{survey_id}/export.{fmt}")
        assert response.status_code == 200 and response.mimetype == mimetype
        stem = f"{slug}-antworten-{stamp}" + ("-r" if fmt == "zip" else "")
        assert response.headers["Content-Disposition"] == f"attachment; filename={stem}.{fmt}"
        assert response.headers["Cache-Control"] == "no-store"
        bodies[fmt] = response.data
    details = [e.details for e in db.session.query(AuditEvent).filter_by(action="responses.export")]
    assert sorted(details) == ["DTA", "SAV", "ZIP"]

    (tmp_path / "x.sav").write_bytes(bodies["sav"])
    frame, meta = pyreadstat.read_sav(str(tmp_path / "x.sav"), user_missing=True)
    assert frame["kita"].tolist() == [1]  # yes
    assert frame["zufriedenheit_plaetze"].tolist() == [-2]  # shown (kita: ja), not answered
    assert meta.column_names_to_labels["zufriedenheit_zeiten"].endswith("=Öffnungszeiten")
    assert frame["wunsch"].tolist() == ["=HYPERLINK()"]  # SPSS evaluates no formulas

    (tmp_path / "x.dta").write_bytes(bodies["dta"])
    assert pd.read_stata(tmp_path / "x.dta")["kita"].tolist() == ["ja"]

    archive = zipfile.ZipFile(io.BytesIO(bodies["zip"]))
    data = archive.read(f"{slug}-antworten.csv").decode("utf-8")
    assert "'=HYPERLINK()" in data  # Excel opens this one: neutralised
    assert f'"{slug}-antworten.csv"' in archive.read(f"{slug}-antworten.R").decode("utf-8")


def test_the_demo_files_of_2019_and_2026_merge_by_name(demo: DemoWorld, tmp_path: Path) -> None:
    """Both demo surveys as SPSS files, stacked: shared variables keep name and labels, and
    the Stadtteil counts of the merged file are those of a plain SQL count."""
    frames, labels = [], []
    for slug in (BASELINE.slug, CURRENT.slug):
        survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
        assert survey is not None
        path = tmp_path / f"{slug}.sav"
        path.write_bytes(to_sav(db.session, survey))
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
        frames.append(frame)
        labels.append(meta.variable_value_labels)
    shared = set(frames[0].columns) & set(frames[1].columns)
    assert len(shared) > 100
    assert all(labels[0].get(n) == labels[1].get(n) for n in shared)
    merged = pd.concat(frames, ignore_index=True)
    counted = db.session.execute(
        text(
            "SELECT o.label, count(*) FROM answer a JOIN question q ON q.id = a.question_id "
            "JOIN option o ON o.id = a.option_id JOIN survey s ON s.id = q.survey_id "
            "WHERE q.key = 'stadtteil' AND s.slug IN (:old, :new) GROUP BY o.label"
        ),
        {"old": BASELINE.slug, "new": CURRENT.slug},
    ).all()
    assert dict(merged["stadtteil"].value_counts()) == dict(counted)
    responses = db.session.execute(
        text(
            "SELECT count(*) FROM response r JOIN survey s ON s.id = r.survey_id "
            "WHERE s.slug IN (:old, :new)"
        ),
        {"old": BASELINE.slug, "new": CURRENT.slug},
    ).scalar_one()
    assert len(merged) == responses
