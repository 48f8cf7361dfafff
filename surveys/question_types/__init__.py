"""Registry of question types: one class per type, looked up by :class:`QuestionType`."""

from __future__ import annotations

from surveys.models import QuestionType
from surveys.question_types.base import QuestionTypeSpec, RawInput, field_name
from surveys.question_types.choice import MultiChoiceType, RankingType, SingleChoiceType
from surveys.question_types.date import DateType
from surveys.question_types.numbers import MultiNumberType, NumberMatrixType
from surveys.question_types.scale import DONT_KNOW, LikertType, MatrixType
from surveys.question_types.simple import NumberType, TextType, YesNoType

REGISTRY: dict[QuestionType, QuestionTypeSpec] = {
    spec.type: spec
    for spec in (
        LikertType(),
        MatrixType(),
        SingleChoiceType(),
        MultiChoiceType(),
        RankingType(),
        TextType(),
        NumberType(),
        YesNoType(),
        DateType(),
        MultiNumberType(),
        NumberMatrixType(),
    )
}


def spec_for(question_type: QuestionType | str) -> QuestionTypeSpec:
    """Return the behaviour of a question type."""
    return REGISTRY[QuestionType(question_type)]


__all__ = ["DONT_KNOW", "REGISTRY", "QuestionTypeSpec", "RawInput", "field_name", "spec_for"]
