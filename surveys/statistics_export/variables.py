"""The variables of a statistics export: names, labels, value labels and missing-value codes.

One numeric variable per scale question, matrix item, single choice, yes/no and number
question; one 0/1 variable per option of a multiple choice and one rank variable per option
of a ranking; text (free text, "Sonstiges") as string variables. Meta variables first: a
running number, the survey, the day of arrival, target group, channel and language.

Why a value is missing is kept as a code (:data:`MISSING`), the same in every variable:
-1 "weiß nicht" (the scale's own choice), -2 "nicht beantwortet" (asked, left out),
-3 "nicht eingeordnet" (a ranking was answered without this option), -9 "nicht gezeigt"
(the question was not asked: another target group, or its condition did not hold). SPSS
declares them user-missing, Stata stores them as the extended missing values ``.a``, ``.b``,
``.c``, ``.i`` (the letter's place in the alphabet is the code), R's script sets them to NA.
A number question that accepts negative answers uses -999999991 ... -999999999 instead, so
that no answer can be read as a code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from surveys.exports import columns
from surveys.models import Question, QuestionType, Survey
from surveys.question_types import spec_for
from surveys.question_types.choice import other_label
from surveys.question_types.scale import dont_know_label, has_dont_know, scale_labels
from surveys.statistics_export.names import STATA_MAX, variable_names
from surveys.translations import LANGUAGES


@dataclass(frozen=True)
class MissingCode:
    """Why a value is missing: its code, its Stata letter and its label."""

    code: int
    letter: str
    label: str


DONT_KNOW = MissingCode(-1, "a", "weiß nicht")
NOT_ANSWERED = MissingCode(-2, "b", "nicht beantwortet")
NOT_RANKED = MissingCode(-3, "c", "nicht eingeordnet")
NOT_SHOWN = MissingCode(-9, "i", "nicht gezeigt")
MISSING = (DONT_KNOW, NOT_ANSWERED, NOT_RANKED, NOT_SHOWN)
#: Added to a code for number questions that accept negative answers (-2 -> -999999992).
WIDE_OFFSET = -999999990

#: Types with numeric variables. Of other types, numbers per item or cell are numeric
#: (:data:`NUMBER_KINDS`), a date is a date, the rest is exported as text, as the check page
#: shows it.
NUMERIC_TYPES = frozenset(
    {
        QuestionType.LIKERT,
        QuestionType.MATRIX,
        QuestionType.SINGLE,
        QuestionType.MULTI,
        QuestionType.RANKING,
        QuestionType.NUMBER,
        QuestionType.YESNO,
    }
)

#: Analysis kinds of types whose items or cells hold one number each (hours per service,
#: a table of numbers): one numeric variable per item or cell.
NUMBER_KINDS = frozenset({"multinumber", "numbermatrix"})

Kind = Literal["numeric", "string", "date"]
Measure = Literal["nominal", "ordinal", "scale"]


@dataclass(frozen=True)
class Variable:
    """One column of a statistics export and everything the programs are told about it."""

    #: The name in SPSS and R (at most 64 characters).
    name: str
    #: The raw export's column (``key``, ``key.item``, ``key.option``, ``key.other``).
    column: str
    label: str
    kind: Kind
    measure: Measure = "nominal"
    question: Question | None = None
    #: The part of the question: a matrix item, an option, ``"other"`` or ``None``.
    part: object = None
    #: Value labels of the valid values.
    values: dict[int, str] = field(default_factory=dict)
    #: The missing-value codes this variable can hold (their label may be the question's).
    missing: tuple[MissingCode, ...] = ()
    #: The codes stored in the data, by reason (differs from ``code`` for wide codes).
    codes: dict[int, int] = field(default_factory=dict)
    #: The name in Stata (at most 28 characters; empty: the same as :attr:`name`).
    stata: str = ""
    #: A single choice's value per option code (:func:`option_values`).
    option_codes: dict[str, int] = field(default_factory=dict)

    @property
    def stata_name(self) -> str:
        """The variable's name in Stata."""
        return self.stata or self.name

    def code(self, reason: MissingCode) -> int:
        """The value stored in the data for ``reason``."""
        return self.codes.get(reason.code, reason.code)

    def missing_labels(self) -> dict[int, str]:
        """Value labels of the missing codes, by stored value."""
        return {self.code(m): m.label for m in self.missing}


META = (
    Variable("response_id", "response_id", "Laufende Nummer des Antwortbogens", "numeric"),
    Variable("survey", "survey", "Umfrage (Kurzname)", "string"),
    Variable("submitted_on", "submitted_on", "Tag des Eingangs", "date"),
    Variable("target_group", "target_group", "Zielgruppe", "string"),
    Variable("channel", "channel", "Weg (online, paper: Papierbogen)", "string"),
    Variable("language", "language", "Sprache des Fragebogens", "string"),
)


def _integer_codes(question: Question) -> dict[str, int] | None:
    """The option codes as values when all are whole numbers from 0 (``"1"`` -> 1)."""
    codes = [o.code.strip() for o in question.options]
    if all(c.isdigit() and len(c) <= 6 for c in codes) and len(set(map(int, codes))) == len(codes):
        return {o.code: int(o.code.strip()) for o in question.options}
    return None


def _baseline_question(question: Question, seen: frozenset[int]) -> Question | None:
    """The single choice with the same key in the baseline of the question's survey."""
    survey = question.survey
    baseline = survey.baseline if survey is not None else None
    if baseline is None or baseline.id in seen:
        return None
    return next(
        (
            q
            for q in baseline.questions()
            if q.key == question.key and q.type == QuestionType.SINGLE
        ),
        None,
    )


def option_values(question: Question, seen: frozenset[int] = frozenset()) -> dict[str, int]:
    """The value of each option of a single choice.

    Its code if every code is a whole number (``"1"`` -> 1). Otherwise, when the survey's
    baseline asks the same question, an option keeps the value it has there and a new option
    comes after the baseline's highest value, so the files of both merge even if options
    were inserted or reordered; without a baseline, its place in the list (1, 2, ...).
    """
    integer = _integer_codes(question)
    if integer is not None:
        return integer
    earlier = _baseline_question(question, seen | {question.survey_id})
    if earlier is None:
        return {o.code: n for n, o in enumerate(question.options, 1)}
    before = option_values(earlier, seen | {question.survey_id})
    values = {o.code: before[o.code] for o in question.options if o.code in before}
    following = max(before.values(), default=0) + 1
    for option in question.options:
        if option.code not in values:
            values[option.code] = following
            following += 1
    return values


def _wide(question: Question) -> bool:
    """Whether answers may be negative, so the missing codes must lie far outside them."""
    if question.type not in NUMERIC_TYPES:
        return True  # numbers of a newer type: their bounds are the type's business
    low = (question.settings or {}).get("min")
    return question.type == QuestionType.NUMBER and (low is None or low < 0)


def _label(question: Question, part: object) -> str:
    if part is None:
        return question.text
    if part == "other":
        return f"{question.text} – {other_label(question)} (Text)"
    pieces = part if isinstance(part, tuple) else (part,)
    words = [str(getattr(p, "text", None) or getattr(p, "label", None) or p) for p in pieces]
    return f"{question.text} – {' – '.join(words)}"


def _numeric(question: Question, part: object) -> tuple[Measure, dict[int, str], list[MissingCode]]:
    """Measure, value labels and missing codes of a numeric variable of ``question``."""
    kind = question.type
    missing = [NOT_ANSWERED, NOT_SHOWN]
    if kind in (QuestionType.LIKERT, QuestionType.MATRIX):
        if has_dont_know(question):
            missing.insert(0, MissingCode(-1, "a", dont_know_label(question)))
        return "ordinal", dict(enumerate(scale_labels(question), start=1)), missing
    if kind == QuestionType.SINGLE:
        labels = {o.code: o.label for o in question.options}
        by_value = {v: labels[c] for c, v in option_values(question).items()}
        return "nominal", dict(sorted(by_value.items())), missing
    if kind == QuestionType.MULTI:
        return "nominal", {0: "nicht gewählt", 1: "gewählt"}, missing
    if kind == QuestionType.RANKING:
        places = {n: f"Platz {n}" for n in range(1, len(question.options) + 1)}
        return "ordinal", places, [NOT_ANSWERED, NOT_RANKED, NOT_SHOWN]
    if kind == QuestionType.YESNO:
        return "nominal", {0: "nein", 1: "ja"}, missing
    return "scale", {}, missing  # number


def _kind_of(question: Question, part: object) -> Kind:
    """Numeric for the known types (texts aside) and for the numbers of a newer type's
    items or cells; a date for a date question; text for everything else."""
    if question.type in NUMERIC_TYPES:
        return "string" if part == "other" else "numeric"
    analysis = spec_for(question.type).analysis_kind
    if analysis in NUMBER_KINDS and part is not None:
        return "numeric"
    if analysis == "date" and part is None:
        return "date"
    return "string"


def survey_variables(survey: Survey) -> list[Variable]:
    """Every variable of the statistics exports of ``survey``, meta variables first."""
    cols = columns(survey)
    fixed = [m.name for m in META]
    names = variable_names([name for name, _, _ in cols], fixed=fixed)
    stata = variable_names([name for name, _, _ in cols], fixed=fixed, limit=STATA_MAX)
    result = list(META)
    for name, stata_name, (column, question, part) in zip(names, stata, cols, strict=True):
        label = _label(question, part)
        kind = _kind_of(question, part)
        if kind != "numeric":
            result.append(
                Variable(name, column, label, kind, question=question, part=part, stata=stata_name)
            )
            continue
        measure, values, missing = _numeric(question, part)
        codes = {m.code: WIDE_OFFSET + m.code for m in missing} if _wide(question) else {}
        result.append(
            Variable(
                name,
                column,
                label,
                "numeric",
                measure,
                question,
                part,
                values,
                tuple(missing),
                codes,
                stata_name,
                option_values(question) if question.type == QuestionType.SINGLE else {},
            )
        )
    return result


def meta_value_labels(survey: Survey) -> dict[str, dict[str, str]]:
    """Labels of the text values of the meta variables (for the codebook)."""
    languages = {
        code: info["german"]
        if info["german"] == info["name"]
        else f"{info['german']} – {info['name']}"
        for code, info in LANGUAGES.items()
    }
    return {
        "survey": {survey.slug: survey.title},
        "target_group": {g.key: g.label for g in survey.target_groups},
        "channel": {
            "online": "online ausgefüllt",
            "paper": "Papierbogen, von der Verwaltung erfasst",
        },
        "language": languages,
    }
