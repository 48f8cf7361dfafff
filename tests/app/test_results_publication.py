"""Publishing results: nothing before publishing, staff selection, unpublish hides again."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from surveys.models import AuditEvent, ResultPublication, Role
from surveys.publication import publish, unpublish
from tests.app.results_support import COMMENT_PAYLOAD, XSS, arrange
from tests.app.staff_helpers import logged_in

RESULTS = "/s/befragung-2026/ergebnisse"


def _comment_key(app: Flask, survey_id: int) -> str:
    from app.results.content import analysis_for, public_results
    from app.results.helpers import policy

    with app.test_request_context():
        result = analysis_for(db.engine, survey_id, None, policy())
    return next(c.key for c in public_results(result).comments if c.text == COMMENT_PAYLOAD)


def test_nothing_visible_before_publishing_and_after_unpublishing(
    app: Flask, client: FlaskClient
) -> None:
    arranged = arrange()
    before = client.get(RESULTS)
    assert before.status_code == 404
    assert "noch nicht veröffentlicht" in before.get_data(as_text=True)
    assert client.get("/opendata/befragung-2026.json").status_code == 404
    assert client.get("/opendata/befragung-2026.csv").status_code == 404
    assert client.get(f"{RESULTS}/diagramm/wohnumfeld-1.png").status_code == 404
    assert "befragung-2026" not in client.get("/feed.atom").get_data(as_text=True)
    assert RESULTS not in client.get("/").get_data(as_text=True)

    publish(db.session, arranged.survey, None)
    db.session.commit()
    page = client.get(RESULTS)
    assert page.status_code == 200
    assert "Wer hat mitgemacht?" in page.get_data(as_text=True)
    assert client.get("/opendata/befragung-2026.json").status_code == 200
    assert RESULTS in client.get("/").get_data(as_text=True)
    assert "ergebnisse/befragung-2026" in client.get("/feed.atom").get_data(as_text=True)
    closed_page = client.get("/s/befragung-2026").get_data(as_text=True)
    assert RESULTS in closed_page

    unpublish(db.session, arranged.survey, None)
    db.session.commit()
    assert client.get(RESULTS).status_code == 404
    assert client.get("/opendata/befragung-2026.csv").status_code == 404
    assert RESULTS not in client.get("/").get_data(as_text=True)
    assert RESULTS not in client.get("/s/befragung-2026").get_data(as_text=True)


def test_staff_select_preview_publish_unpublish_audited(app: Flask) -> None:
    arranged = arrange()
    staff = logged_in(app, Role.STAFF)
    assert db.session.scalar(select(ResultPublication)) is None  # nothing until staff ask
    url = f"/verwaltung/umfragen/{arranged.survey.id}/ergebnisse"
    form = staff.get(url)
    assert form.status_code == 200
    body = form.get_data(as_text=True)
    assert "Datenlizenz Deutschland – Namensnennung 2.0" in body
    assert XSS not in body  # the comment list escapes the payload
    assert db.session.scalar(select(ResultPublication)) is None  # reading never writes
    key = _comment_key(app, arranged.survey.id)

    bad = staff.post(
        url,
        data={"licence": "dl-de/zero-2-0", "charts": ["wohnumfeld"], "comments": [key, "nope"]},
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Bitte wählen Sie nur Kommentare aus der Liste" in text
    assert 'value="dl-de/zero-2-0" selected' in text  # the entered values survive

    saved = staff.post(
        url,
        data={
            "show_summary": "1",
            "licence": "dl-de/zero-2-0",
            "charts": ["wohnumfeld"],
            "comments": [key],
        },
    )
    assert saved.status_code == 302
    preview = staff.get(f"{url}/vorschau")
    assert preview.status_code == 200
    assert "Vorschau" in preview.get_data(as_text=True)
    assert "Mehr Bänke bitte" in preview.get_data(as_text=True)
    chart = staff.get(f"{url}/vorschau/wohnumfeld-1.png")
    assert chart.status_code == 200 and chart.data.startswith(b"\x89PNG")
    assert app.test_client().get(RESULTS).status_code == 404  # a preview publishes nothing

    assert staff.post(f"{url}/veroeffentlichen").status_code == 302
    public = app.test_client()
    page = public.get(RESULTS)
    assert page.status_code == 200
    assert "Mehr Bänke bitte" in page.get_data(as_text=True)
    png = public.get(f"{RESULTS}/diagramm/wohnumfeld-1.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert public.get(f"{RESULTS}/diagramm/bildung-1.png").status_code == 404  # not chosen
    licence = public.get("/opendata/befragung-2026.json").get_json()["metadata"]["licence"]
    assert licence["id"] == "dl-de/zero-2-0"

    assert staff.post(f"{url}/zurueckziehen").status_code == 302
    assert public.get(RESULTS).status_code == 404
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"results.change", "results.publish", "results.unpublish"} <= actions


def test_publication_needs_staff_role(app: Flask) -> None:
    arranged = arrange(with_agreement=False)
    url = f"/verwaltung/umfragen/{arranged.survey.id}/ergebnisse"
    anonymous = app.test_client().get(url)
    assert anonymous.status_code in (302, 401)
    moderator = logged_in(app, Role.MODERATOR)
    assert moderator.get(url).status_code == 403
    assert moderator.post(f"{url}/veroeffentlichen").status_code == 403


def test_open_survey_cannot_be_published(app: Flask) -> None:
    from surveys.models import SurveyStatus

    arranged = arrange(with_agreement=False)
    arranged.survey.status = SurveyStatus.OPEN
    db.session.commit()
    staff = logged_in(app, Role.STAFF)
    response = staff.post(f"/verwaltung/umfragen/{arranged.survey.id}/ergebnisse/veroeffentlichen")
    assert response.status_code == 302
    assert db.session.scalar(select(ResultPublication)) is None
    assert app.test_client().get(RESULTS).status_code == 404
