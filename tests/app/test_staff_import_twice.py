"""Uploading the same LimeSurvey or JSON file twice asks before it makes a copy."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app.extensions import db
from surveys.models import Role, Survey
from tests.app.staff_helpers import logged_in

LSS = Path(__file__).parents[1] / "surveys" / "data" / "limesurvey_survey_familien_2019.lss"
SLUG = "familienbefragung-delmenhorst-2019"


def upload(client: FlaskClient, raw: bytes, **form: str) -> TestResponse:
    return client.post(
        "/verwaltung/umfragen/import",
        data={"file": (io.BytesIO(raw), "limesurvey_survey_734512.lss"), **form},
        content_type="multipart/form-data",
    )


def test_second_upload_asks_and_creates_nothing(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    first = upload(client, LSS.read_bytes())
    assert first.status_code == 200
    original = db.session.query(Survey).filter_by(slug=SLUG).one()
    again = upload(client, LSS.read_bytes())
    assert again.status_code == 200
    page = again.get_data(as_text=True)
    assert "Diese Umfrage gibt es schon:" in page
    assert f'href="/verwaltung/umfragen/{original.id}"' in page
    assert "Familienbefragung Delmenhorst 2019" in page and SLUG in page
    assert 'name="copy" value="1"' in page
    assert 'name="csrf_token"' in page
    assert "Import abgeschlossen" not in page
    assert db.session.query(Survey).count() == 1  # nothing was left behind


def test_ticked_checkbox_imports_a_copy(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    upload(client, LSS.read_bytes())
    copy = upload(client, LSS.read_bytes(), copy="1")
    assert copy.status_code == 200
    assert "Import abgeschlossen" in copy.get_data(as_text=True)
    slugs = sorted(s.slug for s in db.session.query(Survey))
    assert slugs == [SLUG, SLUG + "-2"]


def test_changed_questions_are_not_the_same_survey(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    upload(client, LSS.read_bytes())
    changed = LSS.read_bytes().replace(b"<![CDATA[Stunden]]>", b"<![CDATA[Wochenstunden]]>")
    response = upload(client, changed)
    assert "Diese Umfrage gibt es schon:" not in response.get_data(as_text=True)
    assert db.session.query(Survey).count() == 2


def test_upload_form_shows_no_copy_checkbox_at_first(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    page = client.get("/verwaltung/umfragen/import").get_data(as_text=True)
    assert 'name="copy"' not in page and "Diese Umfrage gibt es schon" not in page


def test_report_names_the_languages_taken_as_translations(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    raw = (LSS.parent / "limesurvey5_conditions_languages.lss").read_bytes()
    page = upload(client, raw).get_data(as_text=True)
    assert "Weitere Sprachen als Übersetzung übernommen: English." in page
    assert "Sprache „fr“: wird nicht unterstützt, nicht übernommen" in page
    assert "Frage Leer: ohne Fragetext, nicht übernommen" in page


def json_upload(client: FlaskClient, raw: bytes, **form: str) -> TestResponse:
    return client.post(
        "/verwaltung/umfragen/import",
        data={"file": (io.BytesIO(raw), "fragebogen.json"), **form},
        content_type="multipart/form-data",
    )


def exported_json(client: FlaskClient) -> tuple[Survey, bytes]:
    """Import the .lss once and export it as JSON: the survey and its file."""
    upload(client, LSS.read_bytes())
    survey = db.session.query(Survey).filter_by(slug=SLUG).one()
    exported = client.get(f"/verwaltung/umfragen/{survey.id}/fragebogen.json")
    assert exported.status_code == 200
    return survey, exported.data


def test_second_json_upload_asks_and_creates_nothing(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    original, raw = exported_json(client)
    again = json_upload(client, raw)
    assert again.status_code == 200
    page = again.get_data(as_text=True)
    assert "Diese Umfrage gibt es schon:" in page
    assert f'href="/verwaltung/umfragen/{original.id}"' in page
    assert 'name="copy" value="1"' in page
    assert db.session.query(Survey).count() == 1


def test_ticked_checkbox_imports_a_json_copy_under_a_free_slug(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    _original, raw = exported_json(client)
    copy = json_upload(client, raw, copy="1")
    assert copy.status_code == 302
    slugs = sorted(s.slug for s in db.session.query(Survey))
    assert slugs == [SLUG, SLUG + "-2"]


def test_json_of_another_survey_with_a_taken_slug_is_refused_at_the_slug(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    _original, raw = exported_json(client)
    other = raw.replace(b"Familienbefragung Delmenhorst 2019", b"Eine andere Befragung")
    refused = json_upload(client, other)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Diese Kurzadresse ist schon vergeben." in page and 'id="f-slug-error"' in page
    assert db.session.query(Survey).count() == 1
    renamed = json_upload(client, other, slug="andere-befragung")
    assert renamed.status_code == 302
    assert db.session.query(Survey).filter_by(slug="andere-befragung").count() == 1
