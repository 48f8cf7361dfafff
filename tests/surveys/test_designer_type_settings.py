"""The older question types read their designer settings themselves (issue #16)."""

from __future__ import annotations

from surveys.designer_form import QuestionValues, settings_from_values
from surveys.errors import FieldError
from surveys.models import QuestionType


def _settings(qtype: QuestionType, **typed: object) -> tuple[dict, list[FieldError]]:
    errors: list[FieldError] = []
    values = QuestionValues(key="k", type=qtype.value, text="Frage", **typed)  # type: ignore[arg-type]
    return settings_from_values(qtype, values, errors), errors


def test_each_type_reads_only_its_own_inputs() -> None:
    # Inputs of other types' hidden blocks are posted too; they never reach the settings.
    noise = {"max_choices": "x", "rank_count": "y", "min": "z", "max_length": "0", "scale": "a"}
    assert _settings(QuestionType.SINGLE, **noise) == ({}, [])
    assert _settings(QuestionType.YESNO, **noise) == ({}, [])
    settings, errors = _settings(QuestionType.TEXT, **{**noise, "max_length": "120"})
    assert (settings, errors) == ({"max_length": 120, "multiline": False}, [])


def test_multi_and_ranking() -> None:
    assert _settings(QuestionType.MULTI, other=True, other_label=" Anderes ", max_choices="2") == (
        {"other": True, "other_label": "Anderes", "max_choices": 2},
        [],
    )
    settings, errors = _settings(QuestionType.RANKING, rank_count="2,5")
    assert settings == {}
    assert [(e.field, e.message) for e in errors] == [
        ("rank_count", "Bitte geben Sie eine ganze Zahl ein.")
    ]


def test_number_bounds_in_order_with_decimal_comma() -> None:
    assert _settings(QuestionType.NUMBER, min="1,5", max="10", integer=False, unit=" km ") == (
        {"min": 1.5, "max": 10, "integer": False, "unit": "km"},
        [],
    )
    settings, errors = _settings(QuestionType.NUMBER, min="10", max="1")
    assert [e.field for e in errors] == ["max"]
    settings, errors = _settings(QuestionType.NUMBER, min="zehn")
    assert [(e.field, e.message) for e in errors] == [("min", "Bitte geben Sie eine Zahl ein.")]


def test_scale_types_share_the_steps() -> None:
    for qtype in (QuestionType.LIKERT, QuestionType.MATRIX):
        assert _settings(
            qtype, scale="nie\n\n oft \n", dont_know=True, dont_know_label="k. A."
        ) == (
            {"scale": ["nie", "oft"], "dont_know": True, "dont_know_label": "k. A."},
            [],
        )


def test_text_length_at_least_one() -> None:
    settings, errors = _settings(QuestionType.TEXT, max_length="0", multiline=True)
    assert settings == {"max_length": 0, "multiline": True}
    assert [e.field for e in errors] == ["max_length"]


def test_edit_form_shows_what_saving_reads_back() -> None:
    # What the edit form shows for a stored question, posted unchanged, gives the same settings.
    from surveys.models import Question
    from surveys.question_types import spec_for

    stored = {
        QuestionType.MULTI: {"other": True, "other_label": "Anderes", "max_choices": 2},
        QuestionType.RANKING: {"rank_count": 3},
        QuestionType.NUMBER: {"min": 0.5, "max": 99, "integer": False, "unit": "km"},
        QuestionType.TEXT: {"max_length": 200, "multiline": True},
        QuestionType.LIKERT: {"scale": ["nie", "oft"], "dont_know": True, "dont_know_label": "?"},
        QuestionType.MATRIX: {"scale": ["ja", "nein"], "dont_know": False},
    }
    for qtype, settings in stored.items():
        shown = spec_for(qtype).settings_form_values(Question(type=qtype, settings=settings))
        assert set(shown) == set(spec_for(qtype).plain_settings)
        assert _settings(qtype, **shown) == (settings, [])
