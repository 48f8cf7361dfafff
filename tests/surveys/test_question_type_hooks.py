"""The decisions each question type makes for the rest of the platform (issue 16): the input
an error summary leads to, what a condition on its answer takes, which shared designer flags
an exchange file may set, and how its columns are held in the statistics files.

The expectations are written out per type, so that a new type is listed here on purpose, and
the modules that once listed types ask the type instead (checked in their source).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from surveys.errors import FieldError
from surveys.exchange.json_reading import question_from_dict
from surveys.models import QuestionType
from surveys.question_types import REGISTRY, spec_for
from surveys.question_types.base import StatisticsMissing
from tests.surveys.builders import SCALE5, question

ROOT = Path(__file__).resolve().parents[2]

#: Where the error on the whole question leads, and where one on its first part leads.
ANCHORS = {
    QuestionType.LIKERT: ("q-q1--1", None),
    QuestionType.MATRIX: ("q-q1-a--1", "q-q1-a--1"),
    QuestionType.SINGLE: ("q-q1--1", None),
    QuestionType.MULTI: ("q-q1--1", "q-q1-other"),
    QuestionType.RANKING: ("q-q1-x", "q-q1-x"),
    QuestionType.TEXT: ("q-q1", None),
    QuestionType.NUMBER: ("q-q1", None),
    QuestionType.YESNO: ("q-q1--ja", None),
    QuestionType.DATE: ("q-q1", "q-q1-month"),
    QuestionType.MULTINUMBER: ("q-q1-a", "q-q1-a"),
    QuestionType.NUMBERMATRIX: ("q-q1-a-x", "q-q1-a-x"),
}
#: The part whose error is looked up second (``None``: the type has no parts of its own).
PARTS = {
    QuestionType.MATRIX: "a",
    QuestionType.MULTI: "other",
    QuestionType.RANKING: "x",
    QuestionType.DATE: "month",
    QuestionType.MULTINUMBER: "a",
    QuestionType.NUMBERMATRIX: "a",
}


def full(qtype: QuestionType):  # type: ignore[no-untyped-def]
    """A question of ``qtype`` with options x, y, items a, b and a five-step scale."""
    return question(
        qtype,
        options=["x", "y"],
        items=["a", "b"],
        settings={"scale": SCALE5, "dont_know": True, "other": True},
    )


def test_every_type_is_listed_here() -> None:
    assert set(ANCHORS) == set(REGISTRY) == set(QuestionType)


@pytest.mark.parametrize("qtype", list(QuestionType))
def test_error_anchor_of_each_type(qtype: QuestionType) -> None:
    q = full(qtype)
    spec = spec_for(qtype)
    whole, part = ANCHORS[qtype]
    assert spec.error_anchor(q, "q-q1") == whole
    if qtype in PARTS:
        assert spec.error_anchor(q, f"q-q1-{PARTS[qtype]}") == part


def test_anchors_without_items_or_options_fall_back_to_the_input_name() -> None:
    for qtype in (QuestionType.MATRIX, QuestionType.RANKING, QuestionType.NUMBERMATRIX):
        assert spec_for(qtype).error_anchor(question(qtype), "q-q1") == "q-q1"


#: What the condition builder offers per type: how the value is given and what can be picked.
CONDITION_INPUT = {
    QuestionType.LIKERT: "point",
    QuestionType.SINGLE: "code",
    QuestionType.MULTI: "code",
    QuestionType.YESNO: "code",
    QuestionType.NUMBER: "number",
}


@pytest.mark.parametrize("qtype", list(QuestionType))
def test_condition_input_and_choices_of_each_type(qtype: QuestionType) -> None:
    spec = spec_for(qtype)
    q = full(qtype)
    assert spec.condition_input == CONDITION_INPUT.get(qtype, "")
    # Only "beantwortet" exactly where there is no value to give.
    assert (spec.condition_operators == ("answered",)) == (spec.condition_input == "")
    choices = spec.condition_choices(q, lambda text: f"<{text}>")
    if qtype in (QuestionType.SINGLE, QuestionType.MULTI):
        assert choices == [("x", "Antwort x"), ("y", "Antwort y")]
    elif qtype == QuestionType.YESNO:
        assert choices == [("ja", "<Ja>"), ("nein", "<Nein>")]
    elif qtype == QuestionType.LIKERT:
        assert choices[0] == ("1", "1 – sehr unzufrieden") and len(choices) == 5
    else:
        assert choices == []


def rendered(errors: list[FieldError]) -> list[str]:
    return [e.render() for e in errors]


def test_condition_values_each_type_accepts() -> None:
    def errors(qtype: QuestionType, *values: object) -> list[str]:
        return rendered(spec_for(qtype).condition_value_errors(full(qtype), list(values), "f"))

    assert errors(QuestionType.SINGLE, "x") == errors(QuestionType.MULTI, "y") == []
    assert errors(QuestionType.SINGLE, "z") == [
        "Der Wert der Bedingung ist keine Antwortmöglichkeit der Frage „q1“."
    ]
    assert errors(QuestionType.MULTI) != []  # no value at all
    assert errors(QuestionType.YESNO, "ja", False) == []
    assert errors(QuestionType.YESNO, "vielleicht") == [
        "Bei Ja/Nein-Fragen ist der Wert „ja“ oder „nein“."
    ]
    assert errors(QuestionType.NUMBER, 2, "1,5") == []
    assert errors(QuestionType.NUMBER, "zwei") == [
        "Bitte geben Sie eine Zahl ein, z. B. 2 oder 1,5."
    ]
    assert errors(QuestionType.LIKERT, 5) == []
    assert errors(QuestionType.LIKERT, 6) == ["Die Skala der Frage „q1“ hat die Stufen 1 bis 5."]
    assert errors(QuestionType.LIKERT, "") == ["Bitte geben Sie eine Zahl ein, z. B. 2 oder 1,5."]
    assert errors(QuestionType.DATE, "egal") == []  # never asked: "beantwortet" only


@pytest.mark.parametrize("qtype", list(QuestionType))
def test_an_exchange_file_sets_reversed_and_breakdown_only_where_the_type_has_them(
    qtype: QuestionType,
) -> None:
    data: dict[str, object] = {
        "key": "q1",
        "type": qtype.value,
        "text": "Frage",
        "reversed": True,
        "breakdown": True,
        "target_groups": [],
    }
    errors: list[FieldError] = []
    q = question_from_dict(data, {}, "Frage 1", errors)
    assert errors == [] and q is not None
    assert q.reversed is (qtype in (QuestionType.LIKERT, QuestionType.MATRIX))
    assert q.breakdown is (qtype == QuestionType.SINGLE)


#: Per type: (kind, measure) of its columns, in the order of ``export_columns``.
STATISTICS = {
    QuestionType.LIKERT: [("numeric", "ordinal")],
    QuestionType.MATRIX: [("numeric", "ordinal")] * 2,
    QuestionType.SINGLE: [("numeric", "nominal")],
    QuestionType.MULTI: [("numeric", "nominal")] * 2 + [("string", "nominal")],
    QuestionType.RANKING: [("numeric", "ordinal")] * 2,
    QuestionType.TEXT: [("string", "nominal")],
    QuestionType.NUMBER: [("numeric", "scale")],
    QuestionType.YESNO: [("numeric", "nominal")],
    QuestionType.DATE: [("date", "nominal")],
    QuestionType.MULTINUMBER: [("numeric", "scale")] * 2,
    QuestionType.NUMBERMATRIX: [("numeric", "scale")] * 4,
}


@pytest.mark.parametrize("qtype", list(QuestionType))
def test_statistics_form_of_every_column(qtype: QuestionType) -> None:
    q = full(qtype)
    spec = spec_for(qtype)
    forms = [spec.statistics_form(q, part) for _, part in spec.export_columns(q)]
    assert [(f.kind, f.measure) for f in forms] == STATISTICS[qtype]
    scale = qtype in (QuestionType.LIKERT, QuestionType.MATRIX)
    assert all((f.dont_know == "weiß nicht / keine Angabe") is scale for f in forms)
    assert all(f.not_ranked is (qtype == QuestionType.RANKING) for f in forms)
    # Without a lower bound, numbers may be negative.
    assert all(f.wide is (f.measure == "scale") for f in forms)


def test_statistics_cells_of_answered_questions() -> None:
    def cells(qtype: QuestionType, value: object) -> list[object]:
        q = full(qtype)
        spec = spec_for(qtype)
        columns = spec.export_columns(q)
        forms = [spec.statistics_form(q, part) for _, part in columns]
        return [
            spec.statistics_cell(q, part, value, form.option_values)
            for (_, part), form in zip(columns, forms, strict=True)
        ]

    missing = StatisticsMissing
    assert cells(QuestionType.LIKERT, "dk") == [missing.DONT_KNOW]
    assert cells(QuestionType.MATRIX, {"b": 4}) == [missing.NOT_ANSWERED, 4]
    assert cells(QuestionType.SINGLE, "y") == [2]
    assert cells(QuestionType.MULTI, {"choices": ["y"], "other": ""}) == [0, 1, None]
    assert cells(QuestionType.RANKING, ["y"]) == [missing.NOT_RANKED, 1]
    assert cells(QuestionType.YESNO, False) == [0]
    assert cells(QuestionType.NUMBER, 2.0) == [2]
    assert cells(QuestionType.TEXT, "Hallo") == ["Hallo"]
    assert [str(c) for c in cells(QuestionType.DATE, "2024-02-29")] == ["2024-02-29"]
    assert cells(QuestionType.MULTINUMBER, {"a": 1.5}) == [1.5, missing.NOT_ANSWERED]
    assert cells(QuestionType.NUMBERMATRIX, {"b": {"x": 3.0}}) == [
        missing.NOT_ANSWERED,
        missing.NOT_ANSWERED,
        3,
        missing.NOT_ANSWERED,
    ]


#: Modules that once listed question types for these decisions; they ask the type now.
ASKING = [
    "surveys/conditions.py",
    "surveys/designer_form.py",
    "surveys/exchange/json_reading.py",
    "app/common/fields.py",
    *sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "surveys" / "statistics_export").glob("*.py")
    ),
]


@pytest.mark.parametrize("path", ASKING)
def test_no_module_outside_the_types_branches_on_a_type(path: str) -> None:
    source = (ROOT / path).read_text(encoding="utf-8")
    members = "|".join(t.name for t in QuestionType)
    assert not re.findall(rf"QuestionType\.(?:{members})\b", source), path
