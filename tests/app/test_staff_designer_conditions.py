"""The condition builder and reordering through HTTP (no JavaScript)."""

from __future__ import annotations

import html as html_module
import json
import re

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from surveys.models import Question, Role
from tests.app.staff_helpers import logged_in
from tests.app.test_staff_designer import add_section, create_survey


def _new_url(survey_id: int, section_id: int) -> str:
    return f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu"


def _post_question(client: FlaskClient, survey_id: int, section_id: int, **data: object):
    form = {"target_groups": ["familien", "senioren"], **data}
    return client.post(_new_url(survey_id, section_id), data=form)


def _survey_with_triggers(client: FlaskClient) -> tuple[int, int]:
    """A draft with a number question "kinder" and a single choice "stadtteil"."""
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    for data in (
        {"type": "number", "key": "kinder", "text": "Wie viele Kinder?"},
        {
            "type": "single",
            "key": "stadtteil",
            "text": "Wo wohnen Sie?",
            "options": "mitte: Mitte\nnord: Nord",
        },
    ):
        assert _post_question(client, survey_id, section_id, **data).status_code == 302
    return survey_id, section_id


def _question(key: str) -> Question:
    db.session.expire_all()
    return db.session.query(Question).filter_by(key=key).one()


FOLLOW_UP = {
    "type": "text",
    "key": "betreuung",
    "text": "Wie lösen Sie die Betreuung?",
    "condition_match": "any",
    "condition_count": "3",
    "condition_1_question": "kinder",
    "condition_1_op": "ge",
    "condition_1_number": "3",
    "condition_2_question": "stadtteil",
    "condition_2_op": "equals",
    "condition_2_value": "nord",
}


def test_a_condition_with_two_rules_is_built_and_shown(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, section_id = _survey_with_triggers(client)
    response = _post_question(client, survey_id, section_id, **FOLLOW_UP)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _question("betreuung").condition == {
        "match": "any",
        "rules": [
            {"question": "kinder", "op": "ge", "value": 3},
            {"question": "stadtteil", "op": "equals", "value": "nord"},
        ],
    }
    page = client.get(f"/verwaltung/umfragen/{survey_id}").get_data(as_text=True)
    # in words: the trigger by its text, the option by its label (not by its code)
    assert (
        "„Wie viele Kinder?“ (<code>kinder</code>) ist mindestens „3“ oder "
        "„Wo wohnen Sie?“ (<code>stadtteil</code>) ist „Nord“"
    ) in " ".join(page.split())
    # the edit form shows the rules again, with the option picked by its label
    edit = client.get(f"/verwaltung/umfragen/{survey_id}/fragen/{_question('betreuung').id}")
    html = edit.get_data(as_text=True)
    assert 'value="any" checked' in html
    assert '<option value="nord" selected>Nord</option>' in html
    assert 'name="condition_1_number" value="3"' in html


def test_the_pickers_offer_only_earlier_questions_and_their_options_in_a_data_attribute(
    app: Flask,
) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, _section_id = _survey_with_triggers(client)
    first = _question("kinder")
    html = client.get(f"/verwaltung/umfragen/{survey_id}/fragen/{first.id}").get_data(as_text=True)
    assert 'value="stadtteil"' not in html  # a later question is never offered
    second = _question("stadtteil")
    html = client.get(f"/verwaltung/umfragen/{survey_id}/fragen/{second.id}").get_data(as_text=True)
    data = re.search(r"data-triggers='([^']*)'", html)
    assert data is not None
    triggers = json.loads(html_module.unescape(data.group(1)))
    assert [t["key"] for t in triggers] == ["kinder"]
    assert triggers[0]["number"] is True and "gt" in triggers[0]["ops"]
    assert 'src="/static/js/designer.js"' in html


def test_another_rule_row_without_javascript_keeps_the_input(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, section_id = _survey_with_triggers(client)
    response = _post_question(client, survey_id, section_id, **FOLLOW_UP, aktion="bedingung")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="condition_4_question"' in html and 'name="condition_5_question"' not in html
    assert 'name="condition_count" value="4"' in html
    assert 'value="Wie lösen Sie die Betreuung?"' in html or "Wie lösen Sie die Betreuung?" in html
    assert 'name="condition_1_number" value="3"' in html
    assert db.session.query(Question).filter_by(key="betreuung").count() == 0  # nothing saved
    again = _post_question(
        client, survey_id, section_id, **{**FOLLOW_UP, "condition_count": "4"}, aktion="bedingung"
    )
    assert 'name="condition_5_question"' in again.get_data(as_text=True)


def test_bad_rules_are_explained_at_their_field(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, section_id = _survey_with_triggers(client)
    cases = [
        (
            {
                "condition_1_question": "kinder",
                "condition_1_op": "gt",
                "condition_1_number": "zwei",
            },
            "condition_1_value",
            "Bitte geben Sie eine Zahl ein",
            'value="zwei"',
        ),
        (
            {
                "condition_2_question": "stadtteil",
                "condition_2_op": "equals",
                "condition_2_value": "sued",
            },
            "condition_1_value",  # empty rows close up: the rule is row 1 again
            "keine Antwortmöglichkeit der Frage „stadtteil“",
            '<option value="stadtteil" selected>',
        ),
        (
            {"condition_1_question": "stadtteil", "condition_1_op": "gt", "condition_1_value": "x"},
            "condition_1_op",
            "Dieser Vergleich passt nicht",
            "",
        ),
        (
            {"condition_1_question": "spaeter", "condition_1_op": "answered"},
            "condition_1_question",
            "frühere Frage",
            "",
        ),
    ]
    for rules, field, message, kept in cases:
        data = {"type": "text", "key": "neu", "text": "Neu?", "condition_count": "3", **rules}
        response = _post_question(client, survey_id, section_id, **data)
        assert response.status_code == 422, rules
        html = response.get_data(as_text=True)
        assert message in html, (rules, message)
        assert f'href="#f-{field}"' in html and f'id="f-{field}"' in html
        assert f'id="f-{field}-error"' in html
        assert kept in html
        assert 'value="neu"' in html  # nothing typed is lost


def test_a_condition_on_a_later_question_is_refused_when_editing(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, _section_id = _survey_with_triggers(client)
    first = _question("kinder")
    response = client.post(
        f"/verwaltung/umfragen/{survey_id}/fragen/{first.id}",
        data={
            "type": "number",
            "key": "kinder",
            "text": "Wie viele Kinder?",
            "target_groups": ["familien"],
            "condition_1_question": "stadtteil",
            "condition_1_op": "equals",
            "condition_1_value": "mitte",
        },
    )
    assert response.status_code == 422
    assert "„stadtteil“ steht nicht davor" in response.get_data(as_text=True)


def test_reorder_up_and_down_returns_to_the_question(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, section_id = _survey_with_triggers(client)
    stadtteil = _question("stadtteil")
    response = client.post(f"/verwaltung/umfragen/{survey_id}/fragen/{stadtteil.id}/hoch")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#frage-{stadtteil.id}")
    assert [q.key for q in _question("kinder").section.questions] == ["stadtteil", "kinder"]
    client.post(f"/verwaltung/umfragen/{survey_id}/fragen/{stadtteil.id}/runter")
    assert [q.key for q in _question("kinder").section.questions] == ["kinder", "stadtteil"]
    page = client.get(f"/verwaltung/umfragen/{survey_id}").get_data(as_text=True)
    assert f'id="frage-{stadtteil.id}"' in page
    assert 'class="table-wrap" role="region"' in page and 'tabindex="0"' in page


def test_a_move_before_the_trigger_is_refused(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id, section_id = _survey_with_triggers(client)
    assert _post_question(client, survey_id, section_id, **FOLLOW_UP).status_code == 302
    follow = _question("betreuung")
    response = client.post(
        f"/verwaltung/umfragen/{survey_id}/fragen/{follow.id}/hoch", follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "Verschieben nicht möglich: Die Frage „betreuung“ muss nach „stadtteil“ stehen" in html
    assert [q.key for q in _question("kinder").section.questions] == [
        "kinder",
        "stadtteil",
        "betreuung",
    ]
