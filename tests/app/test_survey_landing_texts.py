"""Landing texts belong to the survey: edited in the designer, translated, copied, exported;
a new survey says nothing of the Delmenhorst audit, the demo audit does."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from demo import CURRENT, seed_demo
from surveys.exchange.json_format import export_survey, import_survey
from surveys.models import Role, Survey, SurveyStatus
from surveys.queries import survey_by_slug
from surveys.translations import save_translations, source_texts
from tests.app.staff_helpers import logged_in

SPIELPLATZ = {
    "title": "Spielplatz-Check",
    "slug": "spielplatz-check",
    "target_groups": ["familien"],
    "access_mode": "public",
}
PURPOSE = "Wir wollen wissen, wie sicher und sauber die Spielplätze sind."
STEPS = "Der Fachdienst Grün wertet aus.\r\n\r\nIm Frühjahr werden die Geräte erneuert."


def test_staff_write_the_landing_texts_and_a_new_survey_has_none(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    form = client.get("/verwaltung/umfragen/neu").get_data(as_text=True)
    assert 'name="purpose"' in form and 'name="next_steps"' in form
    assert "Warum wir fragen" in form and "Was mit den Antworten passiert" in form
    created = client.post("/verwaltung/umfragen/neu", data=SPIELPLATZ)
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    survey = db.session.query(Survey).filter_by(slug="spielplatz-check").one()
    assert survey.purpose == "" and survey.next_steps == ""  # empty by default
    edit = client.post(
        f"/verwaltung/umfragen/{survey.id}/bearbeiten",
        data={**SPIELPLATZ, "purpose": PURPOSE, "next_steps": STEPS},
    )
    assert edit.status_code == 302, edit.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert survey.purpose == PURPOSE and survey.next_steps == STEPS
    again = client.get(f"/verwaltung/umfragen/{survey.id}/bearbeiten").get_data(as_text=True)
    assert PURPOSE in again
    # the texts are translatable like the intro
    paths = {t.path: t.german for t in source_texts(survey)}
    assert paths["purpose"] == PURPOSE and "next_steps" in paths
    overview = client.get(f"/verwaltung/umfragen/{survey.id}/uebersetzungen/en").get_data(
        as_text=True
    )
    assert 'name="t-purpose"' in overview and 'name="t-next_steps"' in overview


def test_the_landing_shows_the_translation_of_the_texts(app: Flask, client: Flask) -> None:
    staff = logged_in(app, Role.STAFF)
    staff.post("/verwaltung/umfragen/neu", data=SPIELPLATZ)
    survey = db.session.query(Survey).filter_by(slug="spielplatz-check").one()
    survey.purpose, survey.next_steps = PURPOSE, STEPS
    survey.status = SurveyStatus.OPEN
    save_translations(db.session, survey, "en", {"purpose": "We want to know how safe they are."})
    db.session.commit()
    citizen = app.test_client()
    german = citizen.get("/s/spielplatz-check").get_data(as_text=True)
    assert PURPOSE in german and "Der Fachdienst Grün wertet aus." in german
    assert "familiengerechte Kommune" not in german and "Handlungsfeldern" not in german
    english = citizen.get("/s/spielplatz-check?lang=en").get_data(as_text=True)
    assert "We want to know how safe they are." in english
    # the untranslated steps: German, marked as such
    assert '<ol class="steps" lang="de" dir="ltr">' in english


def test_copies_and_exports_keep_the_texts(app: Flask) -> None:
    staff = logged_in(app, Role.STAFF)
    staff.post("/verwaltung/umfragen/neu", data=SPIELPLATZ)
    survey = db.session.query(Survey).filter_by(slug="spielplatz-check").one()
    survey.purpose, survey.next_steps = PURPOSE, STEPS
    db.session.commit()
    document = export_survey(survey)
    assert document["survey"]["purpose"] == PURPOSE
    imported = import_survey(db.session, document, actor=None, slug="spielplatz-kopie")
    assert imported.purpose == PURPOSE and imported.next_steps == STEPS
    copied = staff.post(
        f"/verwaltung/umfragen/{survey.id}/kopieren",
        data={"title": "Spielplatz-Check 2", "slug": "spielplatz-check-2"},
    )
    assert copied.status_code == 302, copied.get_data(as_text=True)[:2000]
    copy = db.session.query(Survey).filter_by(slug="spielplatz-check-2").one()
    assert copy.purpose == PURPOSE and copy.next_steps == STEPS


def test_the_demo_audit_has_the_audit_text_in_every_language(app: Flask) -> None:
    seed_demo(db.session, responses=0)
    db.session.commit()
    survey = survey_by_slug(db.session, CURRENT.slug)
    assert survey is not None
    assert survey.purpose.startswith("Die Stadt Delmenhorst ist als familiengerechte Kommune")
    citizen = app.test_client()
    html = citizen.get(f"/s/{CURRENT.slug}").get_data(as_text=True)
    assert "Die Stadt Delmenhorst ist als familiengerechte Kommune zertifiziert." in html
    assert "getrennt nach den sechs Handlungsfeldern" in html
    arabic = citizen.get(f"/s/{CURRENT.slug}?lang=ar").get_data(as_text=True)
    assert "مدينة دلمنهورست حاصلة على شهادة" in arabic
    assert "getrennt nach den sechs Handlungsfeldern" not in arabic
