"""Questionnaire rules: keys, slugs, dates, target groups and conditions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from surveys.conditions import condition_holds
from surveys.errors import ValidationError
from surveys.models import Option, QuestionType
from surveys.rules import check_survey, survey_errors
from tests.surveys.builders import groups, question, small_survey


def fields(errors: list) -> list[str]:
    """The field names of a list of FieldErrors."""
    return [e.field for e in errors]


def test_small_survey_is_valid(session: Session) -> None:
    check_survey(small_survey(session))


def test_slug_title_and_dates(session: Session) -> None:
    survey = small_survey(session)
    survey.slug = "Ungültig mit Leerzeichen"
    survey.title = " "
    survey.opens_on, survey.closes_on = date(2026, 5, 1), date(2026, 4, 1)
    assert {"slug", "title", "closes_on"} <= set(fields(survey_errors(survey)))
    with pytest.raises(ValidationError) as info:
        check_survey(survey)
    assert "Das Enddatum darf nicht vor dem Startdatum liegen." in str(info.value)


def test_duplicate_question_keys(session: Session) -> None:
    survey = small_survey(session)
    survey.sections[0].questions[3].key = "ganztag"
    assert "ganztag.key" in fields(survey_errors(survey))


def test_question_key_format_and_text(session: Session) -> None:
    survey = small_survey(session)
    survey.sections[0].questions[3].key = "Kommentar-1"
    survey.sections[0].questions[3].text = ""
    found = fields(survey_errors(survey))
    assert "Kommentar-1.key" in found and "Kommentar-1.text" in found


def test_question_needs_a_target_group_of_the_survey(session: Session) -> None:
    survey = small_survey(session)
    tg = groups(session)
    survey.target_groups = [tg["familien"]]
    errors = survey_errors(survey)
    assert "zufriedenheit.target_groups" in fields(errors)
    survey.sections[0].questions[3].target_groups = []
    assert "kommentar.target_groups" in fields(survey_errors(survey))


def test_condition_on_itself_or_a_later_question(session: Session) -> None:
    survey = small_survey(session)
    ganztag = survey.sections[0].questions[1]
    ganztag.condition = {"question": "ganztag", "op": "answered"}
    assert "Eine Frage kann nicht von sich selbst abhängen." in [
        e.render() for e in survey_errors(survey)
    ]
    ganztag.condition = {"question": "kommentar", "op": "answered"}
    assert any("frühere Frage" in e.render() for e in survey_errors(survey))


def test_condition_value_must_be_an_option(session: Session) -> None:
    survey = small_survey(session)
    survey.sections[0].questions[2].condition = {
        "question": "ganztag",
        "op": "equals",
        "value": "vielleicht",
    }
    assert "ganztag_warum.condition_1_value" in fields(survey_errors(survey))


def test_condition_on_free_text_only_answered(session: Session) -> None:
    survey = small_survey(session)
    survey.sections[0].questions[3].condition = {
        "question": "ganztag_warum",
        "op": "equals",
        "value": "x",
    }
    assert "kommentar.condition_1_op" in fields(survey_errors(survey))
    survey.sections[0].questions[3].condition = {"question": "ganztag_warum", "op": "answered"}
    assert survey_errors(survey) == []


def test_type_rules_are_reported_with_question_key(session: Session) -> None:
    survey = small_survey(session)
    survey.sections[0].questions[1].options = [Option(code="ja", label="Ja")]
    errors = survey_errors(survey)
    assert "ganztag.options" in fields(errors)


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        (None, {}, True),
        ({"question": "a", "op": "equals", "value": "x"}, {"a": "x"}, True),
        ({"question": "a", "op": "equals", "value": "x"}, {"a": "y"}, False),
        ({"question": "a", "op": "equals", "value": "x"}, {}, False),
        ({"question": "a", "op": "not_equals", "value": "x"}, {"a": "y"}, True),
        ({"question": "a", "op": "not_equals", "value": "x"}, {}, False),
        ({"question": "a", "op": "in", "value": ["x", "z"]}, {"a": "z"}, True),
        ({"question": "a", "op": "answered"}, {"a": "anything"}, True),
        (
            {"question": "a", "op": "equals", "value": "b"},
            {"a": {"choices": ["b"], "other": ""}},
            True,
        ),
        ({"question": "a", "op": "equals", "value": "ja"}, {"a": True}, True),
        ({"question": "a", "op": "equals", "value": "nein"}, {"a": True}, False),
        ({"question": "a", "op": "equals", "value": 4}, {"a": 4}, True),
    ],
)
def test_condition_holds(condition: dict | None, answers: dict, expected: bool) -> None:
    assert condition_holds(condition, answers) is expected


def test_yes_no_condition_values() -> None:
    from surveys.conditions import validate_condition

    trigger = question(QuestionType.YESNO, key="a")
    follower = question(
        QuestionType.TEXT,
        key="b",
        condition={"question": "a", "op": "equals", "value": "vielleicht"},
    )
    assert validate_condition(follower, [trigger])
    follower.condition = {"question": "a", "op": "equals", "value": "ja"}
    assert validate_condition(follower, [trigger]) == []


def test_suggested_keys_are_valid_readable_and_unique() -> None:
    from surveys.rules import KEY_PATTERN, suggest_key

    assert suggest_key("Wie zufrieden sind Sie mit den Spielplätzen?") == "zufrieden_spielplaetzen"
    assert suggest_key("Öffnungszeiten der Kita", {"oeffnungszeiten_kita"}) == (
        "oeffnungszeiten_kita_2"
    )
    for text in ("", "?!", "2 Kinder", "ﬁ Ärger über Straßen", "a" * 200):
        assert KEY_PATTERN.match(suggest_key(text)), text
