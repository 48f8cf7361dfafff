"""The designer through HTTP: create, validate at the field, build, open, lock, copy, delete."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from surveys.models import AuditEvent, Question, Role, Survey, SurveyStatus
from surveys.queries import target_group_by_key
from surveys.responses import store_response
from tests.app.staff_helpers import logged_in

NEW_SURVEY = {
    "title": "Bilanz 2026",
    "slug": "bilanz-2026",
    "intro": "Willkommen",
    "target_groups": ["familien", "senioren"],
    "access_mode": "public",
}


def create_survey(client: FlaskClient, **overrides: object) -> int:
    """Create a survey through the form and return its id."""
    response = client.post("/verwaltung/umfragen/neu", data={**NEW_SURVEY, **overrides})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def add_section(client: FlaskClient, survey_id: int, title: str = "Bildung") -> int:
    """Add a section and return its id."""
    response = client.post(
        f"/verwaltung/umfragen/{survey_id}/abschnitte/neu",
        data={"title": title, "handlungsfeld": "bildung"},
    )
    assert response.status_code == 302
    return int(response.headers["Location"].split("#section-")[1])


def add_question(client: FlaskClient, survey_id: int, section_id: int, **data: object) -> None:
    """Post the new-question form."""
    form = {"target_groups": ["familien", "senioren"], "condition_op": "equals", **data}
    response = client.post(
        f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu", data=form
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def test_survey_form_shows_errors_at_the_field_and_keeps_input(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    create_survey(client)
    response = client.post(
        "/verwaltung/umfragen/neu",
        data={
            **NEW_SURVEY,
            "title": "Zweite Umfrage",
            "opens_on": "2026-06-01",
            "closes_on": "2026-05-01",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Diese Kurzadresse ist schon vergeben." in page
    assert "Das Enddatum darf nicht vor dem Startdatum liegen." in page
    assert 'href="#f-slug"' in page and 'id="f-slug-error"' in page
    assert 'value="Zweite Umfrage"' in page  # nothing typed is lost
    assert 'aria-invalid="true"' in page


def test_question_validation_messages_are_shown_at_the_field(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu"
    cases = [
        (
            {"type": "single", "key": "a", "text": "A?", "options": ""},
            "mindestens 2 Antwortmöglichkeiten",
        ),
        ({"type": "likert", "key": "b", "text": "B?", "scale": "nur eine"}, "mindestens 2 Stufen"),
        ({"type": "text", "key": "Böser Schlüssel", "text": "C?"}, "Kleinbuchstaben"),
        (
            {
                "type": "text",
                "key": "d",
                "text": "D?",
                "condition_question": "d",
                "condition_value": "x",
            },
            "nicht von sich selbst",
        ),
        (
            {"type": "number", "key": "e", "text": "E?", "min": "zehn"},
            "Bitte geben Sie eine Zahl ein.",
        ),
    ]
    for data, message in cases:
        response = client.post(
            url, data={"target_groups": ["familien"], "condition_op": "equals", **data}
        )
        assert response.status_code == 422, data
        page = response.get_data(as_text=True)
        assert message in page, (data, message)
        assert f'value="{data["key"]}"' in page  # input kept
    add_question(client, survey_id, section_id, type="text", key="frei", text="Frei?")
    response = client.post(
        url, data={"type": "text", "key": "frei", "text": "Nochmal", "target_groups": ["familien"]}
    )
    assert "Diesen Schlüssel hat schon eine andere Frage." in response.get_data(as_text=True)


def build_open_survey(client: FlaskClient) -> int:
    """A survey with a yes/no trigger, a conditional text and a matrix, opened."""
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    add_question(
        client,
        survey_id,
        section_id,
        type="yesno",
        key="kita",
        text="Nutzen Sie eine Kita?",
        required="1",
    )
    add_question(
        client,
        survey_id,
        section_id,
        type="matrix",
        key="zufriedenheit",
        text="Wie zufrieden sind Sie?",
        scale="gar nicht\nwenig\nziemlich\nsehr",
        items="plaetze: Kita-Plätze\nzeiten: =Öffnungszeiten",
        dont_know="1",
        condition_question="kita",
        condition_value="ja",
    )
    add_question(
        client, survey_id, section_id, type="text", key="wunsch", text="Ihr Wunsch?", multiline="1"
    )
    response = client.post(f"/verwaltung/umfragen/{survey_id}/oeffnen")
    assert response.status_code == 302
    return survey_id


def test_build_a_survey_with_a_condition_and_open_it(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    survey = db.session.get(Survey, survey_id)
    assert survey is not None and survey.status == SurveyStatus.OPEN
    matrix = next(q for q in survey.questions() if q.key == "zufriedenheit")
    assert matrix.condition == {
        "match": "all",
        "rules": [{"question": "kita", "op": "equals", "value": "ja"}],
    }
    assert [i.key for i in matrix.items] == ["plaetze", "zeiten"]
    page = client.get(f"/verwaltung/umfragen/{survey_id}").get_data(as_text=True)
    assert "Geöffnet" in page and "nur wenn" in page
    actions = {e.action for e in db.session.query(AuditEvent)}
    assert {"survey.create", "survey.change", "survey.open"} <= actions


def test_invalid_survey_cannot_be_opened_and_says_why(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    response = client.post(f"/verwaltung/umfragen/{survey_id}/oeffnen")
    assert response.status_code == 422
    assert "Die Umfrage hat noch keine Fragen." in response.get_data(as_text=True)


def test_reorder_buttons_move_questions_and_sections(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    first = add_section(client, survey_id, "Eins")
    add_section(client, survey_id, "Zwei")
    add_question(client, survey_id, first, type="text", key="a", text="A")
    add_question(client, survey_id, first, type="text", key="b", text="B")
    b = db.session.query(Question).filter_by(key="b").one()
    assert client.post(f"/verwaltung/umfragen/{survey_id}/fragen/{b.id}/hoch").status_code == 302
    assert (
        client.post(f"/verwaltung/umfragen/{survey_id}/abschnitte/{first}/runter").status_code
        == 302
    )
    db.session.expire_all()
    survey = db.session.get(Survey, survey_id)
    assert survey is not None
    assert [s.title for s in survey.sections] == ["Zwei", "Eins"]
    assert [q.key for q in survey.sections[1].questions] == ["b", "a"]


def _respond(survey_id: int) -> None:
    survey = db.session.get(Survey, survey_id)
    group = target_group_by_key(db.session, "familien")
    assert survey is not None and group is not None
    store_response(
        db.session, survey, group, {"kita": True, "wunsch": "=HYPERLINK()"}, today=date(2026, 5, 4)
    )
    db.session.commit()


def test_structure_locks_after_first_response_but_wording_fixes_are_logged(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    _respond(survey_id)
    wunsch = db.session.query(Question).filter_by(key="wunsch").one()
    url = f"/verwaltung/umfragen/{survey_id}/fragen/{wunsch.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Als neue Version kopieren" in page
    base = {
        "type": "text",
        "key": "wunsch",
        "target_groups": ["familien", "senioren"],
        "multiline": "1",
        "condition_op": "equals",
    }
    refused = client.post(url, data={**base, "text": "Ihr Wunsch?", "type": "number"})
    assert refused.status_code == 409
    assert "Als neue Version kopieren" in refused.get_data(as_text=True)
    fixed = client.post(url, data={**base, "text": "Ihr größter Wunsch?"})
    assert fixed.status_code == 302
    assert db.session.query(AuditEvent).filter_by(action="survey.wording").count() == 1
    section = wunsch.section_id
    new = client.post(
        f"/verwaltung/umfragen/{survey_id}/abschnitte/{section}/fragen/neu",
        data={**base, "key": "neu", "text": "Neu?"},
    )
    assert new.status_code == 409
    delete = client.post(f"/verwaltung/umfragen/{survey_id}/fragen/{wunsch.id}/loeschen")
    assert delete.status_code == 302
    assert db.session.query(Question).filter_by(key="wunsch").count() == 1
    assert client.post(f"/verwaltung/umfragen/{survey_id}/loeschen").status_code == 302
    assert db.session.get(Survey, survey_id) is not None


def test_copy_as_new_version_keeps_keys(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    _respond(survey_id)
    form = client.get(f"/verwaltung/umfragen/{survey_id}/kopieren?version=1").get_data(as_text=True)
    assert "bilanz-2026-v2" in form
    response = client.post(
        f"/verwaltung/umfragen/{survey_id}/kopieren",
        data={"title": "Bilanz 2026", "slug": "bilanz-2026-v2", "version": "1"},
    )
    assert response.status_code == 302
    copy = db.session.query(Survey).filter_by(slug="bilanz-2026-v2").one()
    assert copy.version == 2 and copy.status == SurveyStatus.DRAFT
    assert [q.key for q in copy.questions()] == ["kita", "zufriedenheit", "wunsch"]


def test_duplicate_sets_baseline(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    response = client.post(
        f"/verwaltung/umfragen/{survey_id}/kopieren",
        data={"title": "Bilanz 2029", "slug": "bilanz-2029", "as_baseline": "1", "version": "0"},
    )
    assert response.status_code == 302
    copy = db.session.query(Survey).filter_by(slug="bilanz-2029").one()
    assert copy.baseline_id == survey_id


def test_delete_survey_without_responses_after_confirmation(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    confirm = client.get(f"/verwaltung/umfragen/{survey_id}/loeschen").get_data(as_text=True)
    assert "wirklich löschen" in confirm
    assert client.post(f"/verwaltung/umfragen/{survey_id}/loeschen").status_code == 302
    assert db.session.get(Survey, survey_id) is None
    assert db.session.query(AuditEvent).filter_by(action="survey.delete").count() == 1


def test_survey_list_shows_status_and_counts(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    _respond(survey_id)
    page = client.get("/verwaltung/").get_data(as_text=True)
    assert "Bilanz 2026" in page and "Geöffnet" in page
    assert '<td class="num">1</td>' in page


class _ShownFields(HTMLParser):
    """Collects the names of form fields outside any element with the ``hidden`` attribute."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open element: is it (or an ancestor) hidden
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        hidden = (self.stack[-1] if self.stack else False) or "hidden" in found
        if tag in ("input", "select", "textarea") and not hidden and found.get("name"):
            self.names.add(str(found["name"]))
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()


def shown_fields(page: str) -> set[str]:
    """Names of the fields a page shows (those in hidden type blocks left out: JavaScript
    shows them when the type changes, without it "Art übernehmen" does)."""
    parser = _ShownFields()
    parser.feed(page)
    return parser.names


def test_switching_the_type_shows_its_fields_without_saving(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu"
    page = client.get(url, query_string={"type": "text"}).get_data(as_text=True)
    assert "scale" not in shown_fields(page) and "max_length" in shown_fields(page)
    switched = client.post(
        url, data={"type": "matrix", "key": "m", "text": "Behalten", "aktion": "art"}
    )
    assert switched.status_code == 200
    body = switched.get_data(as_text=True)
    assert {"scale", "items"} <= shown_fields(body) and "max_length" not in shown_fields(body)
    assert "Behalten" in body  # what was typed stays
    assert db.session.query(Question).count() == 0


def test_scale_questions_and_items_can_be_marked_negatively_worded(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    add_question(
        client,
        survey_id,
        section_id,
        type="likert",
        key="allein",
        text="Ich fühle mich oft allein.",
        scale="stimme nicht zu\neher nicht\neher\nstimme zu",
        reversed="1",
    )
    add_question(
        client,
        survey_id,
        section_id,
        type="matrix",
        key="lage",
        text="Wie erleben Sie Ihre Nachbarschaft?",
        scale="gar nicht\nwenig\nziemlich\nsehr",
        items="hilfe: Ich bekomme Hilfe.\nangst: Ich habe nachts Angst.",
        reversed_items=["angst"],
    )
    alone = db.session.query(Question).filter_by(key="allein").one()
    lage = db.session.query(Question).filter_by(key="lage").one()
    assert alone.reversed and not lage.reversed
    assert [(i.key, i.reversed) for i in lage.items] == [("hilfe", False), ("angst", True)]
    page = client.get(f"/verwaltung/umfragen/{survey_id}/fragen/{lage.id}").get_data(as_text=True)
    assert "Negativ formuliert (umgepolt)" in page
    assert 'name="reversed_items" value="angst" checked' in page
    assert 'name="reversed_items" value="hilfe">' in page


def test_polarity_can_change_after_responses_came_in(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    _respond(survey_id)
    matrix = db.session.query(Question).filter_by(key="zufriedenheit").one()
    form = {
        "type": "matrix",
        "key": "zufriedenheit",
        "text": "Wie zufrieden sind Sie?",
        "scale": "gar nicht\nwenig\nziemlich\nsehr",
        "items": "plaetze: Kita-Plätze\nzeiten: =Öffnungszeiten",
        "dont_know": "1",
        "condition_question": "kita",
        "condition_value": "ja",
        "target_groups": ["familien", "senioren"],
        "condition_op": "equals",
        "reversed_items": ["zeiten"],
    }
    url = f"/verwaltung/umfragen/{survey_id}/fragen/{matrix.id}"
    assert client.post(url, data=form).status_code == 302
    db.session.expire_all()
    matrix = db.session.query(Question).filter_by(key="zufriedenheit").one()
    assert [(i.key, i.reversed) for i in matrix.items] == [("plaetze", False), ("zeiten", True)]


def _single(key: str, **extra: object) -> dict[str, object]:
    return {
        "type": "single",
        "key": key,
        "text": f"Frage {key}?",
        "options": "a: Antwort A\nb: Antwort B",
        "target_groups": ["familien", "senioren"],
        "condition_op": "equals",
        **extra,
    }


def test_single_choice_questions_can_be_marked_as_breakdowns(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu"
    new_page = client.get(url).get_data(as_text=True)
    assert "Als Auswertungsmerkmal verwenden" in new_page  # single choice is the default type
    multi = client.get(url, query_string={"type": "multi"}).get_data(as_text=True)
    assert "breakdown" not in shown_fields(multi)
    for key in ("stadtteil", "alter", "kinder"):
        add_question(client, survey_id, section_id, **_single(key, breakdown="1"))
    stadtteil = db.session.query(Question).filter_by(key="stadtteil").one()
    assert stadtteil.breakdown
    page = client.get(f"/verwaltung/umfragen/{survey_id}/fragen/{stadtteil.id}")
    assert 'name="breakdown" value="1" checked' in page.get_data(as_text=True)

    fourth = client.post(url, data=_single("vierte", breakdown="1", text="Behalten?"))
    assert fourth.status_code == 422
    body = fourth.get_data(as_text=True)
    assert "höchstens 3 Auswertungsmerkmale" in body
    assert "stadtteil, alter, kinder" in body
    assert 'id="f-breakdown-error"' in body  # at the field, and read with the checkbox
    assert 'aria-describedby="f-breakdown-hint f-breakdown-error"' in body
    assert 'value="vierte"' in body and "Behalten?" in body  # input kept
    assert 'name="breakdown" value="1" checked' in body
    assert db.session.query(Question).filter_by(key="vierte").count() == 0

    multi = client.post(
        url,
        data={**_single("mehrfach", breakdown="1"), "type": "multi"},
    )
    assert multi.status_code == 422
    body = multi.get_data(as_text=True)
    assert "Nur Fragen mit Einfachauswahl können Auswertungsmerkmal sein." in body
    assert 'id="f-breakdown-error"' in body and 'value="mehrfach"' in body

    # Unmarking one makes room for another; editing a marked question keeps its own place.
    edit = f"/verwaltung/umfragen/{survey_id}/fragen/{stadtteil.id}"
    assert client.post(edit, data=_single("stadtteil", breakdown="1")).status_code == 302
    assert client.post(edit, data=_single("stadtteil")).status_code == 302
    add_question(client, survey_id, section_id, **_single("vierte", breakdown="1"))
    db.session.expire_all()
    marked = db.session.query(Question).filter_by(breakdown=True).order_by(Question.key)
    assert [q.key for q in marked] == ["alter", "kinder", "vierte"]


def test_breakdowns_can_change_after_responses_came_in(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    add_question(client, survey_id, section_id, **_single("stadtteil"))
    assert client.post(f"/verwaltung/umfragen/{survey_id}/oeffnen").status_code == 302
    survey = db.session.get(Survey, survey_id)
    group = target_group_by_key(db.session, "familien")
    assert survey is not None and group is not None
    store_response(db.session, survey, group, {"stadtteil": "a"}, today=date(2026, 5, 4))
    db.session.commit()
    question = db.session.query(Question).filter_by(key="stadtteil").one()
    url = f"/verwaltung/umfragen/{survey_id}/fragen/{question.id}"
    assert client.post(url, data=_single("stadtteil", breakdown="1")).status_code == 302
    db.session.expire_all()
    assert db.session.query(Question).filter_by(key="stadtteil").one().breakdown


def test_a_new_question_without_key_gets_one_from_its_text(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu"
    assert "Leer lassen: Er wird beim Speichern aus dem Fragetext gebildet." in client.get(
        url
    ).get_data(as_text=True)
    text = "In welchem Stadtteil wohnen Sie?"
    add_question(client, survey_id, section_id, **{**_single(""), "text": text})
    add_question(client, survey_id, section_id, **{**_single(""), "text": text})
    keys = sorted(q.key for q in db.session.query(Question).filter_by(survey_id=survey_id))
    assert keys == ["stadtteil_wohnen", "stadtteil_wohnen_2"]  # unique within the survey


def test_scale_presets_fill_the_steps_without_saving(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = create_survey(client)
    section_id = add_section(client, survey_id)
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu"
    form = {
        "type": "likert",
        "key": "spielplatz",
        "text": "Wie zufrieden sind Sie mit den Spielplätzen?",
        "scale": "",
        "scale_preset": "zufriedenheit",
        "dont_know": "1",
        "aktion": "vorlage",
        "target_groups": ["familien"],
        "condition_op": "equals",
    }
    page = client.post(url, data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and db.session.query(Question).count() == 0
    steps = ["sehr unzufrieden", "eher unzufrieden", "teils, teils", "eher zufrieden"]
    assert "\n".join([*steps, "sehr zufrieden"]) in html
    assert 'value="spielplatz"' in html and 'name="dont_know" value="1" checked' in html
    saved = client.post(
        url, data={**form, "aktion": "", "scale": "\n".join(["nie", "selten", "oft"])}
    )
    assert saved.status_code == 302
