"""Population margins in the domain: numbers as staff type them, saving, what qualifies."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.errors import ValidationError
from surveys.models import MarginKind, PopulationMargin, TargetGroup
from surveys.weighting import (
    MarginInput,
    delete_margin,
    find_margin,
    margin_values,
    parse_margin,
    parse_number,
    save_margin,
    weighting_questions,
)
from tests.factories import build_survey


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12345", 12345.0),
        ("12.345", 12345.0),  # German thousands separator
        ("1.234.567", 1234567.0),
        ("12 345", 12345.0),
        ("16,5", 16.5),
        ("1.234,5", 1234.5),
        ("16.5", 16.5),  # a decimal point where no thousands group fits
        ("-5", -5.0),
        ("−5", -5.0),
        ("", None),
        ("zwölf", None),
        ("1,2,3", None),
        ("12.34.5", None),
    ],
)
def test_numbers_are_read_as_staff_type_them(raw: str, value: float | None) -> None:
    assert parse_number(raw) == value


def _groups(session: Session) -> dict[str, TargetGroup]:
    return {g.key: g for g in session.scalars(select(TargetGroup))}


def test_only_single_choice_questions_asked_of_the_group_qualify(session: Session) -> None:
    survey = build_survey(session)
    groups = _groups(session)
    # "stelle" is the factory's one single-choice question, asked of every group
    assert [q.key for q in weighting_questions(survey, groups["familien"])] == ["stelle"]
    assert [q.key for q in weighting_questions(survey, groups["akteure"])] == ["stelle"]


def test_saving_twice_replaces_the_figures_and_delete_removes_them(session: Session) -> None:
    survey = build_survey(session)
    group = _groups(session)["familien"]
    question = weighting_questions(survey, group)[0]
    codes = [o.code for o in question.options]
    first = MarginInput(
        kind=MarginKind.COUNT, source="Melderegister", reference_date=date(2025, 12, 31),
        values={codes[0]: 100.0, codes[1]: 300.0, **{c: None for c in codes[2:]}},
    )  # fmt: skip
    save_margin(session, survey, group, question, first, None)
    second = MarginInput(
        kind=MarginKind.SHARE, source="Statistikstelle", reference_date=date(2026, 6, 30),
        values={c: 100 / len(codes) for c in codes},
    )  # fmt: skip
    margin = save_margin(session, survey, group, question, second, None)
    assert session.scalars(select(PopulationMargin)).all() == [margin]
    assert margin.kind == MarginKind.SHARE and margin.source == "Statistikstelle"
    assert margin_values(margin) == {c: pytest.approx(100 / len(codes)) for c in codes}
    delete_margin(session, margin, None)
    assert find_margin(session, survey, group, question) is None


def test_a_question_of_another_kind_is_refused(session: Session) -> None:
    survey = build_survey(session)
    group = _groups(session)["familien"]
    likert = next(q for q in survey.questions() if q.key == "kita")
    data = MarginInput(MarginKind.COUNT, "x", date(2025, 1, 1), {})
    with pytest.raises(ValidationError):
        save_margin(session, survey, group, likert, data, None)


def test_every_problem_is_reported_at_once(session: Session) -> None:
    survey = build_survey(session)
    question = weighting_questions(survey, _groups(session)["familien"])[0]
    with pytest.raises(ValidationError) as caught:
        parse_margin(question, {"kind": "share", "source": "", "reference_date": "gestern"})
    fields = {e.field for e in caught.value.errors}
    assert {"source", "reference_date"} <= fields
    assert {f"value-{o.code}" for o in question.options} <= fields
