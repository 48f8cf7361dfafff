"""The inline designer through HTTP: the question form as a fragment (``?partial=1``), saves
and moves that answer with the sections instead of a redirect, errors and the lock in the
fragment, CSRF on every post, and the page without JavaScript as before."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from surveys.designer import SurveyValues, save_section
from surveys.designer import create_survey as create_survey_values
from surveys.models import Question, Role, Survey
from tests.app.staff_helpers import PASSWORDS, logged_in, make_user
from tests.app.test_staff_designer import (
    _respond,
    add_question,
    add_section,
    build_open_survey,
    create_survey,
)

FRAGMENT = "X-Designer-Fragment"


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in ``html`` (WTForms' or a hand-written input)."""
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def _arrange(client: FlaskClient) -> tuple[int, int]:
    """A draft with one section: kita (yes/no), wunsch (text)."""
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    add_question(
        client, survey_id, section_id, type="yesno", key="kita", text="Nutzen Sie eine Kita?"
    )
    add_question(client, survey_id, section_id, type="text", key="wunsch", text="Ihr Wunsch?")
    client.get(f"/verwaltung/umfragen/{survey_id}")  # shows (and so clears) their messages
    return survey_id, section_id


def _question(key: str) -> Question:
    db.session.expire_all()
    return db.session.query(Question).filter_by(key=key).one()


def _keys(survey_id: int) -> list[str]:
    db.session.expire_all()
    survey = db.session.get(Survey, survey_id)
    assert survey is not None
    return [q.key for q in survey.questions()]


def _text_form(key: str, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "text",
        "key": key,
        "text": text,
        "target_groups": ["familien", "senioren"],
        **extra,
    }


def test_the_form_comes_as_a_fragment_with_the_same_fields(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, _ = _arrange(client)
    wunsch = _question("wunsch")
    url = f"/verwaltung/umfragen/{survey_id}/fragen/{wunsch.id}"
    full = client.get(url)
    partial = client.get(f"{url}?partial=1")
    assert partial.status_code == 200 and partial.headers[FRAGMENT] == "editor"
    assert FRAGMENT not in full.headers
    html = partial.get_data(as_text=True)
    page = full.get_data(as_text=True)
    assert "<html" not in html and "<html" in page
    assert 'class="breadcrumbs"' not in html  # no page around it
    assert "data-designer-editor" in html and 'aria-labelledby="designer-editor-title"' in html
    assert "Frage bearbeiten:" in html and "<code>wunsch</code>" in html
    assert 'name="csrf_token"' in html
    assert "data-question-form" in html and "data-question-form" in page
    assert "data-designer-cancel" in html
    # one form body for both: the same inputs in the same order
    names = re.compile(r'name="([a-z_0-9]+)"')
    assert names.findall(html) == names.findall(
        page[page.index('<form method="post" novalidate data-question-form') :]
    )
    # the condition builder with its data, for designer.js
    assert "data-condition-builder" in html and "data-triggers=" in html
    assert '"key": "kita"' in html


def test_a_new_question_form_as_fragment_keeps_the_chosen_type(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, section_id = _arrange(client)
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu"
    response = client.get(f"{url}?type=likert&partial=1")
    assert response.status_code == 200 and response.headers[FRAGMENT] == "editor"
    html = response.get_data(as_text=True)
    assert "Neue Frage in „Bildung“" in html
    assert '<option value="likert" selected>' in html
    assert "data-question-id" not in html


def test_an_inline_save_answers_with_the_sections_and_no_flash(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, _ = _arrange(client)
    wunsch = _question("wunsch")
    url = f"/verwaltung/umfragen/{survey_id}/fragen/{wunsch.id}?partial=1"
    response = client.post(url, data=_text_form("wunsch", "Ihr größter Wunsch für <Kinder>?"))
    assert response.status_code == 200 and response.headers[FRAGMENT] == "sections"
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div class="designer-sections" data-designer-sections')
    assert f'data-focus="frage-{wunsch.id}"' in html
    assert 'data-message="Die Frage „wunsch“ wurde gespeichert."' in html
    assert 'data-message-kind="success"' in html
    assert '<p class="notice notice--success designer-notice">' in html
    assert "Ihr größter Wunsch für &lt;Kinder&gt;?" in html  # the fresh row, escaped
    assert "<Kinder>" not in html
    assert _question("wunsch").text == "Ihr größter Wunsch für <Kinder>?"
    # the message was given in the fragment: the next page load shows no flash of it
    page = client.get(f"/verwaltung/umfragen/{survey_id}").get_data(as_text=True)
    assert "wurde gespeichert" not in page


def test_an_inline_new_question_gets_its_row_and_focus(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, section_id = _arrange(client)
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu?partial=1"
    response = client.post(url, data=_text_form("", "Was fehlt in Ihrem Stadtteil?"))
    assert response.status_code == 200 and response.headers[FRAGMENT] == "sections"
    created = db.session.query(Question).filter_by(text="Was fehlt in Ihrem Stadtteil?").one()
    assert created.key  # the key was made from the text
    html = response.get_data(as_text=True)
    assert f'data-focus="frage-{created.id}"' in html and f'id="frage-{created.id}"' in html
    assert _keys(survey_id)[-1] == created.key


def test_inline_errors_come_back_in_the_fragment_with_what_was_typed(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, section_id = _arrange(client)
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu?partial=1"
    response = client.post(
        url,
        data={
            "type": "single",
            "key": "stadtteil",
            "text": "",
            "help_text": "Bitte <b>einen</b> wählen",
            "options": "",
            "target_groups": ["familien"],
        },
    )
    assert response.status_code == 422 and response.headers[FRAGMENT] == "editor"
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'class="error-summary"' in html and 'href="#f-text"' in html
    assert 'id="f-text-error"' in html and 'aria-invalid="true"' in html
    assert 'value="stadtteil"' in html
    assert "Bitte &lt;b&gt;einen&lt;/b&gt; wählen" in html  # kept, escaped
    assert db.session.query(Question).filter_by(key="stadtteil").count() == 0


def test_the_forms_own_buttons_answer_with_the_fragment_and_save_nothing(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, section_id = _arrange(client)
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu?partial=1"
    base = {
        "type": "likert",
        "key": "zufrieden",
        "text": "Wie zufrieden?",
        "target_groups": ["familien"],
    }
    preset = client.post(url, data={**base, "aktion": "vorlage", "scale_preset": "zufriedenheit"})
    assert preset.status_code == 200 and preset.headers[FRAGMENT] == "editor"
    html = preset.get_data(as_text=True)
    assert "sehr unzufrieden\neher unzufrieden" in html and 'value="zufrieden"' in html
    more = client.post(url, data={**base, "aktion": "bedingung", "condition_count": "3"})
    assert more.headers[FRAGMENT] == "editor"
    assert 'name="condition_4_question"' in more.get_data(as_text=True)
    assert db.session.query(Question).filter_by(key="zufrieden").count() == 0


def test_inline_moves_answer_with_the_sections_and_refusals_say_why(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, section_id = _arrange(client)
    add_question(
        client,
        survey_id,
        section_id,
        **_text_form("grund", "Warum nicht?"),
        condition_question="kita",
        condition_value="nein",
    )
    wunsch = _question("wunsch")
    moved = client.post(f"/verwaltung/umfragen/{survey_id}/fragen/{wunsch.id}/runter?partial=1")
    assert moved.status_code == 200 and moved.headers[FRAGMENT] == "sections"
    html = moved.get_data(as_text=True)
    assert "steht jetzt eine Stelle weiter unten" in html
    assert f'data-focus="frage-{wunsch.id}"' in html
    assert _keys(survey_id) == ["kita", "grund", "wunsch"]
    client.get(f"/verwaltung/umfragen/{survey_id}")
    grund = _question("grund")
    refused = client.post(f"/verwaltung/umfragen/{survey_id}/fragen/{grund.id}/hoch?partial=1")
    assert refused.status_code == 422 and refused.headers[FRAGMENT] == "sections"
    text = refused.get_data(as_text=True)
    assert 'data-message-kind="error"' in text and "muss nach „kita“ stehen" in text
    assert '<p class="notice notice--error designer-notice">' in text
    assert _keys(survey_id) == ["kita", "grund", "wunsch"]
    page = client.get(f"/verwaltung/umfragen/{survey_id}").get_data(as_text=True)
    assert "muss nach" not in page  # no flash left behind


def test_a_locked_survey_keeps_its_restrictions_inline(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    _respond(survey_id)
    wunsch = _question("wunsch")
    url = f"/verwaltung/umfragen/{survey_id}/fragen/{wunsch.id}?partial=1"
    form = client.get(url).get_data(as_text=True)
    assert "Die Umfrage hat bereits Antworten." in form and "Als neue Version kopieren" in form
    base = _text_form("wunsch", "Ihr Wunsch?", multiline="1")
    refused = client.post(url, data={**base, "type": "number"})
    assert refused.status_code == 409 and refused.headers[FRAGMENT] == "editor"
    text = refused.get_data(as_text=True)
    assert "Änderung nicht möglich" in text and '<option value="number" selected>' in text
    assert _question("wunsch").type.value == "text"
    fixed = client.post(url, data={**base, "text": "Ihr größter Wunsch?"})
    assert fixed.status_code == 200 and fixed.headers[FRAGMENT] == "sections"
    sections = fixed.get_data(as_text=True)
    assert "data-designer-move" not in sections and "data-designer-add" not in sections
    assert "data-designer-edit" in sections
    kita = _question("kita")
    move = client.post(f"/verwaltung/umfragen/{survey_id}/fragen/{kita.id}/runter?partial=1")
    assert move.status_code == 409 and move.headers[FRAGMENT] == "sections"
    assert 'data-message-kind="error"' in move.get_data(as_text=True)
    assert _keys(survey_id) == ["kita", "zufriedenheit", "wunsch"]
    page = client.get(f"/verwaltung/umfragen/{survey_id}").get_data(as_text=True)
    assert "data-designer-move" not in page and "data-designer-add" not in page


def test_without_javascript_the_page_links_and_posts_as_before(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, _ = _arrange(client)
    wunsch = _question("wunsch")
    page = client.get(f"/verwaltung/umfragen/{survey_id}").get_data(as_text=True)
    assert f'href="/verwaltung/umfragen/{survey_id}/fragen/{wunsch.id}" data-designer-edit' in page
    assert f'action="/verwaltung/umfragen/{survey_id}/fragen/{wunsch.id}/hoch"' in page
    assert 'role="status"' in page and "js/designer-inline.js" in page
    assert "<script>" not in page and " onclick=" not in page  # CSP: no inline code
    url = f"/verwaltung/umfragen/{survey_id}/fragen/{wunsch.id}"
    saved = client.post(url, data=_text_form("wunsch", "Neu?"))
    assert saved.status_code == 302 and FRAGMENT not in saved.headers
    moved = client.post(f"{url}/hoch")
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"#frage-{wunsch.id}")


def test_inline_posts_need_the_csrf_token(app_with: Any) -> None:
    app = app_with(WTF_CSRF_ENABLED=True)
    with app.app_context():  # arranged apart: requests inside it would share one ``g``
        make_user(Role.STAFF)
        survey = create_survey_values(
            db.session,
            SurveyValues(title="Bilanz 2026", slug="bilanz-2026", target_groups=["familien"]),
            None,
        )
        section = save_section(db.session, survey, None, title="Bildung", handlungsfeld="bildung")
        db.session.commit()
        survey_id, section_id = survey.id, section.id
    client = app.test_client()
    login = client.get("/anmelden").get_data(as_text=True)
    credentials = {"email": "staff@example.org", "password": PASSWORDS[Role.STAFF]}
    response = client.post("/anmelden", data={**credentials, "csrf_token": csrf_token(login)})
    assert response.status_code == 302
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu?partial=1"
    fragment = client.get(url).get_data(as_text=True)
    data = {"type": "text", "key": "wunsch", "text": "Ihr Wunsch?", "target_groups": ["familien"]}
    refused = client.post(url, data=data)
    assert refused.status_code == 400 and FRAGMENT not in refused.headers
    assert client.post(url, data={**data, "csrf_token": "forged"}).status_code == 400
    saved = client.post(url, data={**data, "csrf_token": csrf_token(fragment)})
    assert saved.status_code == 200 and saved.headers[FRAGMENT] == "sections"
    with app.app_context():
        wunsch = _question("wunsch")  # saved once, by the post with the token
        wunsch_id = wunsch.id
    move = f"/verwaltung/umfragen/{survey_id}/fragen/{wunsch_id}/runter?partial=1"
    assert client.post(move).status_code == 400
    token = csrf_token(saved.get_data(as_text=True))  # the fresh rows carry their tokens
    assert client.post(move, data={"csrf_token": token}).headers[FRAGMENT] == "sections"
