"""Stored XSS: a payload in every staff-editable text is escaped on every page that shows it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from surveys.models import Question, Role, Section, Survey, User
from tests.app.staff_helpers import logged_in

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RAW_MARKERS = ("<script>alert", "<img src=x")


def assert_escaped(client: FlaskClient, url: str, method: str = "GET", **kwargs: object) -> str:
    """Fetch ``url`` and check that the payload appears only escaped."""
    response = client.open(url, method=method, **kwargs)  # type: ignore[arg-type]
    assert response.status_code in (200, 422), (url, response.status_code)
    page = response.get_data(as_text=True)
    for marker in RAW_MARKERS:
        assert marker not in page, (url, marker)
    return page


def test_payload_in_every_editable_text_is_escaped_everywhere(app: Flask) -> None:
    client = logged_in(app, Role.ADMIN)
    response = client.post(
        "/verwaltung/umfragen/neu",
        data={
            "title": f"Titel {PAYLOAD}",
            "slug": "xss",
            "intro": PAYLOAD,
            "intro_easy": PAYLOAD,
            "privacy_notice": PAYLOAD,
            "target_groups": ["familien"],
            "access_mode": "public",
        },
    )
    survey_id = int(response.headers["Location"].split("/")[-1])
    response = client.post(
        f"/verwaltung/umfragen/{survey_id}/abschnitte/neu",
        data={"title": f"Abschnitt {PAYLOAD}", "description": PAYLOAD, "handlungsfeld": "bildung"},
    )
    section_id = int(response.headers["Location"].split("#section-")[1])
    base = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu"
    common = {"target_groups": ["familien"], "help_text": PAYLOAD, "condition_op": "equals"}
    posted = [
        {
            "type": "single",
            "key": "wahl",
            "text": f"W {PAYLOAD}",
            "options": f"a: {PAYLOAD}\nb: Nein",
        },
        {
            "type": "multi",
            "key": "mehr",
            "text": PAYLOAD,
            "options": f"x: {PAYLOAD}\ny: Zwei",
            "other": "1",
            "other_label": PAYLOAD,
        },
        {
            "type": "matrix",
            "key": "matrix",
            "text": f"M {PAYLOAD}",
            "scale": f"{PAYLOAD}\nzwei",
            "items": f"i1: {PAYLOAD}",
            "dont_know": "1",
            "dont_know_label": PAYLOAD,
        },
        {"type": "number", "key": "zahl", "text": PAYLOAD, "unit": PAYLOAD},
    ]
    for data in posted:
        assert client.post(base, data={**common, **data}).status_code == 302
    client.post(
        "/verwaltung/benutzer",
        data={
            "email": "x@example.org",
            "name": PAYLOAD,
            "role": "staff",
            "password": "Ein langes Passwort 99",
        },
    )
    question = db.session.query(Question).filter_by(key="matrix").one()
    client.post(f"/verwaltung/umfragen/{survey_id}/fragen/{question.id}/in-bibliothek")
    other = db.session.query(User).filter_by(email="x@example.org").one()

    # every page that shows one of those texts
    pages = [
        "/verwaltung/",
        f"/verwaltung/umfragen/{survey_id}",
        f"/verwaltung/umfragen/{survey_id}/bearbeiten",
        f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}",
        f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/loeschen",
        f"/verwaltung/umfragen/{survey_id}/kopieren",
        f"/verwaltung/umfragen/{survey_id}/loeschen",
        f"/verwaltung/umfragen/{survey_id}/ruecklauf",
        f"/verwaltung/umfragen/{survey_id}/zugangscodes",
        f"/verwaltung/bibliothek?section_id={section_id}",
        "/verwaltung/protokoll",
        "/verwaltung/benutzer",
        f"/verwaltung/benutzer/{other.id}/loeschen",
    ]
    pages += [f"/verwaltung/umfragen/{survey_id}/fragen/{q.id}" for q in db.session.query(Question)]
    pages += [
        f"/verwaltung/umfragen/{survey_id}/fragen/{q.id}/loeschen"
        for q in db.session.query(Question)
    ]
    shown = 0
    for url in pages:
        page = assert_escaped(client, url)
        shown += "&lt;script&gt;" in page
    assert shown >= 10  # the payload really is on those pages, escaped
    # validation error pages echo the input escaped as well
    assert_escaped(
        client, "/verwaltung/umfragen/neu", method="POST", data={"title": PAYLOAD, "slug": "xss"}
    )
    assert_escaped(
        client,
        base,
        method="POST",
        data={**common, "type": "single", "key": "wahl", "text": PAYLOAD},
    )
    assert_escaped(
        client, f"/verwaltung/umfragen/{survey_id}/zugangscodes", method="POST", data={"count": "1"}
    )
    assert_escaped(
        client, f"/verwaltung/umfragen/{survey_id}/oeffnen", method="POST", follow_redirects=True
    )
    # the stored values are unchanged (escaping happens on output only)
    survey = db.session.get(Survey, survey_id)
    assert survey is not None and survey.intro == PAYLOAD
    assert db.session.get(Section, section_id).description == PAYLOAD  # type: ignore[union-attr]


def test_responses_are_escaped_nowhere_shown(app: Flask) -> None:
    """Staff pages show counts only, so free-text answers never reach them."""
    client = logged_in(app, Role.STAFF)
    page = client.get("/verwaltung/").get_data(as_text=True)
    assert "<script" not in page
