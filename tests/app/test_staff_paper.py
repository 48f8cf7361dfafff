"""Paper entry with the online validation, its counter, and the citizen-identical preview."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from surveys.models import Answer, Channel, Response, Role, Survey
from tests.app.staff_helpers import logged_in
from tests.app.test_staff_designer import (
    add_question,
    add_section,
    build_open_survey,
    create_survey,
)


def test_paper_form_is_stored_with_channel_paper_and_counted(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    start = client.get(f"/verwaltung/umfragen/{survey_id}/papier").get_data(as_text=True)
    assert "Bisher erfasst: 0 Bögen" in start
    url = f"/verwaltung/umfragen/{survey_id}/papier/familien"
    form = client.get(url).get_data(as_text=True)
    assert 'name="q-kita"' in form and 'name="q-zufriedenheit-plaetze"' in form
    token = form.split('name="token" value="')[1].split('"')[0]
    data = {
        "token": token,
        "q-kita": "ja",
        "q-zufriedenheit-plaetze": "3",
        "q-zufriedenheit-zeiten": "dk",
        "q-wunsch": "Mehr Plätze",
    }
    response = client.post(url, data=data)
    assert response.status_code == 302
    stored = db.session.query(Response).one()
    assert stored.channel == Channel.PAPER and stored.target_group.key == "familien"
    assert db.session.query(Answer).filter_by(response_id=stored.id).count() == 4
    again = client.post(url, data=data, follow_redirects=True)  # double submit
    assert "bereits gespeichert" in again.get_data(as_text=True)
    assert db.session.query(Response).count() == 1
    page = client.get(url).get_data(as_text=True)
    assert "Erfasst: 1 Bogen insgesamt, 1 in dieser Sitzung." in page


def test_paper_form_uses_the_same_validation_and_keeps_input(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    add_question(
        client,
        survey_id,
        section_id,
        type="number",
        key="kinder",
        text="Kinder?",
        min="0",
        max="12",
        integer="1",
        required="1",
    )
    add_question(client, survey_id, section_id, type="text", key="notiz", text="Notiz?")
    client.post(f"/verwaltung/umfragen/{survey_id}/oeffnen")
    url = f"/verwaltung/umfragen/{survey_id}/papier/familien"
    response = client.post(url, data={"token": "t1", "q-kinder": "99", "q-notiz": "bleibt stehen"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Die Zahl darf höchstens 12 sein." in page
    assert "bleibt stehen" in page and 'value="99"' in page
    assert db.session.query(Response).count() == 0
    # a required question left blank on paper is entered as blank
    assert client.post(url, data={"token": "t2", "q-notiz": "nur Notiz"}).status_code == 302


def test_paper_entry_needs_an_open_or_closed_survey(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    response = client.get(f"/verwaltung/umfragen/{survey_id}/papier/familien")
    assert response.status_code == 302
    assert client.get(f"/verwaltung/umfragen/{survey_id}/papier/akteure").status_code == 404


def test_preview_shows_each_page_as_citizens_see_it(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    page = client.get(f"/verwaltung/umfragen/{survey_id}/vorschau/familien").get_data(as_text=True)
    assert "Vorschau für Familien" in page
    assert "Schritt 1 von 1" in page
    assert 'name="q-kita"' in page
    # the conditional matrix waits for its trigger, as online
    assert 'id="frage-zufriedenheit"' in page and "data-condition=" in page
    assert "csrf_token" not in page.split("<main")[1]  # the preview posts nothing
    survey = db.session.get(Survey, survey_id)
    assert survey is not None
    assert (
        client.get(f"/verwaltung/umfragen/{survey_id}/vorschau/familien?seite=2").status_code == 404
    )
    assert client.get(f"/verwaltung/umfragen/{survey_id}/vorschau/akteure").status_code == 404


def test_an_empty_paper_form_is_saved_only_when_confirmed(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    url = f"/verwaltung/umfragen/{survey_id}/papier/familien"
    token = client.get(url).get_data(as_text=True).split('name="token" value="')[1].split('"')[0]
    asked = client.post(url, data={"token": token})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 422 and db.session.query(Response).count() == 0
    assert 'href="#f-leer_ok"' in html and 'id="f-leer_ok-error"' in html
    assert "keine einzige Antwort" in html
    confirmed = client.post(url, data={"token": token, "leer_ok": "1"})
    assert confirmed.status_code == 302
    stored = db.session.query(Response).one()
    assert db.session.query(Answer).filter_by(response_id=stored.id).count() == 0


def test_preview_follows_the_page_breaks_citizens_see(app: Flask) -> None:
    from surveys.models import Question

    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    matrix = db.session.query(Question).filter_by(key="zufriedenheit").one()
    matrix.page_break = True  # the conditional matrix starts page 2
    db.session.commit()
    first = client.get(f"/verwaltung/umfragen/{survey_id}/vorschau/familien").get_data(as_text=True)
    assert "Schritt 1 von 2" in first and "(Teil 1 von 2)" in first
    assert 'name="q-kita"' in first and 'id="frage-zufriedenheit"' not in first
    second = client.get(f"/verwaltung/umfragen/{survey_id}/vorschau/familien?seite=2")
    html = second.get_data(as_text=True)
    assert second.status_code == 200 and "Schritt 2 von 2" in html and "(Teil 2 von 2)" in html
    # Its trigger is on the page before: shown, with a note for staff, not hidden live.
    assert 'id="frage-zufriedenheit"' in html and "data-condition=" not in html
    assert "Vorschau-Hinweis" in html and "„kita“" in html
