"""Recording goals and measures through the pages; errors keep the input; text is escaped."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from surveys.models import Answer, Measure, Question, Role, Survey, TargetGroup
from surveys.models import Response as SurveyResponse
from surveys.publication import comment_reference
from surveys.workshop.agreements import agreement_for
from tests.app.workshop_support import login, make_user, seeded_agreement
from tests.surveys.workshop_helpers import measure_form

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def moderator(app: Flask) -> FlaskClient:
    client = app.test_client()
    login(client, make_user(Role.MODERATOR))
    return client


def test_start_agreement_and_record_goal_and_measure(wapp: Flask) -> None:
    db.session.add(Survey(slug="bilanz-2026", title="Bilanz 2026"))
    db.session.commit()
    client = moderator(wapp)
    page = client.get("/workshop/").get_data(as_text=True)
    assert "Zielvereinbarung anlegen" in page
    bad = client.post("/workshop/bilanz-2026/start", data={"period_start": "morgen"})
    assert bad.status_code == 422 and "TT.MM.JJJJ" in bad.get_data(as_text=True)
    response = client.post("/workshop/bilanz-2026/start", data={"period_start": "2027-01-01"})
    assert response.status_code == 302
    agreement = agreement_for(db.session, db.session.query(Survey).one())
    assert agreement is not None and agreement.period_end.isoformat() == "2029-12-31"

    empty = client.post("/workshop/bilanz-2026/feld/bildung/ziele", data={"title": " "})
    assert empty.status_code == 422
    assert "Bitte füllen Sie dieses Feld aus." in empty.get_data(as_text=True)
    client.post(
        "/workshop/bilanz-2026/feld/bildung/ziele",
        data={"title": "Ganztag ausbauen", "description": "Bis 2029"},
    )
    goal = agreement.current.goals[0]
    assert goal.code == "3.1"

    form_page = client.get(f"/workshop/bilanz-2026/ziele/{goal.id}/massnahmen/neu")
    assert form_page.status_code == 200 and 'name="responsible_unit"' in form_page.get_data(
        as_text=True
    )
    bad = client.post(
        f"/workshop/bilanz-2026/ziele/{goal.id}/massnahmen/neu",
        data=measure_form(responsible_unit="", estimated_cost="teuer", findings=""),
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert 'href="#responsible_unit"' in html and 'href="#estimated_cost"' in html
    assert 'value="teuer"' in html and 'value="Ferienbetreuung an allen Grundschulen"' in html
    assert 'aria-invalid="true"' in html
    ok = client.post(
        f"/workshop/bilanz-2026/ziele/{goal.id}/massnahmen/neu",
        data=measure_form(findings=""),
    )
    assert ok.status_code == 302
    page = client.get("/workshop/bilanz-2026/feld/bildung").get_data(as_text=True)
    assert "Maßnahme 3.1.1:" in page and "120.000 €" in page and "Fachdienst Schule" in page


def test_edit_and_delete_measure(wapp: Flask) -> None:
    agreement = seeded_agreement(measures=2)
    client = moderator(wapp)
    measure = agreement.current.goals[0].measures[0]
    page = client.get(f"/workshop/bilanz-2026/massnahmen/{measure.id}").get_data(as_text=True)
    assert 'value="Maßnahme 1"' in page and 'value="2027-08-01"' in page
    client.post(
        f"/workshop/bilanz-2026/massnahmen/{measure.id}",
        data=measure_form(title="Neu formuliert", findings=""),
    )
    db.session.expire_all()
    assert db.session.get(Measure, measure.id).title == "Neu formuliert"
    confirm = client.get(f"/workshop/bilanz-2026/massnahmen/{measure.id}/loeschen")
    assert "Wirklich löschen?" in confirm.get_data(as_text=True)
    assert db.session.get(Measure, measure.id) is not None
    client.post(f"/workshop/bilanz-2026/massnahmen/{measure.id}/loeschen")
    assert db.session.get(Measure, measure.id) is None
    goal = agreement.current.goals[0]
    confirm = client.get(f"/workshop/bilanz-2026/ziele/{goal.id}/loeschen")
    assert "Die Maßnahme dieses Ziels wird mit gelöscht." in confirm.get_data(as_text=True)
    client.post(f"/workshop/bilanz-2026/ziele/{goal.id}/loeschen")
    db.session.expire_all()
    assert db.session.query(Measure).count() == 0


def test_measure_texts_are_escaped_on_the_pages(wapp: Flask) -> None:
    agreement = seeded_agreement(measures=2)
    client = moderator(wapp)
    goal = agreement.current.goals[0]
    client.post(
        f"/workshop/bilanz-2026/ziele/{goal.id}/massnahmen/neu",
        data=measure_form(title=XSS, description=XSS, partners=XSS, indicator=XSS, findings=""),
    )
    client.post(f"/workshop/bilanz-2026/ziele/{goal.id}", data={"title": XSS, "description": XSS})
    for url in (
        "/workshop/bilanz-2026/feld/bildung",
        "/workshop/bilanz-2026/umsetzung/bildung",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html, url
    # bad input shown back in the form is escaped too
    html = client.post(
        f"/workshop/bilanz-2026/ziele/{goal.id}/massnahmen/neu",
        data=measure_form(title=XSS, responsible_unit="", findings=""),
    ).get_data(as_text=True)
    assert "<script>alert" not in html
    assert not re.search(r"<script(?! src=)", html)


def test_frozen_version_has_no_edit_forms_and_refuses_posts(wapp: Flask) -> None:
    agreement = seeded_agreement(measures=2)
    client = moderator(wapp)
    response = client.post(
        "/workshop/bilanz-2026/beschliessen",
        data={"resolution_date": "2026-11-10", "paper_number": "DS 26/0815"},
    )
    assert response.status_code == 302
    html = client.get("/workshop/bilanz-2026/feld/bildung").get_data(as_text=True)
    assert "Neues Ziel" not in html and "Maßnahme hinzufügen" not in html
    assert "Drucksache DS 26/0815" in html
    goal = agreement.current.goals[0]
    refused = client.post(
        f"/workshop/bilanz-2026/ziele/{goal.id}/massnahmen/neu",
        data=measure_form(findings=""),
        follow_redirects=True,
    )
    assert "kann nicht mehr geändert werden" in refused.get_data(as_text=True)
    assert len(goal.measures) == 2


def test_measure_links_findings_ticked_in_the_form(wapp: Flask) -> None:
    from datetime import date

    from surveys.workshop.agreements import start_agreement
    from surveys.workshop.goals import add_goal
    from tests.surveys.workshop_helpers import field, make_survey

    survey = make_survey(db.session)
    agreement = start_agreement(db.session, survey, date(2027, 1, 1))
    goal = add_goal(db.session, agreement, field(db.session, "bildung"), {"title": "Ganztag"})
    db.session.commit()
    client = moderator(wapp)
    url = f"/workshop/bilanz-2026/ziele/{goal.id}/massnahmen/neu"
    html = client.get(url).get_data(as_text=True)
    assert 'value="kita/oeffnungszeiten"' in html and "Wie zufrieden sind Sie? – Kosten" in html

    data = measure_form(findings="")
    data.update({"finding": "kita/kosten", "findings_other": "gibtsnicht"})
    bad = client.post(url, data=data)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "„gibtsnicht“ gibt es in dieser Umfrage nicht" in html
    assert re.search(r'value="kita/kosten"\s+checked', html)
    assert ">gibtsnicht</textarea>" in html

    data.update({"findings_other": ""})
    assert client.post(url, data=data).status_code == 302
    page = client.get("/workshop/bilanz-2026/feld/bildung").get_data(as_text=True)
    assert "Wie zufrieden sind Sie? – Kosten" not in page  # item text, not question – item
    assert "Kosten" in page
    measure = agreement.current.goals[0].measures[0]
    db.session.refresh(measure)
    assert [f.label for f in measure.findings] == ["kita/kosten"]


def _comments(survey: Survey, group: str, texts: list[str]) -> None:
    question = db.session.scalars(
        select(Question).where(Question.survey_id == survey.id, Question.key == "bildung_kommentar")
    ).one()
    target = db.session.scalars(select(TargetGroup).where(TargetGroup.key == group)).one()
    for text in texts:
        response = SurveyResponse(
            survey_id=survey.id, target_group=target, submitted_on=date(2026, 5, 1)
        )
        response.answers = [Answer(question_id=question.id, text=text)]
        db.session.add(response)


def test_only_comments_shown_on_the_dashboard_can_be_cited(wapp: Flask) -> None:
    """The comment list shows a reference per comment; citing it links the comment. A comment
    of a group under MIN_TEXT_GROUP, or a guessed reference, gets the same refusal, and answer
    ids (sequential) are no longer accepted at all."""
    from surveys.workshop.agreements import start_agreement
    from surveys.workshop.goals import add_goal
    from tests.surveys.workshop_helpers import field, make_survey

    survey = make_survey(db.session)
    _comments(survey, "familien", [f"Familienwunsch Nummer {i}" for i in range(12)])
    _comments(survey, "senioren", ["Geheimer Seniorenwunsch", "Noch einer"])
    agreement = start_agreement(db.session, survey, date(2027, 1, 1))
    goal = add_goal(db.session, agreement, field(db.session, "bildung"), {"title": "Ganztag"})
    db.session.commit()
    hidden_id = db.session.scalars(
        select(Answer.id).where(Answer.text == "Geheimer Seniorenwunsch")
    ).one()
    client = moderator(wapp)
    board = client.get("/workshop/bilanz-2026/dashboard/feld/bildung?suche=Nummer 3")
    html = board.get_data(as_text=True)
    assert "Familienwunsch Nummer 3" in html and "Seniorenwunsch" not in html
    shown = re.search(r"Kennung (K-[0-9A-F]{8})", html)
    assert shown is not None
    assert shown.group(1) == comment_reference(
        "bildung_kommentar", "familien", "Familienwunsch Nummer 3"
    )

    url = f"/workshop/bilanz-2026/ziele/{goal.id}/massnahmen/neu"

    def refusal(ref: str) -> str:
        response = client.post(url, data=measure_form(findings="", comment_refs=ref))
        assert response.status_code == 422
        found = re.search(
            r"Einen Kommentar \S+ gibt es in der Kommentarliste nicht\.", html_of(response)
        )
        assert found is not None, ref
        return found.group(0).replace(ref, "<ref>")

    hidden = comment_reference("bildung_kommentar", "senioren", "Geheimer Seniorenwunsch")
    assert refusal(hidden) == refusal("K-00000000")
    numeric = client.post(url, data=measure_form(findings="", comment_refs=str(hidden_id)))
    assert numeric.status_code == 422 and "keine Kommentar-Kennung" in html_of(numeric)
    assert goal.measures == []

    ok = client.post(url, data=measure_form(findings="", comment_refs=shown.group(1).lower()))
    assert ok.status_code == 302
    page = client.get("/workshop/bilanz-2026/feld/bildung").get_data(as_text=True)
    assert f"Kommentar {shown.group(1)}: „Familienwunsch Nummer 3“" in page
    assert f"#{hidden_id}" not in page
    edit = goal.measures[0]
    form = client.get(f"/workshop/bilanz-2026/massnahmen/{edit.id}").get_data(as_text=True)
    assert f'value="{shown.group(1)}"' in form


def html_of(response: Any) -> str:
    return str(response.get_data(as_text=True))


def test_demo_agreements_and_previous_period_on_the_field_page(wapp: Flask) -> None:
    from demo.workshop import seed_workshop_demo

    old = Survey(slug="bestandsanalyse-2019", title="Bestandsanalyse 2019")
    new = Survey(slug="bilanz-2026", title="Bilanz 2026", baseline=old)
    db.session.add_all([old, new])
    db.session.flush()
    seed_workshop_demo(db.session, old, new)
    db.session.commit()
    client = moderator(wapp)
    html = client.get("/workshop/bilanz-2026/feld/arbeitswelt").get_data(as_text=True)
    assert "Bilanz: 2 Maßnahmen der vorigen Zielvereinbarung" in html
    assert "Netzwerk familienfreundlicher Arbeitgeber aufbauen" in html
    assert "25 Betriebe / 27" in html
    bildung = client.get("/workshop/bilanz-2026/feld/bildung").get_data(as_text=True)
    assert "Ferienbetreuung an allen Grundschulen" in bildung and "Abstimmung starten" in bildung
    tracking = client.get("/workshop/bestandsanalyse-2019/umsetzung").get_data(as_text=True)
    assert "Alle Handlungsfelder" in tracking and "2020" in tracking
