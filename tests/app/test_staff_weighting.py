"""The staff page for population margins: roles, CSRF, German errors at the field, results."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from surveys.models import (
    AuditEvent,
    Option,
    PopulationMargin,
    Question,
    QuestionType,
    Role,
    Section,
    Survey,
    SurveyStatus,
    TargetGroup,
)
from surveys.reference_data import ensure_reference_data
from surveys.responses import store_response
from tests.app.citizen_flow import csrf_token
from tests.app.staff_helpers import logged_in, make_user
from tests.app.workshop_support import login as session_login

TODAY = date(2026, 11, 20)
# district, answers "ja" to "nutzung", answers "nein": 60 respondents in the sample
SAMPLE = (("nord", 20, 10), ("sued", 12, 8), ("ost", 4, 6))
# population (households) per district: nord 2,000, süd 3,000, ost 5,000
POPULATION = {"nord": "2.000", "sued": "3000", "ost": "5.000"}


def weighting_survey() -> Survey:
    """A survey with one district question (and "keine Angabe"), a yes/no, a scale question."""
    ensure_reference_data(db.session)
    families = db.session.scalars(select(TargetGroup).where(TargetGroup.key == "familien")).one()
    survey = Survey(
        slug="gewichtung", title="Gewichtungstest", status=SurveyStatus.OPEN,
        target_groups=[families],
    )  # fmt: skip
    db.session.add(survey)
    db.session.flush()
    section = Section(title="Über Sie")
    survey.sections.append(section)
    district = Question(
        survey_id=survey.id, key="bezirk", type=QuestionType.SINGLE,
        text="In welchem Bezirk wohnen Sie?", target_groups=[families],
    )  # fmt: skip
    district.options = [
        Option(code="nord", label="Nord"),
        Option(code="sued", label="Süd"),
        Option(code="ost", label="Ost"),
        Option(code="weg", label="Ich wohne woanders"),
    ]
    use = Question(
        survey_id=survey.id, key="nutzung", type=QuestionType.YESNO,
        text="Nutzen Sie das Familienbüro?", target_groups=[families],
    )  # fmt: skip
    rare = Question(
        survey_id=survey.id, key="selten", type=QuestionType.YESNO,
        text="Eine Frage, die fast niemand beantwortet", target_groups=[families],
    )  # fmt: skip
    section.questions.extend([district, use, rare])
    db.session.flush()
    n = 0
    for code, yes, no in SAMPLE:
        for answer in [True] * yes + [False] * no:
            values: dict[str, Any] = {"bezirk": code, "nutzung": answer}
            if n < 3:
                values["selten"] = True
            store_response(db.session, survey, families, values, today=TODAY)
            n += 1
    for _ in range(4):  # no district given: "fehlend", weight 1
        store_response(db.session, survey, families, {"nutzung": True}, today=TODAY)
    for _ in range(2):  # lives elsewhere: excluded option, also "fehlend"
        store_response(db.session, survey, families, {"bezirk": "weg", "nutzung": False},
                       today=TODAY)  # fmt: skip
    db.session.commit()
    return survey


def _url(survey: Survey) -> str:
    return f"/verwaltung/umfragen/{survey.id}/gewichtung"


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "count",
        "source": "Melderegister",
        "reference_date": "2025-12-31",
        **{f"value-{k}": v for k, v in POPULATION.items()},
        "exclude-weg": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_page_needs_login_and_staff_role(app: Flask) -> None:
    survey = weighting_survey()
    anonymous = app.test_client().get(_url(survey))
    assert anonymous.status_code == 302 and "/anmelden" in anonymous.headers["Location"]
    moderator = logged_in(app, Role.MODERATOR)
    assert moderator.get(_url(survey)).status_code == 403
    assert moderator.post(_url(survey) + "/familien/bezirk", data=_form()).status_code == 403
    assert db.session.scalars(select(PopulationMargin)).first() is None
    staff = logged_in(app, Role.STAFF)
    page = staff.get(_url(survey)).get_data(as_text=True)
    assert "Gewichtungsmerkmal hinzufügen" in page
    assert "ungewichtet" in page  # no margins yet
    detail = staff.get(f"/verwaltung/umfragen/{survey.id}").get_data(as_text=True)
    assert f'href="{_url(survey)}"' in detail


def test_saving_margins_weights_the_figures_like_a_hand_computation(app: Flask) -> None:
    survey = weighting_survey()
    client = logged_in(app, Role.STAFF)
    form = client.get(_url(survey) + "/familien/bezirk").get_data(as_text=True)
    assert 'name="value-nord"' in form and 'name="exclude-weg"' in form
    response = client.post(_url(survey) + "/familien/bezirk", data=_form())
    assert response.status_code == 302
    margin = db.session.scalars(select(PopulationMargin)).one()
    values = {t.option.code: (t.value, t.excluded) for t in margin.targets}
    assert values == {
        "nord": (2000.0, False), "sued": (3000.0, False), "ost": (5000.0, False),
        "weg": (None, True),
    }  # fmt: skip
    assert margin.source == "Melderegister" and margin.reference_date == date(2025, 12, 31)
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and "bezirk" in event.details

    # One margin: raking is post-stratification. Of the 60 respondents with a district,
    # nord has 30 (50 %), süd 20 (33.3 %), ost 10 (16.7 %); the population 20 / 30 / 50 %.
    # Weights among them: nord 0.2/0.5 = 0.4, süd 0.3/(1/3) = 0.9, ost 0.5/(1/6) = 3.0;
    # the 6 "fehlend" keep weight 1 (total 30·0.4 + 20·0.9 + 10·3 + 6 = 66 = n).
    # "nutzung" = ja: nord 20·0.4 + süd 12·0.9 + ost 4·3 + 4 without district
    #   = 8 + 10.8 + 12 + 4 = 34.8 of 66 → 52.7 %; unweighted (20 + 12 + 4 + 4)/66 = 60.6 %.
    # deff = 66·Σw²/(Σw)² = 66·(30·0.16 + 20·0.81 + 10·9 + 6)/66² = 117/66 = 1.77
    # ESS = 66/1.7727 = 37.2, weights 0.40 to 3.00.
    page = client.get(_url(survey)).get_data(as_text=True)
    assert "Melderegister" in page and "31.12.2025" in page
    figures = _text(page)
    assert "Befragte (ungewichtet) 66" in figures
    assert "Designeffekt der Gewichtung (Kish) 1,77" in figures
    assert "Effektive Fallzahl 37" in figures
    assert "Kleinstes und größtes Gewicht 0,40 – 3,00" in figures
    assert "Ohne Angabe oder ausgeschlossen: In welchem Bezirk wohnen Sie? 6" in figures
    assert re.search(r"Nutzen Sie das Familienbüro\? Ja 66 60,6\s%\s52,7\s%", figures), figures
    # the question answered by three people shows no figures
    assert re.search(r"fast niemand beantwortet Ja 3 weniger als 5 Antworten", figures)
    # the stored margin comes back into the form as entered
    again = client.get(_url(survey) + "/familien/bezirk").get_data(as_text=True)
    assert (
        'value="2.000"' in again
        and 'id="f-exclude-weg" name="exclude-weg" value="1" checked' in again
    )


def _text(page: str) -> str:
    body = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1])
    return re.sub(r"\s+", " ", body.replace("&nbsp;", " ")).replace("\u202f", " ")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "share", "value-nord": "20", "value-sued": "30", "value-ost": "40"},
         "values", "Die Anteile ergeben zusammen 90,0 % statt 100 %"),
        ({"value-ost": ""}, "value-ost", "Geben Sie für „Ost“ eine Zahl an"),
        ({"value-ost": "-5"}, "value-ost", "muss größer als 0 sein"),
        ({"value-ost": "0"}, "value-ost", "muss größer als 0 sein"),
        ({"value-ost": "12,5"}, "value-ost", "Eine Anzahl ist eine ganze Zahl."),
        ({"value-ost": "viele"}, "value-ost", "„viele“ ist keine Zahl."),
        ({"kind": ""}, "kind", "Wählen Sie, ob Sie Anzahlen oder Anteile angeben."),
        ({"source": " "}, "source", "Geben Sie die Quelle an"),
        ({"reference_date": "31.13.2025"}, "reference_date", "Geben Sie den Stand als Datum an"),
        ({"exclude-nord": "1", "exclude-sued": "1"}, "values", "mindestens zwei Antworten"),
    ],
)  # fmt: skip
def test_bad_margins_are_refused_at_the_field_and_keep_the_input(
    app: Flask, overrides: dict[str, str], field: str, message: str
) -> None:
    survey = weighting_survey()
    client = logged_in(app, Role.STAFF)
    data = _form(**overrides)
    response = client.post(_url(survey) + "/familien/bezirk", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'href="#f-{field}"' in page  # error summary links to the field
    assert f'id="f-{field}-error"' in page
    assert message in page.replace("&#34;", '"').replace("&nbsp;", " ")
    assert f'value="{data["source"]}"' in page  # what was typed stays
    assert db.session.scalars(select(PopulationMargin)).first() is None


def test_a_share_margin_within_rounding_is_accepted(app: Flask) -> None:
    survey = weighting_survey()
    client = logged_in(app, Role.STAFF)
    data = _form(kind="share", **{"value-nord": "20,1", "value-sued": "30", "value-ost": "50,2"})
    assert client.post(_url(survey) + "/familien/bezirk", data=data).status_code == 302
    margin = db.session.scalars(select(PopulationMargin)).one()
    assert sorted(t.value for t in margin.targets if t.value) == [20.1, 30.0, 50.2]


def test_an_empty_population_category_is_explained_on_the_page(app: Flask) -> None:
    survey = weighting_survey()
    client = logged_in(app, Role.STAFF)
    data = _form(**{"value-weg": "800"})
    del data["exclude-weg"]
    client.post(_url(survey) + "/familien/bezirk", data=data)
    page = _text(client.get(_url(survey)).get_data(as_text=True))
    # two respondents live elsewhere: fewer than the minimum group of 5
    assert "lassen sich so nicht gewichten" in page
    assert "weniger als 5 Antworten" in page and "„weg“ (bezirk)" in page


def test_changed_figures_and_new_responses_are_weighted_afresh(app: Flask) -> None:
    survey = weighting_survey()
    client = logged_in(app, Role.STAFF)
    client.post(_url(survey) + "/familien/bezirk", data=_form())
    assert "(Kish) 1,77" in _text(client.get(_url(survey)).get_data(as_text=True))
    # the sample's own distribution (30 / 20 / 10) as margin: every weight is 1
    client.post(
        _url(survey) + "/familien/bezirk",
        data=_form(**{"value-nord": "300", "value-sued": "200", "value-ost": "100"}),
    )
    assert "(Kish) 1,00" in _text(client.get(_url(survey)).get_data(as_text=True))
    families = db.session.scalars(select(TargetGroup).where(TargetGroup.key == "familien")).one()
    for _ in range(30):  # thirty more from Ost: now 30 / 20 / 40 against 3 : 2 : 1
        store_response(db.session, survey, families, {"bezirk": "ost"}, today=TODAY)
    db.session.commit()
    page = _text(client.get(_url(survey)).get_data(as_text=True))
    assert "Befragte (ungewichtet) 96" in page and "(Kish) 1,00" not in page


def test_a_margin_can_be_deleted(app: Flask) -> None:
    survey = weighting_survey()
    client = logged_in(app, Role.STAFF)
    client.post(_url(survey) + "/familien/bezirk", data=_form())
    response = client.post(_url(survey) + "/familien/bezirk/loeschen")
    assert response.status_code == 302
    assert db.session.scalars(select(PopulationMargin)).first() is None


def test_only_single_choice_questions_of_the_group_can_carry_margins(app: Flask) -> None:
    survey = weighting_survey()
    client = logged_in(app, Role.STAFF)
    assert client.get(_url(survey) + "/familien/nutzung").status_code == 404
    assert client.get(_url(survey) + "/senioren/bezirk").status_code == 404
    chosen = client.get(_url(survey) + "/neu?gruppe=familien&frage=bezirk")
    assert chosen.status_code == 302 and chosen.headers["Location"].endswith("/familien/bezirk")


def test_margin_form_needs_a_csrf_token(app_with: Any) -> None:
    app = app_with(WTF_CSRF_ENABLED=True)
    with app.app_context():
        survey = weighting_survey()
        client = app.test_client()
        session_login(client, make_user(Role.STAFF))
        url = _url(survey) + "/familien/bezirk"
        for token in (None, "forged.token.value"):
            data = _form() if token is None else {**_form(), "csrf_token": token}
            assert client.post(url, data=data).status_code == 400
            assert client.post(url + "/loeschen", data=data).status_code == 400
        assert db.session.scalars(select(PopulationMargin)).first() is None
        form = client.get(url).get_data(as_text=True)
        accepted = client.post(url, data={**_form(), "csrf_token": csrf_token(form)})
        assert accepted.status_code == 302
        assert db.session.scalars(select(PopulationMargin)).first() is not None
