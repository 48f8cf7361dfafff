"""The list of typed-in paper forms: neutral rows, changing and deleting a form, the audit.

Built on the factory survey (``tests/factories.py``); forms are typed in through the entry
page as staff do it, an online response is stored directly for the "never editable" checks.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from surveys.audit import Action
from surveys.errors import Conflict
from surveys.models import Answer, AuditEvent, Channel, Response, Role, Survey, TargetGroup
from surveys.paper_forms import correct_paper_form, form_ref, ref_key
from surveys.responses import store_response
from tests.app.citizen_flow import csrf_token
from tests.app.staff_helpers import logged_in, login, make_user
from tests.app.workshop_support import login as session_login
from tests.factories import build_survey

#: A complete families form, as typed from the sheet.
FAMILY_FORM = {
    "q-kita": "dk",
    "q-angebote-spielplatz": "2",
    "q-angebote-schule": "4",
    "q-angebote-bibliothek": "5",
    "q-beratung": "ja",
    "q-stelle": "familienbuero",
    "q-themen": ["erziehung"],
    "q-themen-other": "Schulweg",
    "q-prioritaeten-wege": "1",
    "q-prioritaeten-bus": "2",
    "q-kinder": "2",
    "q-anmerkungen": "Mehr Spielplätze im Süden",
}
REF = re.compile(r"/papier/boegen/([0-9a-f]{16})\"")


def _survey() -> Survey:
    survey = build_survey(db.session)
    db.session.commit()
    return survey


def _type_in(client: FlaskClient, survey: Survey, group: str, data: dict[str, Any]) -> None:
    url = f"/verwaltung/umfragen/{survey.id}/papier/{group}"
    page = client.get(url).get_data(as_text=True)
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(url, data={"token": token, **data})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def _online_response(survey: Survey) -> Response:
    group = db.session.scalars(select(TargetGroup).where(TargetGroup.key == "familien")).one()
    response = store_response(db.session, survey, group, {"kita": 5}, today=date(2026, 5, 4))
    db.session.commit()
    return response


def _list(client: FlaskClient, survey: Survey) -> str:
    response = client.get(f"/verwaltung/umfragen/{survey.id}/papier/boegen")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _answers(response_id: int) -> dict[tuple[int, int | None, int | None], Any]:
    db.session.expire_all()
    rows = db.session.scalars(select(Answer).where(Answer.response_id == response_id)).all()
    return {(a.question_id, a.item_id, a.option_id): (a.num, a.text, a.dont_know) for a in rows}


def _question_id(survey: Survey, key: str) -> int:
    return next(q.id for q in survey.questions() if q.key == key)


def _paper_ids(survey: Survey) -> list[int]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Response.id)
            .where(Response.survey_id == survey.id, Response.channel == Channel.PAPER)
            .order_by(Response.id)
        )
    )


def test_the_list_names_forms_neutrally_and_leaves_online_answers_out(app: Flask) -> None:
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    _type_in(client, survey, "familien", FAMILY_FORM)
    _type_in(client, survey, "senioren", {"q-beratung": "nein"})
    _type_in(client, survey, "familien", {"q-kita": "1"})
    online = _online_response(survey)
    page = _list(client, survey)

    assert "3 Papierbögen sind erfasst." in page
    rows = re.findall(
        r"<tr>\s*<td class=\"num\">(\d+)</td>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>", page
    )
    assert [(n, g) for n, g, _ in rows] == [
        ("1", "Familien"),
        ("2", "Familien"),
        ("3", "Seniorinnen und Senioren"),
    ]
    assert sorted(answered for _, g, answered in rows if g == "Familien") == ["1 von 8", "8 von 8"]
    assert rows[2][2] == "1 von 6"
    # neither the database ids nor the day of entry are on the page
    key = ref_key(app.config["SECRET_KEY"])
    refs = REF.findall(page)
    assert len(set(refs)) == 3
    first, _senior, second = _paper_ids(survey)
    assert refs[:2] == sorted([form_ref(key, first), form_ref(key, second)])  # not by id
    assert set(re.findall(r"/papier/boegen/([^/\"]+)", page)) == set(refs)
    today = date.today()
    for shown in (today.isoformat(), today.strftime("%d.%m.%Y"), today.strftime("%d.%m.")):
        assert shown not in page
    assert form_ref(key, online.id) not in page


def test_changing_a_form_prefills_it_and_replaces_its_answers(app: Flask) -> None:
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    _type_in(client, survey, "familien", FAMILY_FORM)
    (response_id,) = _paper_ids(survey)
    before = db.session.get(Response, response_id)
    assert before is not None
    day, group_id = before.submitted_on, before.target_group_id
    (ref,) = REF.findall(_list(client, survey))
    url = f"/verwaltung/umfragen/{survey.id}/papier/boegen/{ref}"

    form = client.get(url).get_data(as_text=True)
    assert "Papierbogen Nr. 1 ändern" in form
    for checked in ("q-kita--6", "q-angebote-spielplatz--2", "q-angebote-bibliothek--5",
                    "q-beratung--ja", "q-stelle--1", "q-themen--1"):  # fmt: skip
        assert re.search(rf'id="{checked}"[^>]*checked', form), checked
    assert 'value="Schulweg"' in form and "Mehr Spielplätze im Süden</textarea>" in form
    assert re.search(r'id="q-prioritaeten-bus".*?value="2" selected', form, re.S)
    assert 'value="2"' in form  # kinder
    assert 'name="paper_code"' not in form and 'name="paper_batch"' not in form

    changed = {**FAMILY_FORM, "q-kita": "5", "q-kinder": "", "q-anmerkungen": "Ampel am Markt"}
    changed.pop("q-angebote-schule")
    response = client.post(url, data=changed)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verwaltung/umfragen/{survey.id}/papier/boegen")

    answers = _answers(response_id)
    assert answers[(_question_id(survey, "kita"), None, None)] == (5.0, None, False)
    assert answers[(_question_id(survey, "anmerkungen"), None, None)] == (
        None,
        "Ampel am Markt",
        False,
    )
    assert (_question_id(survey, "kinder"), None, None) not in answers
    matrix = [k for k in answers if k[0] == _question_id(survey, "angebote")]
    assert len(matrix) == 2
    after = db.session.get(Response, response_id)
    assert after is not None
    assert (after.submitted_on, after.target_group_id, after.channel) == (
        day,
        group_id,
        Channel.PAPER,
    )
    assert _paper_ids(survey) == [response_id]
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Die Änderungen an Papierbogen Nr. 1 sind gespeichert." in follow
    assert "7 von 8" in follow


def test_an_invalid_change_keeps_what_was_typed_and_stores_nothing(app: Flask) -> None:
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    _type_in(client, survey, "familien", FAMILY_FORM)
    (response_id,) = _paper_ids(survey)
    stored = _answers(response_id)
    (ref,) = REF.findall(_list(client, survey))
    url = f"/verwaltung/umfragen/{survey.id}/papier/boegen/{ref}"
    bad = {**FAMILY_FORM, "q-kinder": "99", "q-anmerkungen": "Neu getippt"}
    response = client.post(url, data=bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Die Zahl darf höchstens 15 sein." in page
    assert 'href="#q-kinder"' in page  # the error summary links to the field
    assert 'value="99"' in page and "Neu getippt</textarea>" in page
    assert _answers(response_id) == stored
    # emptying a whole form asks first, as at entry
    blank = client.post(url, data={})
    assert blank.status_code == 422 and "keine einzige Antwort" in blank.get_data(as_text=True)
    assert _answers(response_id) == stored
    assert client.post(url, data={"leer_ok": "1"}).status_code == 302
    assert _answers(response_id) == {} and _paper_ids(survey) == [response_id]


def test_deleting_asks_first_then_removes_the_form_and_its_answers(app: Flask) -> None:
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    _type_in(client, survey, "familien", FAMILY_FORM)
    _type_in(client, survey, "senioren", {"q-beratung": "nein"})
    online = _online_response(survey)
    families, seniors = _paper_ids(survey)
    key = ref_key(app.config["SECRET_KEY"])
    url = f"/verwaltung/umfragen/{survey.id}/papier/boegen/{form_ref(key, families)}/loeschen"

    confirm = client.get(url)
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Papierbogen Nr. 1 löschen?" in page and "Ja, Bogen löschen" in page
    assert "8 von 8" in page and 'method="post"' in page
    assert _paper_ids(survey) == [families, seniors]  # GET changes nothing

    response = client.post(url)
    assert response.status_code == 302
    assert _paper_ids(survey) == [seniors]
    assert db.session.get(Response, families) is None
    assert _answers(families) == {}
    assert _answers(seniors) != {} and _answers(online.id) != {}
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Papierbogen Nr. 1 wurde gelöscht." in follow
    assert "1 Papierbogen ist erfasst." in follow
    # a second POST finds nothing to delete
    again = client.post(url, follow_redirects=True)
    assert "gibt es nicht (mehr)" in again.get_data(as_text=True)


def test_changes_and_deletions_are_audited_without_answer_content(app: Flask) -> None:
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    _type_in(client, survey, "familien", FAMILY_FORM)
    (ref,) = REF.findall(_list(client, survey))
    base = f"/verwaltung/umfragen/{survey.id}/papier/boegen/{ref}"
    assert client.post(base, data={**FAMILY_FORM, "q-anmerkungen": "Ampel"}).status_code == 302
    assert client.post(f"{base}/loeschen").status_code == 302

    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    paper = [e for e in events if e.action.startswith("paper.")]
    assert [e.action for e in paper] == [Action.PAPER_CHANGE, Action.PAPER_DELETE]
    for event in paper:
        assert event.actor == "staff@example.org" and event.survey_id == survey.id
        text = " ".join(str(v) for v in vars(event).values())
        for content in ("Ampel", "Spielpl", "Schulweg", "familienbuero", ref, "Familien"):
            assert content not in text
    # the admin's audit page gives them German names
    make_user(Role.ADMIN)
    admin = login(app.test_client(), Role.ADMIN)
    audit = admin.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "Papierbogen geändert" in audit and "Papierbogen gelöscht" in audit


def test_online_responses_cannot_be_opened_changed_or_deleted(app: Flask) -> None:
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    online = _online_response(survey)
    stored = _answers(online.id)
    key = ref_key(app.config["SECRET_KEY"])
    for ref in (form_ref(key, online.id), str(online.id), f"{online.id:016d}"):
        base = f"/verwaltung/umfragen/{survey.id}/papier/boegen/{ref}"
        for response in (
            client.get(base),
            client.post(base, data={"q-kita": "1"}),
            client.get(f"{base}/loeschen"),
            client.post(f"{base}/loeschen"),
        ):
            assert response.status_code == 302
            assert response.headers["Location"].endswith("/papier/boegen")
    assert _answers(online.id) == stored
    assert db.session.get(Response, online.id) is not None
    # and the domain refuses as well, whatever a caller passes in
    response = db.session.get(Response, online.id)
    assert response is not None
    with pytest.raises(Conflict):
        correct_paper_form(db.session, survey, response, {"kita": 1}, None)


def test_forms_of_another_survey_are_not_reachable(app: Flask) -> None:
    survey = _survey()
    other = build_survey(db.session, slug="zweite", title="Zweite Umfrage")
    db.session.commit()
    client = logged_in(app, Role.STAFF)
    _type_in(client, survey, "familien", {"q-kita": "2"})
    (ref,) = REF.findall(_list(client, survey))
    response = client.post(f"/verwaltung/umfragen/{other.id}/papier/boegen/{ref}/loeschen")
    assert response.status_code == 302 and len(_paper_ids(survey)) == 1


def test_moderators_and_visitors_are_refused(app: Flask) -> None:
    survey = _survey()
    staff = logged_in(app, Role.STAFF)
    _type_in(staff, survey, "familien", {"q-kita": "2"})
    (ref,) = REF.findall(_list(staff, survey))
    base = f"/verwaltung/umfragen/{survey.id}/papier/boegen"
    make_user(Role.MODERATOR)
    moderator = login(app.test_client(), Role.MODERATOR)
    visitor = app.test_client()
    for path in (base, f"{base}/{ref}", f"{base}/{ref}/loeschen"):
        assert moderator.get(path).status_code == 403, path
        assert moderator.post(path, data={"q-kita": "5"}).status_code == 403, path
        for response in (visitor.get(path), visitor.post(path)):
            assert response.status_code == 302 and "/anmelden" in response.headers["Location"]
    assert len(_paper_ids(survey)) == 1


def test_changing_and_deleting_need_the_form_token(app_with: Any) -> None:
    app: Flask = app_with(WTF_CSRF_ENABLED=True)
    with app.app_context():
        survey = _survey()
        group = db.session.scalars(select(TargetGroup).where(TargetGroup.key == "familien")).one()
        paper = store_response(
            db.session, survey, group, {"kita": 2}, today=date(2026, 5, 4), channel=Channel.PAPER
        )
        db.session.commit()
        client = app.test_client()
        session_login(client, make_user(Role.STAFF))
        ref = form_ref(ref_key(app.config["SECRET_KEY"]), paper.id)
        base = f"/verwaltung/umfragen/{survey.id}/papier/boegen/{ref}"
        stored = _answers(paper.id)
        for token in (None, "forged.token.value"):
            data = {"q-kita": "5"} if token is None else {"q-kita": "5", "csrf_token": token}
            assert client.post(base, data=data).status_code == 400
            assert client.post(f"{base}/loeschen", data=data).status_code == 400
        assert _answers(paper.id) == stored and _paper_ids(survey) == [paper.id]
        edit = client.get(base).get_data(as_text=True)
        response = client.post(base, data={"q-kita": "5", "csrf_token": csrf_token(edit)})
        assert response.status_code == 302
        assert _answers(paper.id)[(_question_id(survey, "kita"), None, None)][0] == 5.0
        confirm = client.get(f"{base}/loeschen").get_data(as_text=True)
        response = client.post(f"{base}/loeschen", data={"csrf_token": csrf_token(confirm)})
        assert response.status_code == 302 and _paper_ids(survey) == []


def test_the_entry_form_is_numbered_and_laid_out_like_the_sheet(app: Flask) -> None:
    survey = _survey()
    matrix = next(q for q in survey.questions() if q.key == "angebote")
    matrix.settings = {"scale": [f"Stufe {n}" for n in range(1, 8)], "dont_know": True}
    db.session.commit()
    client = logged_in(app, Role.STAFF)
    page = client.get(f"/verwaltung/umfragen/{survey.id}/papier/senioren").get_data(as_text=True)
    sheet = client.get(f"/s/{survey.slug}/druck?gruppe=senioren").get_data(as_text=True)
    headings = re.findall(r"<h2[^>]*>(Handlungsfeld \d+:[^<]*)</h2>", page)
    assert headings == re.findall(r"<h2[^>]*>(Handlungsfeld \d+:[^<]*)</h2>", sheet)
    numbers = re.findall(r'<span class="question-number">(\d+)\.</span>', page)
    assert numbers == [str(n) for n in range(1, 7)]  # the seniors' sheet has six questions
    # eight columns (seven points and "weiß nicht"): numbered headers with a key, as on paper
    assert "Die Spalten bedeuten:" in page and "8 = weiß nicht / keine Angabe" in page
    assert '<span aria-hidden="true">8</span><span class="visually-hidden">' in page
    radio = re.search(r'<input type="radio" id="q-angebote-schule--8"[^>]*>', page)
    assert radio and 'value="dk"' in radio.group(0)
    assert 'aria-labelledby="q-angebote-schule-label q-angebote--col8"' in radio.group(0)
