"""Datum, Mehrfache Zahleneingabe and Zahlen-Matrix through the web: designer, citizen page
with errors kept at the field, check page, paper sheet, paper entry and the export."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from surveys.models import Answer, Channel, Question, Response, Role, Survey
from tests.app.citizen_flow import csrf_token
from tests.app.staff_helpers import logged_in
from tests.app.test_staff_designer import add_section, create_survey
from tests.surveys.number_date_survey import SLUG, number_date_survey

PAGE = f"/s/{SLUG}/familien/seite/1"
SHOWN = "zuzug,kinder,betreuung"
VALID = {
    "q-zuzug-day": "15",
    "q-zuzug-month": "3",
    "q-zuzug-year": "2022",
    "q-kinder-a0_2": "1",
    "q-kinder-a6_9": "2",
    "q-betreuung-kita-kinder": "1",
    "q-betreuung-kita-stunden": "35",
}


def open_survey() -> Survey:
    survey = number_date_survey(db.session)
    db.session.commit()
    return survey


def post(client: FlaskClient, data: dict[str, str]) -> tuple[int, str]:
    response = client.post(PAGE, data={"angezeigt": SHOWN, "aktion": "weiter", **data})
    return response.status_code, response.get_data(as_text=True)


def test_citizen_page_draws_each_type_accessibly(app: Flask) -> None:
    open_survey()
    page = app.test_client().get(PAGE).get_data(as_text=True)
    # Datum: one fieldset, three labelled boxes; the day box carries the question's id
    assert "<legend>Seit wann wohnen Sie in Delmenhorst?</legend>" in page
    assert '<label for="q-zuzug">Tag</label>' in page
    assert 'id="q-zuzug" name="q-zuzug-day"' in page
    assert '<label for="q-zuzug-year">Jahr</label>' in page
    assert "Ein Datum vom 01.01.2020 bis zum 31.12.2026." in page
    # Mehrfache Zahleneingabe: a label per field and the sum check as hint
    assert '<label for="q-kinder-a14_17" class="label--answer">14 bis 17 Jahre</label>' in page
    assert "Die Summe darf höchstens 10 sein." in page
    # Zahlen-Matrix: a fieldset per row, a label per cell
    assert '<legend class="legend--small">Kita</legend>' in page
    assert '<label for="q-betreuung-schule-stunden">Stunden pro Woche</label>' in page


def test_wrong_date_is_said_at_the_field_and_kept(app: Flask) -> None:
    open_survey()
    client = app.test_client()
    status, page = post(client, {**VALID, "q-zuzug-day": "31", "q-zuzug-month": "2"})
    assert status == 200  # the page again, with the errors
    assert "Das Datum muss ein echtes Datum sein." in page
    assert 'href="#q-zuzug"' in page  # the summary leads to the day box
    assert 'id="q-zuzug-error"' in page and 'aria-describedby="q-zuzug-hint q-zuzug-error"' in page
    assert 'name="q-zuzug-day" value="31"' in page and 'name="q-zuzug-month" value="2"' in page
    assert 'name="q-kinder-a6_9" class="input--short" autocomplete="off" value="2"' in page
    # a missing part: the message names it, only its box is marked (as GOV.UK does)
    status, page = post(client, {**VALID, "q-zuzug-month": ""})
    assert "Das Datum muss einen Monat enthalten." in page
    assert (
        'name="q-zuzug-month" value="" autocomplete="off" maxlength="4" aria-invalid="true"' in page
    )
    assert 'name="q-zuzug-day" value="15" autocomplete="off" maxlength="4">' in page
    status, page = post(client, {**VALID, "q-zuzug-year": "2019"})
    assert status == 200  # the page again, with the errors
    assert "Das Datum muss am oder nach dem 01.01.2020 liegen." in page


def test_sum_and_cell_errors_stay_where_they_belong(app: Flask) -> None:
    open_survey()
    client = app.test_client()
    status, page = post(client, {**VALID, "q-kinder-a0_2": "9", "q-kinder-a3_5": "3"})
    assert status == 200  # the page again, with the errors
    assert "Die Summe darf höchstens 10 sein; sie ist jetzt 14." in page
    assert 'href="#q-kinder-a0_2"' in page  # the sum's error leads to the first field
    assert 'name="q-kinder-a3_5" class="input--short" autocomplete="off" value="3"' in page
    status, page = post(client, {**VALID, "q-betreuung-schule-stunden": "61"})
    assert status == 200  # the page again, with the errors
    assert 'id="q-betreuung-schule-stunden-error"' in page
    assert "Die Zahl darf höchstens 60 sein." in page
    assert 'href="#q-betreuung-schule-stunden"' in page
    assert 'value="61" aria-describedby="q-betreuung-schule-stunden-error" aria-invalid="true"' in (
        page
    )


def test_answers_reach_the_check_page_the_database_and_the_export(app: Flask) -> None:
    survey = open_survey()
    client = app.test_client()
    status, _page = post(client, VALID)
    assert status == 302
    check = client.get(f"/s/{SLUG}/familien/pruefen").get_data(as_text=True)
    assert "15.03.2022" in check
    assert "0 bis 2 Jahre: 1" in check and "Summe: 3" in check
    assert "Kita: Kinder 1, Stunden pro Woche 35" in check
    token = re.search(r'name="submission_id" value="([^"]*)"', check)
    assert token
    done = client.post(f"/s/{SLUG}/familien/pruefen", data={"submission_id": token.group(1)})
    assert done.status_code == 303  # to the thank-you page
    rows = db.session.execute(
        select(Question.key, Answer.num, Answer.text)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.survey_id == survey.id)
    ).all()
    assert sorted((k, n, t) for k, n, t in rows) == [
        ("betreuung", 1.0, None),
        ("betreuung", 35.0, None),
        ("kinder", 1.0, None),
        ("kinder", 2.0, None),
        ("zuzug", 19066.0, "2022-03-15"),  # days from 1970-01-01 to 2022-03-15
    ]
    staff = logged_in(app, Role.STAFF)
    csv = staff.get(f"/verwaltung/umfragen/{survey.id}/export.csv")
    text = csv.get_data(as_text=True)
    header, first = text.lstrip("\ufeff").splitlines()[:2]
    cells = dict(zip(header.split(";"), first.split(";"), strict=True))
    assert cells["zuzug"] == "2022-03-15"
    assert (cells["kinder.a0_2"], cells["kinder.a3_5"], cells["kinder.a6_9"]) == ("1", "", "2")
    assert (cells["betreuung.kita.stunden"], cells["betreuung.schule.kinder"]) == ("35", "")


def test_paper_sheet_and_paper_entry(app: Flask) -> None:
    survey = open_survey()
    sheet = app.test_client().get(f"/s/{SLUG}/druck").get_data(as_text=True)
    assert "Tag</span>" in sheet and "Jahr</span>" in sheet
    assert '<table class="paper-numbers">' in sheet and "14 bis 17 Jahre" in sheet
    assert '<th scope="col">Stunden pro Woche</th>' in sheet
    staff = logged_in(app, Role.STAFF)
    url = f"/verwaltung/umfragen/{survey.id}/papier/familien"
    form = staff.get(url).get_data(as_text=True)
    assert 'name="q-zuzug-day"' in form and 'name="q-betreuung-schule-stunden"' in form
    token = form.split('name="token" value="')[1].split('"')[0]
    wrong = staff.post(url, data={"token": token, **VALID, "q-zuzug-month": "13"})
    assert wrong.status_code == 422
    kept = wrong.get_data(as_text=True)
    assert "Das Datum muss ein echtes Datum sein." in kept and 'value="13"' in kept
    assert staff.post(url, data={"token": token, **VALID}).status_code == 302
    stored = db.session.query(Response).one()
    assert stored.channel == Channel.PAPER
    assert db.session.query(Answer).filter_by(response_id=stored.id).count() == 5


def test_designer_saves_and_shows_the_settings_of_each_type(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    new = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu"
    base = {"target_groups": ["familien"], "condition_op": "equals"}
    wrong = client.post(
        new,
        data={
            **base,
            "type": "date",
            "key": "zuzug",
            "text": "Seit wann?",
            "setting_date_min_date": "32.13.2020",
            "setting_date_max_date": "31.12.2026",
        },
    )
    assert wrong.status_code == 422
    page = wrong.get_data(as_text=True)
    assert 'id="f-setting_date_min_date-error"' in page
    assert "Bitte geben Sie ein Datum wie 31.12.2026 ein." in page
    assert 'value="32.13.2020"' in page and 'value="31.12.2026"' in page  # kept as typed
    ok = client.post(
        new,
        data={
            **base,
            "type": "date",
            "key": "zuzug",
            "text": "Seit wann?",
            "setting_date_min_date": "1.1.2020",
            # another type's hidden block is posted too and must be ignored
            "setting_multinumber_min": "7",
        },
    )
    assert ok.status_code == 302
    date_q = db.session.scalars(select(Question).where(Question.key == "zuzug")).one()
    assert date_q.settings == {"min_date": "2020-01-01"}
    edit = client.get(f"/verwaltung/umfragen/{survey_id}/fragen/{date_q.id}")
    assert 'name="setting_date_min_date" value="01.01.2020"' in edit.get_data(as_text=True)
    made = client.post(
        new,
        data={
            **base,
            "type": "multinumber",
            "key": "kinder",
            "text": "Wie viele Kinder?",
            "items": "a0_2: 0 bis 2 Jahre\na3_5: 3 bis 5 Jahre",
            "setting_multinumber_min": "0",
            "setting_multinumber_integer": "1",
            "setting_multinumber_sum_max": "10",
        },
    )
    assert made.status_code == 302
    multi = db.session.scalars(select(Question).where(Question.key == "kinder")).one()
    assert multi.settings == {"integer": True, "min": 0, "sum_max": 10}
    assert [(i.key, i.text) for i in multi.items] == [
        ("a0_2", "0 bis 2 Jahre"),
        ("a3_5", "3 bis 5 Jahre"),
    ]
    grid = client.post(
        new,
        data={
            **base,
            "type": "numbermatrix",
            "key": "betreuung",
            "text": "Betreuung?",
            "items": "Kita\nSchule",
            "options": "kinder: Kinder\nstunden: Stunden pro Woche",
            "setting_numbermatrix_max": "60",
        },
    )
    assert grid.status_code == 302
    matrix = db.session.scalars(select(Question).where(Question.key == "betreuung")).one()
    assert [o.code for o in matrix.options] == ["kinder", "stunden"] and len(matrix.items) == 2
    assert matrix.settings == {"integer": False, "max": 60}
    form = client.get(f"/verwaltung/umfragen/{survey_id}/fragen/{matrix.id}")
    html = form.get_data(as_text=True)
    assert "Spalten der Zahlen-Matrix" in html and "Zeilen der Zahlen-Matrix" in html
    assert 'name="setting_numbermatrix_max" value="60"' in html
    # The rows first, then the columns (as the table reads, and as a matrix asks its items).
    assert html.index('name="items"') < html.index('name="options"')
    assert html.index("Zeilen der Zahlen-Matrix") < html.index("Spalten der Zahlen-Matrix")
    assert csrf_token(html)
