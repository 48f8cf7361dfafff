"""Landing page, group choice, survey states, question pages markup and the paper version."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from surveys.models import Survey, SurveyStatus
from tests.app.citizen_flow import BASE, page_url
from tests.factories import build_survey


def text_of(client: FlaskClient, url: str) -> str:
    return client.get(url).get_data(as_text=True)


def test_landing_explains_purpose_duration_privacy_and_asks_the_group(
    client: FlaskClient, survey: Survey
) -> None:
    html = text_of(client, BASE)
    assert "<h1>Familienumfrage Delmenhorst 2026</h1>" in html
    # a survey without landing texts of its own: no audit text, a neutral sentence
    assert "Warum wir fragen" not in html and "familiengerechte Kommune" not in html
    assert "Handlungsfeldern" not in html and "Zielvereinbarungsworkshop" not in html
    assert "Ergebnisse für Gruppen mit weniger als 5 Antworten zeigen wir nie." in html
    assert "Etwa 5 Minuten" in html
    assert "anonym" in html and "IP-Adresse" in html and "30 Tage" in html
    assert "Ich antworte als:" in html
    for label in ("Familie", "Seniorin oder Senior", "Akteurin oder Akteur (Institution"):
        assert label in html
    assert html.count('type="radio" id="gruppe--') == 3
    assert "Leichte Sprache" in html and "Die Stadt fragt Sie." in html
    assert f'href="{BASE}/weiter"' in html and f'href="{BASE}/druck"' in html


def test_landing_and_thanks_show_the_surveys_own_texts(client: FlaskClient, survey: Survey) -> None:
    survey.purpose = "Der Spielplatz-Check fragt, wie sicher die Spielplätze sind."
    survey.next_steps = "Wir werten aus.\n\nDer Ausschuss <b>berät</b>."
    db.session.commit()
    html = text_of(client, BASE)
    assert "<h2>Warum wir fragen</h2>" in html
    assert "Der Spielplatz-Check fragt, wie sicher die Spielplätze sind." in html
    assert '<li class="prewrap">Wir werten aus.</li>' in html
    assert '<li class="prewrap">Der Ausschuss &lt;b&gt;berät&lt;/b&gt;.</li>' in html
    assert "zeigen wir nie" not in html  # the neutral sentence only without steps
    thanks = text_of(client, f"{BASE}/danke")
    assert '<li class="prewrap">Wir werten aus.</li>' in thanks
    assert "Handlungsfeldern" not in thanks


def test_staff_text_is_escaped_on_the_landing_page(client: FlaskClient, app: Flask) -> None:
    created = build_survey(db.session)
    created.intro = "<script>alert(1)</script>"
    db.session.commit()
    html = text_of(client, BASE)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_home_links_to_the_survey(client: FlaskClient, survey: Survey) -> None:
    assert f'href="{BASE}"' in text_of(client, "/")


def test_group_link_skips_the_group_question(client: FlaskClient, survey: Survey) -> None:
    html = text_of(client, f"{BASE}/senioren")
    assert "Sie antworten als: Seniorin oder Senior" in html
    assert 'name="gruppe"' not in html
    assert f'href="{page_url("senioren", 1)}"' in html
    assert client.get(f"{BASE}/unbekannt").status_code == 404


def test_start_without_choice_shows_an_error_at_the_field(
    client: FlaskClient, survey: Survey
) -> None:
    response = client.get(f"{BASE}/start")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Fehler:" in html
    assert 'href="#gruppe--1"' in html
    assert 'id="gruppe-error"' in html and 'aria-invalid="true"' in html
    start = client.get(f"{BASE}/start?gruppe=akteure")
    assert start.status_code == 302
    assert start.headers["Location"].endswith(page_url("akteure", 1))


@pytest.mark.parametrize(
    ("changes", "status", "text"),
    [
        ({"status": SurveyStatus.DRAFT}, 404, "Diese Umfrage gibt es nicht"),
        ({"status": SurveyStatus.CLOSED}, 410, "Diese Umfrage ist beendet"),
        ({"closes_on": date.today() - timedelta(days=2)}, 410, "Diese Umfrage ist beendet"),
        ({"opens_on": date.today() + timedelta(days=3)}, 403, "noch nicht begonnen"),
    ],
)
def test_unavailable_surveys_get_clear_pages(
    client: FlaskClient, app: Flask, changes: dict[str, object], status: int, text: str
) -> None:
    created = build_survey(db.session)
    for name, value in changes.items():
        setattr(created, name, value)
    db.session.commit()
    for url in (BASE, f"{BASE}/familien", page_url("familien", 1), f"{BASE}/druck"):
        response = client.get(url)
        assert response.status_code == status, url
        html = response.get_data(as_text=True)
        assert text in html and '<html lang="de"' in html


def test_unknown_survey_is_404(client: FlaskClient) -> None:
    response = client.get("/s/gibt-es-nicht")
    assert response.status_code == 404
    assert "Diese Umfrage gibt es nicht" in response.get_data(as_text=True)


def test_page_title_progress_and_only_the_groups_questions(
    client: FlaskClient, survey: Survey
) -> None:
    html = text_of(client, page_url("familien", 1))
    assert "<title>Schritt 1 von 3 – Bildung und Erziehung" in html
    assert "<h1>Schritt 1 von 3 – Bildung und Erziehung</h1>" in html
    assert '<progress id="progress" max="4" value="1">' in html
    assert 'name="q-kita"' in html
    seniors = text_of(client, page_url("senioren", 1))
    assert 'name="q-kita"' not in seniors and 'name="q-angebote-schule"' in seniors
    stakeholders = text_of(client, page_url("akteure", 1))
    assert "Schritt 1 von 3 – Beratung und Unterstützung" in stakeholders
    assert client.get(page_url("akteure", 4)).status_code == 404
    assert client.get(page_url("akteure", 0)).status_code == 404


def test_every_question_type_is_a_fieldset_with_native_controls(
    client: FlaskClient, survey: Survey
) -> None:
    page1 = text_of(client, page_url("familien", 1))
    # likert: a fieldset whose legend is the question, required marked in text
    assert re.search(
        r'<fieldset class="question[^>]*id="q-kita-fieldset"[^>]*>\s*<legend>Wie zufrieden '
        r"sind Sie mit der Kinderbetreuung\? <span class=\"required-marker\">\(Pflichtfrage\)",
        page1,
    )
    assert page1.count('name="q-kita"') == 6  # five points and "weiß nicht"
    # matrix: one fieldset per item, each with its own legend and radio group
    for item in ("spielplatz", "schule", "bibliothek"):
        assert f'id="q-angebote-{item}-fieldset"' in page1
        assert page1.count(f'name="q-angebote-{item}"') == 5
    assert '<legend class="legend--small">Spielplätze</legend>' in page1
    page2 = text_of(client, page_url("familien", 2))
    assert 'type="radio" id="q-beratung--ja" name="q-beratung" value="ja"' in page2
    assert page2.count('type="checkbox"') == 3 and 'id="q-themen-other"' in page2
    assert "Wählen Sie höchstens 2 Antworten." in page2
    # the conditional question is in the page for JavaScript, hidden until "ja"
    assert re.search(r'id="frage-stelle"[^>]*data-condition=[^>]*hidden', page2)
    page3 = text_of(client, page_url("familien", 3))
    assert page3.count("<select") == 4 and "Platz 2" in page3 and "Platz 3" not in page3
    assert '<label for="q-prioritaeten-wege">Sichere Wege</label>' in page3
    assert 'inputmode="numeric" id="q-kinder"' in page3
    assert '<textarea id="q-anmerkungen"' in page3
    assert "Eine ganze Zahl, mindestens 0, höchstens 15." in page3
    for html in (page1, page2, page3):
        assert "<script>" not in html and "style=" not in html
        assert 'name="csrf_token"' in html


def test_paper_version_has_a_block_per_handlungsfeld_and_tick_boxes(
    client: FlaskClient, survey: Survey
) -> None:
    html = text_of(client, f"{BASE}/druck?gruppe=alle")
    for number, title in (
        (3, "Bildung und Erziehung"),
        (4, "Beratung und Unterstützung"),
        (5, "Wohnumfeld und Lebensqualität"),
        (1, "Steuerung, Vernetzung"),
    ):
        assert f"Handlungsfeld {number}: {title}" in html
    assert html.count("☐") > 30
    assert "Nur beantworten, wenn Sie bei „Haben Sie in den letzten zwei Jahren" in html
    assert "„Ja“ gewählt haben." in html
    seniors = text_of(client, f"{BASE}/druck?gruppe=senioren")
    assert "Fragebogen für: Seniorinnen und Senioren" in seniors
    assert "Kinderbetreuung" not in seniors and "Handlungsfeld 1:" not in seniors
    assert client.get(f"{BASE}/druck?gruppe=niemand").status_code == 404


def test_the_duration_counts_one_answer_per_row_of_every_type_with_rows(app) -> None:
    """A matrix and a number matrix with 30 rows each take 60 answers × 12 s = 12 minutes,
    shown rounded up to 15; a plain question counts once."""
    from app.citizen.views import SECONDS_PER_ANSWER, estimated_minutes
    from surveys.models import Item, Question, QuestionType, Section, Survey

    survey = Survey(slug="dauer", title="Dauer")
    section = Section(title="Teil")
    survey.sections.append(section)
    for key, qtype in (("m", QuestionType.MATRIX), ("z", QuestionType.NUMBERMATRIX)):
        question = Question(key=key, type=qtype, text=key, settings={})
        question.items.extend(Item(key=f"i{n}", text=f"Zeile {n}") for n in range(30))
        section.questions.append(question)
    section.questions.append(Question(key="t", type=QuestionType.TEXT, text="t", settings={}))
    assert SECONDS_PER_ANSWER == 12
    assert estimated_minutes(survey) == 15  # 61 answers: 12.2 minutes, rounded up to 15
