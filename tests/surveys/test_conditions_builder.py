"""The condition builder's domain: rules combined with "all"/"any", comparisons, validation,
old single-rule conditions and their migration."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from surveys.conditions import (
    browser_condition,
    condition_holds,
    condition_questions,
    describe_condition,
    normalize_condition,
    rule_holds,
)
from surveys.designer import move_section
from surveys.designer_form import QuestionValues, RuleValues, condition_from_values
from surveys.designer_questions import move_question, save_question
from surveys.errors import ValidationError
from surveys.exports import codebook_rows
from surveys.models import QuestionType
from tests.surveys.designer_helpers import add_question, make_section, make_survey, question_values

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "0018_condition_rules.py"


def rule(question: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"question": question, "op": op, "value": value}


# -- evaluation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "value", "answer", "expected"),
    [
        ("equals", 3, 3, True),
        ("equals", 3, 4, False),
        ("equals", 1.5, 1.5, True),
        ("not_equals", 3, 4, True),
        ("not_equals", 3, 3, False),
        ("gt", 2, 3, True),
        ("gt", 2, 2, False),
        ("ge", 2, 2, True),
        ("ge", 2, 1, False),
        ("lt", 2, 1, True),
        ("lt", 2, 2, False),
        ("le", 2, 2, True),
        ("le", 2, 3, False),
        ("gt", 2, None, False),  # unanswered: no rule holds
        ("lt", 2, None, False),
        ("not_equals", 3, None, False),
        ("gt", "2,5", 3, True),  # a typed decimal comma still compares
    ],
)
def test_every_number_comparison(op: str, value: Any, answer: Any, expected: bool) -> None:
    answers = {} if answer is None else {"kinder": answer}
    assert rule_holds(rule("kinder", op, value), answers) is expected


@pytest.mark.parametrize(
    ("op", "value", "choices", "expected"),
    [
        ("contains", "bus", ["bus", "rad"], True),
        ("contains", "auto", ["bus", "rad"], False),
        ("not_equals", "auto", ["bus"], True),
        ("not_equals", "bus", ["bus"], False),
        ("equals", "bus", ["rad", "bus"], True),  # old conditions: "is" looks inside
    ],
)
def test_multiple_choice_contains(op: str, value: str, choices: list[str], expected: bool) -> None:
    answers = {"wege": {"choices": choices}}
    assert rule_holds(rule("wege", op, value), answers) is expected


def test_single_choice_and_yes_no() -> None:
    assert rule_holds(rule("stadtteil", "equals", "mitte"), {"stadtteil": "mitte"})
    assert not rule_holds(rule("stadtteil", "not_equals", "mitte"), {"stadtteil": "mitte"})
    assert rule_holds(rule("kita", "equals", "ja"), {"kita": True})
    assert rule_holds(rule("kita", "not_equals", "ja"), {"kita": False})
    assert rule_holds(rule("kita", "answered"), {"kita": False})
    assert not rule_holds(rule("kita", "answered"), {})


@pytest.mark.parametrize(
    ("first", "second", "all_", "any_"),
    [
        (True, True, True, True),
        (True, False, False, True),
        (False, True, False, True),
        (False, False, False, False),
    ],
)
def test_all_and_any_truth_table(first: bool, second: bool, all_: bool, any_: bool) -> None:
    rules = [rule("kinder", "gt", 2), rule("stadtteil", "equals", "mitte")]
    answers = {"kinder": 3 if first else 1, "stadtteil": "mitte" if second else "nord"}
    assert condition_holds({"match": "all", "rules": rules}, answers) is all_
    assert condition_holds({"match": "any", "rules": rules}, answers) is any_


def test_no_condition_always_holds_and_an_unanswered_any_rule_does_not_block() -> None:
    assert condition_holds(None, {})
    assert condition_holds({}, {})
    either = {"match": "any", "rules": [rule("a", "equals", "x"), rule("b", "gt", 1)]}
    assert condition_holds(either, {"b": 2})  # "a" unanswered, "b" decides
    assert not condition_holds(either, {})


def test_browser_condition_decides_rules_of_earlier_pages() -> None:
    condition = {"match": "all", "rules": [rule("fruehere", "equals", "ja"), rule("hier", "gt", 1)]}
    live = browser_condition(condition, {"hier"}, {"fruehere": "ja"})
    assert live == {
        "match": "all",
        "rules": [{"op": "const", "value": True}, rule("hier", "gt", 1)],
    }
    assert browser_condition(condition, {"andere"}, {}) is None


# -- old conditions ------------------------------------------------------------------------


def test_old_single_conditions_are_read_and_normalized() -> None:
    old = {"question": "kita", "op": "equals", "value": "ja"}
    assert normalize_condition(old) == {"match": "all", "rules": [old]}
    assert condition_holds(old, {"kita": "ja"})
    several = {"question": "stadtteil", "op": "in", "value": ["mitte", "nord"]}
    assert normalize_condition(several) == {
        "match": "any",
        "rules": [rule("stadtteil", "equals", "mitte"), rule("stadtteil", "equals", "nord")],
    }
    for answer in ("mitte", "nord", "sued"):
        assert condition_holds(several, {"stadtteil": answer}) == condition_holds(
            normalize_condition(several), {"stadtteil": answer}
        )
    assert normalize_condition({"question": "x", "op": "answered"}) == {
        "match": "all",
        "rules": [{"question": "x", "op": "answered"}],
    }
    assert condition_questions(several) == ["stadtteil"]


def _migration() -> Any:
    spec = importlib.util.spec_from_file_location("migration_0018", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_rewrites_old_conditions_and_back() -> None:
    migration = _migration()
    assert migration.down_revision == "0017"
    old = {"question": "kita", "op": "not_equals", "value": "nein"}
    new = migration._upgraded(old)
    assert new == normalize_condition(old)
    assert migration._upgraded(new) == new  # already migrated: unchanged
    assert migration._downgraded(new) == old
    several = {"question": "s", "op": "in", "value": ["a", "b"]}
    assert migration._downgraded(migration._upgraded(several)) == several
    assert migration._upgraded(None) is None


# -- validation ----------------------------------------------------------------------------


def _fields(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {e.field: e.render() for e in exc.value.errors}


def _builder(*rows: RuleValues, match: str = "all") -> dict[str, Any]:
    return {"condition_rules": list(rows), "condition_match": match}


def test_save_a_condition_with_two_rules(session: Session) -> None:
    section = make_section(session, make_survey(session))
    add_question(session, section, "kinder", "number")
    add_question(session, section, "stadtteil", "single")
    follow = add_question(
        session,
        section,
        "betreuung",
        "text",
        **_builder(
            RuleValues("kinder", "ge", number="2"),
            RuleValues("stadtteil", "equals", value="ja"),
            RuleValues(),  # an empty row is no rule
            match="any",
        ),
    )
    assert follow.condition == {
        "match": "any",
        "rules": [rule("kinder", "ge", 2), rule("stadtteil", "equals", "ja")],
    }
    text = describe_condition(follow.condition, {q.key: q for q in section.questions})
    assert text == "„kinder“ ist mindestens „2“ oder „stadtteil“ ist „Ja“ (ja)"


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (RuleValues("spaeter", "equals", value="ja"), "condition_1_question", "frühere Frage"),
        (
            RuleValues("stadtteil", "equals", value="gibtsnicht"),
            "condition_1_value",
            "keine Antwortmöglichkeit",
        ),
        (RuleValues("kinder", "gt", number="zwei"), "condition_1_value", "Zahl"),
        (RuleValues("kinder", "gt", number=""), "condition_1_value", "Zahl"),
        (RuleValues("stadtteil", "gt", value="ja"), "condition_1_op", "passt nicht"),
        (RuleValues("zufrieden", "ge", value="9"), "condition_1_value", "Stufen 1 bis 4"),
        (RuleValues("frei", "equals", value="x"), "condition_1_op", "nur „beantwortet“"),
    ],
)
def test_bad_rules_are_refused_at_their_field(
    session: Session, row: RuleValues, field: str, message: str
) -> None:
    section = make_section(session, make_survey(session))
    add_question(session, section, "kinder", "number")
    add_question(session, section, "stadtteil", "single")
    add_question(session, section, "zufrieden", "likert")
    add_question(session, section, "frei", "text")
    add_question(session, section, "ziel", "text")
    add_question(session, section, "spaeter", "single")
    target = next(q for q in section.questions if q.key == "ziel")
    values = question_values("ziel", "text", **_builder(row))
    with pytest.raises(ValidationError) as exc:
        save_question(session, section, target, values, None)
    errors = _fields(exc)
    assert field in errors and message in errors[field], errors


def test_condition_from_values_keeps_a_non_number_for_the_message() -> None:
    values = QuestionValues(
        key="x", type="text", text="X", condition_rules=[RuleValues("kinder", "gt", number="viele")]
    )
    assert condition_from_values(values, {"kinder": QuestionType.NUMBER}) == {
        "match": "all",
        "rules": [rule("kinder", "gt", "viele")],
    }


# -- reordering ----------------------------------------------------------------------------


def test_a_question_move_before_its_trigger_is_refused(session: Session) -> None:
    survey = make_survey(session)
    section = make_section(session, survey)
    add_question(session, section, "kinder", "number")
    follow = add_question(
        session, section, "betreuung", "text", **_builder(RuleValues("kinder", "gt", number="0"))
    )
    other = make_section(session, survey, "Zweiter")
    add_question(session, other, "andere", "text")
    move_section(session, other, -1)  # unrelated questions may move freely
    assert [s.title for s in survey.sections] == ["Zweiter", "Bildung"]
    with pytest.raises(ValidationError) as exc:
        move_question(session, follow, -1)
    assert exc.value.errors[0].render() == (
        "Verschieben nicht möglich: Die Frage „betreuung“ muss nach „kinder“ stehen, "
        "weil ihre Bedingung sich darauf bezieht."
    )


def test_a_section_move_before_a_trigger_is_refused(session: Session) -> None:
    survey = make_survey(session)
    add_question(session, make_section(session, survey), "kinder", "number")
    later = make_section(session, survey, "Zweiter")
    add_question(session, later, "mehr", "text", **_builder(RuleValues("kinder", "ge", number="1")))
    with pytest.raises(ValidationError) as exc:
        move_section(session, later, -1)
    assert "„mehr“ muss nach „kinder“" in exc.value.errors[0].render()


def test_the_codebook_describes_each_condition_in_german(session: Session) -> None:
    section = make_section(session, make_survey(session))
    add_question(session, section, "kinder", "number")
    add_question(session, section, "stadtteil", "single")
    add_question(
        session,
        section,
        "betreuung",
        "text",
        **_builder(
            RuleValues("kinder", "gt", number="2"),
            RuleValues("stadtteil", "not_equals", value="nein"),
        ),
    )
    notes = [row for row in codebook_rows(section.survey) if row[1] == "betreuung"]
    assert notes[0][5] == (
        "nur gefragt, wenn „kinder“ ist größer als „2“ und „stadtteil“ ist nicht „Nein“ (nein)"
    )
