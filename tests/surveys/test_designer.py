"""Designer rules: every validation, lifecycle, lock after the first response, duplication."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from surveys.designer import delete_section, move_section, save_section, update_survey
from surveys.designer_form import question_form_values
from surveys.designer_questions import delete_question, move_question, save_question
from surveys.errors import Conflict, ValidationError
from surveys.lifecycle import close_survey, duplicate_survey, open_survey
from surveys.models import AuditEvent, SurveyStatus
from surveys.queries import target_group_by_key
from surveys.responses import store_response
from tests.surveys.designer_helpers import (
    add_question,
    make_section,
    make_survey,
    question_values,
)


def fields(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    """Return the fields named by a validation error."""
    return {e.field for e in exc.value.errors}


def test_choice_without_options_is_refused(session: Session) -> None:
    section = make_section(session, make_survey(session))
    with pytest.raises(ValidationError) as exc:
        add_question(session, section, "q1", "single", options="")
    assert "options" in fields(exc)


def test_scale_with_one_point_is_refused(session: Session) -> None:
    section = make_section(session, make_survey(session))
    with pytest.raises(ValidationError) as exc:
        add_question(session, section, "q1", "likert", scale="nur eine Stufe")
    assert "scale" in fields(exc)


def test_duplicate_question_key_is_refused(session: Session) -> None:
    section = make_section(session, make_survey(session))
    add_question(session, section, "q1")
    with pytest.raises(ValidationError) as exc:
        add_question(session, section, "q1", "text")
    assert "key" in fields(exc)


def test_duplicate_option_codes_and_item_keys_are_refused(session: Session) -> None:
    section = make_section(session, make_survey(session))
    with pytest.raises(ValidationError) as exc:
        add_question(session, section, "q1", options="a: Eins\na: Zwei")
    assert "options" in fields(exc)
    with pytest.raises(ValidationError) as exc:
        add_question(session, section, "q2", "matrix", items="x: Eins\nx: Zwei")
    assert "items" in fields(exc)


def test_condition_on_itself_or_a_later_question_is_refused(session: Session) -> None:
    section = make_section(session, make_survey(session))
    with pytest.raises(ValidationError) as exc:
        add_question(session, section, "q1", condition_question="q1", condition_value="ja")
    assert "condition_1_question" in fields(exc)
    first = add_question(session, section, "q1")
    second = add_question(session, section, "q2", condition_question="q1", condition_value="ja")
    # q1 may not depend on q2, which comes later
    values = question_values("q1", condition_question="q2", condition_value="ja")
    with pytest.raises(ValidationError) as exc:
        save_question(session, section, first, values, None)
    assert "condition_1_question" in fields(exc)
    # moving the dependent question above its trigger is refused too
    with pytest.raises(ValidationError):
        move_question(session, second, -1)


def test_condition_value_must_be_an_option(session: Session) -> None:
    section = make_section(session, make_survey(session))
    add_question(session, section, "q1")
    with pytest.raises(ValidationError) as exc:
        add_question(session, section, "q2", condition_question="q1", condition_value="vielleicht")
    assert "condition_1_value" in fields(exc)


def test_slug_taken_and_dates_in_wrong_order(session: Session) -> None:
    make_survey(session, slug="eins")
    with pytest.raises(ValidationError) as exc:
        make_survey(session, slug="eins")
    assert "slug" in fields(exc)
    with pytest.raises(ValidationError) as exc:
        make_survey(session, slug="zwei", opens_on="2026-05-01", closes_on="2026-04-01")
    assert "closes_on" in fields(exc)
    with pytest.raises(ValidationError) as exc:
        make_survey(session, slug="drei", opens_on="31.02.2026")
    assert "opens_on" in fields(exc)


def test_empty_title_and_bad_slug_and_no_groups(session: Session) -> None:
    with pytest.raises(ValidationError) as exc:
        make_survey(session, slug="Ungültig!", title=" ", target_groups=[])
    assert {"slug", "title", "target_groups"} <= fields(exc)


def test_invalid_survey_cannot_be_opened(session: Session) -> None:
    survey = make_survey(session)
    with pytest.raises(ValidationError) as exc:
        open_survey(session, survey, None)
    assert "sections" in fields(exc)


def test_lifecycle_open_close_reopen_is_audited(session: Session) -> None:
    survey = make_survey(session)
    add_question(session, make_section(session, survey), "q1")
    open_survey(session, survey, None)
    assert survey.status == SurveyStatus.OPEN
    close_survey(session, survey, None)
    assert survey.status == SurveyStatus.CLOSED
    with pytest.raises(Conflict):
        close_survey(session, survey, None)
    open_survey(session, survey, None)
    actions = [e.action for e in session.query(AuditEvent).filter_by(survey_id=survey.id)]
    assert {"survey.open", "survey.close", "survey.reopen"} <= set(actions)


def _respond(session: Session, survey_slug: str = "bilanz-2026") -> tuple[object, object]:
    survey = make_survey(session, slug=survey_slug)
    section = make_section(session, survey)
    question = add_question(session, section, "q1")
    open_survey(session, survey, None)
    group = target_group_by_key(session, "familien")
    assert group is not None
    store_response(session, survey, group, {"q1": "ja"}, today=date(2026, 5, 1))
    session.flush()
    return survey, question


def test_structure_is_locked_after_first_response(session: Session) -> None:
    survey, question = _respond(session)
    section = question.section  # type: ignore[attr-defined]
    with pytest.raises(Conflict):
        add_question(session, section, "q2")
    with pytest.raises(Conflict):
        save_section(session, survey, None, title="Neu")  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        delete_question(session, question, None)  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        delete_section(session, section, None)
    changed = question_values("q1", options="ja: Ja\nnein: Nein")  # option removed
    with pytest.raises(Conflict):
        save_question(session, section, question, changed, None)  # type: ignore[arg-type]
    session.rollback()


def test_wording_fix_is_allowed_and_logged_when_locked(session: Session) -> None:
    survey, question = _respond(session)
    values = question_values(
        "q1", text="Frage q1 (korrigiert)", options="ja: Ja!\nnein: Nein\nweiss: Weiß nicht"
    )
    save_question(session, question.section, question, values, None)  # type: ignore[attr-defined, arg-type]
    assert question.text == "Frage q1 (korrigiert)"  # type: ignore[attr-defined]
    assert session.query(AuditEvent).filter_by(action="survey.wording").count() == 1


def test_duplicate_keeps_keys_and_sets_baseline(session: Session) -> None:
    survey, _ = _respond(session)
    copy = duplicate_survey(session, survey, slug="bilanz-2027", title="Bilanz 2027", actor=None)  # type: ignore[arg-type]
    assert copy.baseline_id == survey.id  # type: ignore[attr-defined]
    assert [q.key for q in copy.questions()] == ["q1"]
    assert [o.code for o in copy.questions()[0].options] == ["ja", "nein", "weiss"]
    assert copy.status == SurveyStatus.DRAFT
    add_question(session, copy.sections[0], "q2")  # the copy is not locked


def test_duplicate_keeps_polarity(session: Session) -> None:
    survey = make_survey(session)
    section = make_section(session, survey, "Senioren")
    scale = "gar nicht\nwenig\nziemlich\nsehr"
    add_question(session, section, "allein", "likert", scale=scale, reversed=True)
    add_question(
        session,
        section,
        "lage",
        "matrix",
        scale=scale,
        items="hilfe: Ich bekomme Hilfe.\nangst: Ich habe Angst.",
        reversed_items=["angst"],
    )
    copy = duplicate_survey(session, survey, slug="kopie", title="Kopie", actor=None)  # type: ignore[arg-type]
    alone, lage = copy.questions()
    assert alone.reversed and not lage.reversed
    assert [i.reversed for i in lage.items] == [False, True]
    assert question_form_values(lage)["reversed_items"] == ["angst"]


def test_duplicate_keeps_breakdowns(session: Session) -> None:
    survey = make_survey(session)
    section = make_section(session, survey, "Über Sie")
    add_question(session, section, "stadtteil", breakdown=True)
    add_question(session, section, "alter")
    copy = duplicate_survey(session, survey, slug="kopie", title="Kopie", actor=None)  # type: ignore[arg-type]
    assert [q.breakdown for q in copy.questions()] == [True, False]
    assert question_form_values(copy.questions()[0])["breakdown"] is True


def test_breakdown_only_for_single_choice_and_at_most_three(session: Session) -> None:
    survey = make_survey(session)
    section = make_section(session, survey, "Über Sie")
    with pytest.raises(ValidationError) as exc:
        add_question(session, section, "hobbys", "multi", breakdown=True)
    assert fields(exc) == {"breakdown"}
    for key in ("m1", "m2", "m3"):
        add_question(session, section, key, breakdown=True)
    with pytest.raises(ValidationError) as exc:
        add_question(session, section, "m4", breakdown=True)
    assert fields(exc) == {"breakdown"}
    assert "m1, m2, m3" in exc.value.errors[0].render()


def test_reorder_sections_and_questions(session: Session) -> None:
    survey = make_survey(session)
    first = make_section(session, survey, "Eins")
    second = make_section(session, survey, "Zwei")
    a = add_question(session, first, "a")
    b = add_question(session, first, "b", "text")
    move_question(session, b, -1)
    assert [q.key for q in first.questions] == ["b", "a"]
    move_question(session, a, +1)  # over the edge into the next section
    assert [q.key for q in second.questions] == ["a"]
    move_section(session, second, -1)
    assert [s.title for s in survey.sections] == ["Zwei", "Eins"]
    assert [s.position for s in survey.sections] == [0, 1]


def test_edit_form_values_round_trip(session: Session) -> None:
    section = make_section(session, make_survey(session))
    question = add_question(session, section, "m", "matrix", dont_know=True)
    values = question_form_values(question)
    assert values["items"] == "kita: Kita-Plätze\nschule: Schulen"
    assert values["dont_know"] is True


def test_update_survey_metadata(session: Session) -> None:
    survey = make_survey(session)
    from surveys.designer import SurveyValues

    update_survey(
        session,
        survey,
        SurveyValues(title="Neu", slug="neu-2026", target_groups=["akteure"], access_mode="code"),
        None,
    )
    assert survey.slug == "neu-2026"
    assert [g.key for g in survey.target_groups] == ["akteure"]
