"""Inline editing on the designer's survey page (designer-inline.js): a question's form opens
as a card below its row, errors come back in it with what was typed, a save swaps the fresh
rows in and puts focus on the saved question, cancel returns focus, unsaved changes are never
dropped without asking, a new question and a scale preset work inline, the arrows move
without a reload; at 1280 px and 360 px nothing is cut off; a locked survey keeps its
restrictions. Axe on every state; ``FK_SCREENSHOTS=/dir`` keeps screenshots."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from app.extensions import db
from surveys.lifecycle import open_survey
from surveys.models import Question, Survey
from surveys.queries import target_group_by_key
from surveys.responses import store_response
from tests.browser.screens import no_horizontal_scroll, shot
from tests.browser.test_staff_designer_conditions import _actions_fit, _arrange, _login

pytestmark = pytest.mark.browser

STATUS = "#designer-status"


def check(page: Any, axe: Any, name: str) -> None:
    shot(page, name)
    axe(page, name)


def _keys(survey_id: int) -> list[str]:
    db.session.expire_all()
    survey = db.session.get(Survey, survey_id)
    assert survey is not None
    return [q.key for q in survey.questions()]


def _mark(page: Any) -> None:
    """Mark the loaded document: the mark is gone after any reload or navigation."""
    page.evaluate("document.body.dataset.inlineTest = 'same-page'")


def _same_page(page: Any) -> bool:
    return bool(page.evaluate("document.body.dataset.inlineTest === 'same-page'"))


def _inside(page: Any, selector: str) -> None:
    """The element lies within the viewport's width."""
    box = page.locator(selector).bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box


def test_edit_inline_errors_save_cancel_and_unsaved_changes(
    page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    survey_id = _arrange()
    detail = f"{live_server}/verwaltung/umfragen/{survey_id}"
    _login(page, live_server)
    page.goto(detail)
    _mark(page)
    _actions_fit(page)
    check(page, axe, "designer-1280")

    edit = page.get_by_role("link", name="Bearbeiten wunsch")
    expect(edit).to_have_attribute("aria-expanded", "false")
    edit.click()
    editor = page.get_by_role("region", name="Frage bearbeiten: wunsch")
    expect(editor).to_be_visible()
    expect(page.locator("#designer-editor-title")).to_be_focused()
    expect(edit).to_have_attribute("aria-expanded", "true")
    assert page.url == detail and _same_page(page)
    _inside(page, ".designer-editor")
    _actions_fit(page)
    # designer.js works in the card: the type's settings at once, the condition builder
    expect(editor.get_by_role("button", name="Art übernehmen")).to_be_hidden()
    scale = editor.get_by_label("Stufen der Skala (von niedrig nach hoch)")
    expect(scale).to_be_hidden()
    editor.get_by_label("Art der Frage").select_option("likert")
    expect(scale).to_be_visible()
    editor.get_by_label("Art der Frage").select_option("text")
    expect(scale).to_be_hidden()
    editor.locator("#f-condition_1_question").select_option("kinder")
    expect(editor.locator("#f-condition_1_number")).to_be_visible()
    expect(editor.locator("#f-condition_1_op option[value=contains]")).to_have_count(0)
    editor.locator("#f-condition_1_question").select_option("")
    check(page, axe, "editor-open")

    # an error: the card again with the summary and everything typed
    editor.get_by_label("Fragetext").fill("")
    editor.get_by_label("Hilfetext").fill("Bitte <nennen> Sie alles")
    editor.get_by_role("button", name="Speichern").click()
    summary = editor.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    expect(editor.locator("#f-text-error")).to_be_visible()
    expect(editor.get_by_label("Hilfetext")).to_have_value("Bitte <nennen> Sie alles")
    assert _same_page(page)
    summary.get_by_role("link").first.click()  # the summary leads to the field
    expect(editor.get_by_label("Fragetext")).to_be_focused()
    check(page, axe, "editor-errors")

    # no connection: the card says so and keeps what was typed
    def offline(route: Any) -> None:
        if route.request.method == "POST":
            route.abort()
        else:
            route.continue_()

    page.route("**/fragen/**", offline)
    editor.get_by_label("Fragetext").fill("Was wünschen Sie sich für Ihre Kinder?")
    editor.get_by_role("button", name="Speichern").click()
    expect(editor.locator("[data-editor-message]")).to_contain_text("Das hat nicht geklappt")
    expect(editor.get_by_label("Fragetext")).to_have_value("Was wünschen Sie sich für Ihre Kinder?")
    page.unroute("**/fragen/**")

    # saved: the fresh row, focus on it, the outcome announced
    editor.get_by_role("button", name="Speichern").click()
    expect(editor).to_have_count(0)
    expect(page.locator(STATUS)).to_have_text("Die Frage „wunsch“ wurde gespeichert.")
    expect(page.get_by_role("link", name="Bearbeiten wunsch")).to_be_focused()
    row = page.locator("tr", has=page.get_by_role("link", name="Bearbeiten wunsch"))
    expect(row).to_contain_text("Was wünschen Sie sich für Ihre Kinder?")
    expect(page.locator(".designer-notice")).to_have_text("Die Frage „wunsch“ wurde gespeichert.")
    assert _same_page(page)
    db.session.expire_all()
    stored = db.session.query(Question).filter_by(key="wunsch").one()
    assert stored.text == "Was wünschen Sie sich für Ihre Kinder?"
    assert stored.help_text == "Bitte <nennen> Sie alles"
    check(page, axe, "after-save")

    # cancel: the card goes, focus returns to its link
    kinder = page.get_by_role("link", name="Bearbeiten kinder")
    kinder.click()
    expect(page.get_by_role("region", name="Frage bearbeiten: kinder")).to_be_visible()
    page.get_by_role("region", name="Frage bearbeiten: kinder").get_by_role(
        "link", name="Abbrechen"
    ).click()
    expect(page.locator(".designer-editor")).to_have_count(0)
    expect(kinder).to_be_focused()
    expect(kinder).to_have_attribute("aria-expanded", "false")

    # one editor at a time: unsaved changes are kept unless the user lets them go
    kinder.click()
    first = page.get_by_role("region", name="Frage bearbeiten: kinder")
    first.get_by_label("Fragetext").fill("Wie viele Kinder unter 18 leben bei Ihnen?")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("link", name="Bearbeiten stadtteil").click()
    expect(first.get_by_label("Fragetext")).to_have_value(
        "Wie viele Kinder unter 18 leben bei Ihnen?"
    )
    assert asked and "noch nicht gespeichert" in asked[0]
    expect(page.locator(".designer-editor")).to_have_count(1)
    expect(page.locator("#designer-editor-title")).to_be_focused()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Bearbeiten stadtteil").click()
    expect(page.get_by_role("region", name="Frage bearbeiten: stadtteil")).to_be_visible()
    expect(page.locator(".designer-editor")).to_have_count(1)
    db.session.expire_all()
    assert db.session.query(Question).filter_by(key="kinder").one().text.startswith("Wie viele")
    assert "unter 18" not in db.session.query(Question).filter_by(key="kinder").one().text
    # an unchanged editor closes without asking when another opens
    page.get_by_role("link", name="Bearbeiten kinder").click()
    expect(page.get_by_role("region", name="Frage bearbeiten: kinder")).to_be_visible()
    expect(page.locator(".designer-editor")).to_have_count(1)
    page.get_by_role("region", name="Frage bearbeiten: kinder").get_by_role(
        "link", name="Abbrechen"
    ).click()
    assert _same_page(page)


def test_add_inline_with_a_scale_preset_and_move_without_reload(
    page: Any, mobile_page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    survey_id = _arrange()
    detail = f"{live_server}/verwaltung/umfragen/{survey_id}"
    _login(page, live_server)
    page.goto(detail)
    _mark(page)

    # a new question at the end of its section, in place of the form that asks for it
    add = page.get_by_role("button", name="Frage hinzufügen")
    add.click()
    editor = page.get_by_role("region", name="Neue Frage in „Betreuung“")
    expect(editor).to_be_visible()
    expect(add).to_be_hidden()
    editor.get_by_role("link", name="Abbrechen").click()
    expect(editor).to_have_count(0)
    expect(add).to_be_focused()
    # now with a ready-made scale
    page.get_by_label("Neue Frage dieser Art").select_option("likert")
    add.click()
    expect(editor).to_be_visible()
    expect(page.locator("#designer-editor-title")).to_be_focused()
    expect(editor.get_by_label("Art der Frage")).to_have_value("likert")
    editor.get_by_label("Fragetext").fill("Wie zufrieden sind Sie mit der Ferienbetreuung?")
    editor.get_by_label("Vorlage für die Stufen").select_option("zufriedenheit")
    editor.get_by_role("button", name="Vorlage übernehmen").click()
    scale = editor.get_by_label("Stufen der Skala (von niedrig nach hoch)")
    expect(scale).to_have_value(
        "sehr unzufrieden\neher unzufrieden\nteils, teils\neher zufrieden\nsehr zufrieden"
    )
    expect(editor.get_by_label("Fragetext")).to_have_value(
        "Wie zufrieden sind Sie mit der Ferienbetreuung?"
    )
    expect(editor.get_by_role("button", name="Vorlage übernehmen")).to_be_focused()
    # a second rule row for the condition, inline too
    rules = editor.locator("[data-rule]")
    count = rules.count()
    editor.get_by_role("button", name="Weitere Bedingung hinzufügen").click()
    expect(editor.locator("[data-rule]")).to_have_count(count + 1)
    expect(editor.locator(f"#f-condition_{count + 1}_question")).to_be_focused()
    check(page, axe, "new-question-preset")
    editor.get_by_role("button", name="Speichern").click()  # the key from the text
    expect(editor).to_have_count(0)
    db.session.expire_all()
    created = (
        db.session.query(Question)
        .filter_by(text="Wie zufrieden sind Sie mit der Ferienbetreuung?")
        .one()
    )
    assert created.type.value == "likert" and created.settings["scale"][0] == "sehr unzufrieden"
    new_link = page.get_by_role("link", name=f"Bearbeiten {created.key}")
    expect(new_link).to_be_focused()
    expect(page.locator(STATUS)).to_have_text(f"Die Frage „{created.key}“ wurde gespeichert.")
    assert _keys(survey_id)[-1] == created.key and _same_page(page)

    # the arrows move without a reload; focus stays on the moved question's arrow
    page.get_by_role("button", name="Nach unten: wunsch").click()
    expect(page.locator(STATUS)).to_contain_text("„wunsch“ steht jetzt eine Stelle weiter unten")
    expect(page.get_by_role("button", name="Nach unten: wunsch")).to_be_focused()
    assert _keys(survey_id)[:4] == ["kinder", "stadtteil", "betreuung", "wunsch"]
    page.keyboard.press("Enter")  # keyboard: once more
    expect(page.locator(STATUS)).to_contain_text("weiter unten")
    expect(page.get_by_role("button", name="Nach oben: wunsch")).to_be_focused()  # it is last
    assert _keys(survey_id)[-1] == "wunsch" and _same_page(page)
    _actions_fit(page)
    check(page, axe, "after-move")

    # a phone: the open editor fits the screen, nothing scrolls sideways
    mobile_page.context.add_cookies(page.context.cookies())
    mobile_page.goto(detail)
    assert no_horizontal_scroll(mobile_page)
    mobile_page.get_by_role("link", name="Bearbeiten stadtteil").click()
    expect(mobile_page.get_by_role("region", name="Frage bearbeiten: stadtteil")).to_be_visible()
    assert no_horizontal_scroll(mobile_page)
    _inside(mobile_page, ".designer-editor")
    _inside(mobile_page, ".designer-editor textarea[name=options]")
    check(mobile_page, axe, "editor-360")
    mobile_page.get_by_role("region", name="Frage bearbeiten: stadtteil").get_by_label(
        "Fragetext"
    ).fill("")
    mobile_page.get_by_role("button", name="Speichern").click()
    expect(mobile_page.locator(".designer-editor .error-summary")).to_be_focused()
    assert no_horizontal_scroll(mobile_page)
    check(mobile_page, axe, "editor-errors-360")


def test_a_locked_survey_keeps_its_restrictions_inline(
    page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    survey_id = _arrange()
    survey = db.session.get(Survey, survey_id)
    group = target_group_by_key(db.session, "familien")
    assert survey is not None and group is not None
    open_survey(db.session, survey, None)
    store_response(db.session, survey, group, {"kinder": 2}, today=date(2026, 5, 4))
    db.session.commit()
    _login(page, live_server)
    page.goto(f"{live_server}/verwaltung/umfragen/{survey_id}")
    _mark(page)
    expect(page.get_by_role("button", name="Nach unten: kinder")).to_have_count(0)
    expect(page.get_by_role("button", name="Frage hinzufügen")).to_have_count(0)
    page.get_by_role("link", name="Bearbeiten wunsch").click()
    editor = page.get_by_role("region", name="Frage bearbeiten: wunsch")
    expect(editor).to_contain_text("Die Umfrage hat bereits Antworten.")
    check(page, axe, "locked-editor")
    editor.get_by_label("Art der Frage").select_option("number")
    editor.get_by_role("button", name="Speichern").click()
    refusal = editor.locator(".error-summary")
    expect(refusal).to_be_focused()
    expect(refusal).to_contain_text("Änderung nicht möglich")
    expect(editor.get_by_label("Art der Frage")).to_have_value("number")  # as chosen
    check(page, axe, "locked-refused")
    editor.get_by_label("Art der Frage").select_option("text")
    editor.get_by_label("Fragetext").fill("Was wünschen Sie sich am meisten?")
    editor.get_by_role("button", name="Speichern").click()
    expect(page.locator(STATUS)).to_have_text("Die Frage „wunsch“ wurde gespeichert.")
    expect(page.get_by_role("link", name="Bearbeiten wunsch")).to_be_focused()
    assert _same_page(page)
    db.session.expire_all()
    assert db.session.query(Question).filter_by(key="wunsch").one().type.value == "text"
