"""Every question type: its definition rules, parsing of raw input, and answer rows."""

from __future__ import annotations

import pytest

from surveys.models import QuestionType
from surveys.question_types import DONT_KNOW, REGISTRY, spec_for
from tests.surveys.builders import SCALE5, question


def messages(errors: list) -> list[str]:
    """Rendered messages of a list of FieldErrors."""
    return [e.render() for e in errors]


def test_every_type_has_a_spec() -> None:
    assert set(REGISTRY) == set(QuestionType)
    for qtype, spec in REGISTRY.items():
        assert spec.type == qtype
        assert spec.analysis_kind in {
            "scale",
            "choice",
            "multi",
            "ranking",
            "text",
            "number",
            "binary",
            "date",
            "multinumber",
            "numbermatrix",
        }


# --- definition rules -------------------------------------------------------------------------


@pytest.mark.parametrize("qtype", [QuestionType.LIKERT, QuestionType.MATRIX])
def test_scale_needs_two_points(qtype: QuestionType) -> None:
    q = question(qtype, settings={"scale": ["nur eins"]}, items=["a"])
    errors = spec_for(qtype).validate_definition(q)
    assert "Eine Skala braucht mindestens 2 Stufen." in messages(errors)
    assert errors[0].field == "scale"


def test_scale_labels_must_be_distinct_and_non_empty() -> None:
    q = question(QuestionType.LIKERT, settings={"scale": ["gut", "gut", " "]})
    found = messages(spec_for(q.type).validate_definition(q))
    assert "Die Stufen der Skala müssen sich unterscheiden." in found
    assert "Jede Stufe der Skala braucht eine Beschriftung." in found


def test_valid_scale_passes() -> None:
    q = question(QuestionType.LIKERT, settings={"scale": SCALE5, "dont_know": True})
    assert spec_for(q.type).validate_definition(q) == []


def test_matrix_needs_items_with_unique_keys() -> None:
    q = question(QuestionType.MATRIX, settings={"scale": SCALE5})
    assert "Eine Matrix braucht mindestens eine Aussage." in messages(
        spec_for(q.type).validate_definition(q)
    )
    q = question(QuestionType.MATRIX, settings={"scale": SCALE5}, items=["a", "a"])
    assert "Die Schlüssel der Aussagen müssen eindeutig sein." in messages(
        spec_for(q.type).validate_definition(q)
    )


@pytest.mark.parametrize("qtype", [QuestionType.SINGLE, QuestionType.MULTI])
def test_choice_needs_options(qtype: QuestionType) -> None:
    q = question(qtype, options=[])
    errors = spec_for(qtype).validate_definition(q)
    assert errors and errors[0].field == "options"
    assert "mindestens 2 Antwortmöglichkeiten" in errors[0].render()


def test_multi_with_other_needs_one_option_only() -> None:
    q = question(QuestionType.MULTI, options=["a"], settings={"other": True})
    assert spec_for(q.type).validate_definition(q) == []


def test_choice_codes_must_be_unique() -> None:
    q = question(QuestionType.SINGLE, options=["a", "a"])
    assert "Die Codes der Antwortmöglichkeiten müssen eindeutig sein." in messages(
        spec_for(q.type).validate_definition(q)
    )


def test_ranking_needs_two_items() -> None:
    q = question(QuestionType.RANKING, options=["a"])
    assert "Eine Rangfolge braucht mindestens 2 Elemente." in messages(
        spec_for(q.type).validate_definition(q)
    )
    assert (
        spec_for(q.type).validate_definition(question(QuestionType.RANKING, options=["a", "b"]))
        == []
    )


def test_number_bounds_must_be_ordered() -> None:
    q = question(QuestionType.NUMBER, settings={"min": 10, "max": 1})
    assert messages(spec_for(q.type).validate_definition(q)) == [
        "Der Höchstwert muss größer als der Mindestwert sein."
    ]
    q = question(QuestionType.NUMBER, settings={"min": "x"})
    assert spec_for(q.type).validate_definition(q)[0].field == "min"


def test_text_max_length_must_be_sane() -> None:
    q = question(QuestionType.TEXT, settings={"max_length": 0})
    assert spec_for(q.type).validate_definition(q)[0].field == "max_length"


# --- parsing ------------------------------------------------------------------------------------


def test_likert_parses_points_and_dont_know() -> None:
    q = question(QuestionType.LIKERT, key="k", settings={"scale": SCALE5, "dont_know": True})
    spec = spec_for(q.type)
    assert spec.parse(q, {"q-k": ["4"]}) == (4, [])
    assert spec.parse(q, {"q-k": [DONT_KNOW]}) == (DONT_KNOW, [])
    assert spec.parse(q, {}) == (None, [])
    value, errors = spec.parse(q, {"q-k": ["9"]})
    assert value is None and errors[0].field == "q-k"
    assert spec.to_rows(q, 4)[0]["num"] == 4.0
    assert spec.to_rows(q, DONT_KNOW)[0] == {
        **spec.to_rows(q, DONT_KNOW)[0],
        "num": None,
        "dont_know": True,
    }
    assert spec.display(q, 5) == "sehr zufrieden"


def test_likert_rejects_dont_know_when_not_offered() -> None:
    q = question(QuestionType.LIKERT, key="k", settings={"scale": SCALE5})
    assert spec_for(q.type).parse(q, {"q-k": ["dk"]})[1]


def test_matrix_parses_each_item_and_requires_all_when_required() -> None:
    q = question(
        QuestionType.MATRIX, key="m", settings={"scale": SCALE5}, items=["a", "b"], required=True
    )
    spec = spec_for(q.type)
    value, errors = spec.parse(q, {"q-m-a": ["2"]})
    assert value == {"a": 2} and errors == []
    missing = spec.required_errors(q, value)
    assert [e.field for e in missing] == ["q-m-b"]
    assert "Aussage b" in missing[0].render()
    rows = spec.to_rows(q, {"a": 2, "b": 5})
    assert [(r["item_id"], r["num"]) for r in rows] == [(1, 2.0), (2, 5.0)]


def test_single_choice_rejects_unknown_codes() -> None:
    q = question(QuestionType.SINGLE, key="s", options=["ja", "nein"])
    spec = spec_for(q.type)
    assert spec.parse(q, {"q-s": ["nein"]}) == ("nein", [])
    assert spec.parse(q, {"q-s": ["vielleicht"]})[1][0].field == "q-s"
    assert spec.to_rows(q, "nein")[0]["option_id"] == 2


def test_multi_choice_keeps_option_order_and_other_text() -> None:
    q = question(QuestionType.MULTI, key="m", options=["a", "b", "c"], settings={"other": True})
    spec = spec_for(q.type)
    value, errors = spec.parse(q, {"q-m": ["c", "a"], "q-m-other": ["  Oma hilft  "]})
    assert errors == []
    assert value == {"choices": ["a", "c"], "other": "Oma hilft"}
    rows = spec.to_rows(q, value)
    assert [(r["option_id"], r["text"]) for r in rows] == [
        (1, None),
        (3, None),
        (None, "Oma hilft"),
    ]
    assert spec.display(q, value) == "Antwort a, Antwort c, Sonstiges: Oma hilft"


def test_multi_choice_limits() -> None:
    q = question(QuestionType.MULTI, key="m", options=["a", "b", "c"], settings={"max_choices": 2})
    spec = spec_for(q.type)
    assert spec.parse(q, {"q-m": ["a", "b", "c"]})[1][0].render() == (
        "Bitte wählen Sie höchstens 2 Antworten."
    )
    assert spec.parse(q, {"q-m": ["x"]})[1]


def test_ranking_needs_distinct_places_without_gaps() -> None:
    q = question(QuestionType.RANKING, key="r", options=["a", "b", "c"], required=True)
    spec = spec_for(q.type)
    assert spec.parse(q, {"q-r-a": ["2"], "q-r-b": ["1"], "q-r-c": ["3"]}) == (["b", "a", "c"], [])
    assert spec.parse(q, {"q-r-a": ["1"], "q-r-b": ["1"]})[1][0].render() == (
        "Jeder Platz darf nur einmal vergeben werden."
    )
    assert "ohne Lücke" in spec.parse(q, {"q-r-a": ["1"], "q-r-b": ["3"]})[1][0].render()
    assert spec.parse(q, {"q-r-a": ["7"]})[1][0].field == "q-r-a"
    assert spec.required_errors(q, ["a"])  # all three places needed
    rows = spec.to_rows(q, ["b", "a", "c"])
    assert [(r["option_id"], r["num"]) for r in rows] == [(2, 1.0), (1, 2.0), (3, 3.0)]


def test_ranking_with_limited_places() -> None:
    q = question(
        QuestionType.RANKING,
        key="r",
        options=["a", "b", "c"],
        settings={"rank_count": 2},
        required=True,
    )
    spec = spec_for(q.type)
    assert spec.parse(q, {"q-r-a": ["3"]})[1]
    value, _ = spec.parse(q, {"q-r-c": ["1"], "q-r-a": ["2"]})
    assert value == ["c", "a"] and spec.required_errors(q, value) == []


def test_text_keeps_text_and_refuses_too_long() -> None:
    q = question(QuestionType.TEXT, key="t", settings={"max_length": 20})
    spec = spec_for(q.type)
    assert spec.parse(q, {"q-t": [" <b>Hallo</b> "]}) == ("<b>Hallo</b>", [])
    value, errors = spec.parse(q, {"q-t": ["x" * 21]})
    assert value is None and "jetzt 21" in errors[0].render()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), ("2,5", 2.5), ("1.234,5", 1234.5), ("7.5", 7.5)],
)
def test_number_accepts_german_notation(raw: str, expected: float) -> None:
    q = question(QuestionType.NUMBER, key="n")
    assert spec_for(q.type).parse(q, {"q-n": [raw]}) == (expected, [])


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "Bitte geben Sie eine Zahl ein, z. B. 3."),
        ("nan", "Bitte geben Sie eine Zahl ein, z. B. 3."),
        ("-1", "Die Zahl muss mindestens 0 sein."),
        ("21", "Die Zahl darf höchstens 20 sein."),
        ("2,5", "Bitte geben Sie eine ganze Zahl ein."),
    ],
)
def test_number_bounds_and_errors(raw: str, message: str) -> None:
    q = question(QuestionType.NUMBER, key="n", settings={"min": 0, "max": 20, "integer": True})
    value, errors = spec_for(q.type).parse(q, {"q-n": [raw]})
    assert value is None and messages(errors) == [message]


def test_yes_no_counts_nein_as_answer() -> None:
    q = question(QuestionType.YESNO, key="y", required=True)
    spec = spec_for(q.type)
    value, _ = spec.parse(q, {"q-y": ["nein"]})
    assert value is False and spec.required_errors(q, value) == []
    assert spec.required_errors(q, None)
    assert spec.to_rows(q, True)[0]["num"] == 1.0
    assert spec.parse(q, {"q-y": ["vielleicht"]})[1]
