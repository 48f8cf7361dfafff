"""Home page, information pages, health check, error pages and security headers."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from surveys.models import Survey, SurveyStatus


def add_survey(slug: str, status: SurveyStatus, **fields) -> Survey:
    survey = Survey(slug=slug, title=f"Umfrage {slug}", status=status, **fields)
    db.session.add(survey)
    db.session.commit()
    return survey


def test_home_is_german_and_lists_only_open_surveys(client: FlaskClient) -> None:
    today = date.today()
    add_survey("offen", SurveyStatus.OPEN, intro="Sagen Sie uns <b>Ihre</b> Meinung")
    add_survey("entwurf", SurveyStatus.DRAFT)
    add_survey("zu", SurveyStatus.CLOSED)
    add_survey("abgelaufen", SurveyStatus.OPEN, closes_on=today - timedelta(days=1))
    add_survey("spaeter", SurveyStatus.OPEN, opens_on=today + timedelta(days=3))
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="de"' in page
    assert "Umfrage offen" in page
    for hidden in ("Umfrage entwurf", "Umfrage zu", "Umfrage abgelaufen", "Umfrage spaeter"):
        assert hidden not in page
    assert "&lt;b&gt;Ihre&lt;/b&gt;" in page  # user text is escaped


def test_home_without_surveys(client: FlaskClient) -> None:
    assert "Zurzeit läuft keine Umfrage" in client.get("/").get_data(as_text=True)


def test_footer_pages_say_what_belongs_there(client: FlaskClient) -> None:
    for path, expected in (
        ("/impressum", "§ 5 DDG"),
        ("/datenschutz", "IP-Adresse"),
        ("/barrierefreiheit", "BITV 2.0"),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert expected in response.get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    for path in ("/impressum", "/datenschutz", "/barrierefreiheit"):
        assert f'href="{path}"' in home


def test_healthz_checks_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_broken_database(client: FlaskClient, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "error"


def test_unknown_page_is_a_german_404(client: FlaskClient) -> None:
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)


def test_server_error_page_has_no_stack_trace(app: Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/__boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/__boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Interner Fehler" in text and "secret internals" not in text
    assert "Traceback" not in text


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers
    secure = client.get("/", base_url="https://localhost")
    assert "max-age" in secure.headers["Strict-Transport-Security"]


def test_assets_are_served_locally(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "https://" not in page.split("<body")[0]
    with client.get("/static/css/main.css") as response:
        assert response.status_code == 200
