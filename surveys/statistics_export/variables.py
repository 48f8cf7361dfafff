"""The variables of a statistics export: names, labels, value labels and missing-value codes.

Each question type says how each column of its raw export is held
(``QuestionTypeSpec.statistics_form``): one numeric variable per scale question, matrix item,
single choice, yes/no and number question, per field of a multiple number entry and per cell
of a table of numbers; one 0/1 variable per option of a multiple choice and one rank variable
per option of a ranking; a date variable per date question; text (free text, "Sonstiges") as
string variables. Meta variables first: a running number, the survey, the day of arrival,
target group, channel and language.

Why a value is missing is kept as a code (:data:`MISSING`), the same in every variable:
-1 "weiß nicht" (the scale's own choice), -2 "nicht beantwortet" (asked, left out),
-3 "nicht eingeordnet" (a ranking was answered without this option), -9 "nicht gezeigt"
(the question was not asked: another target group, or its condition did not hold). SPSS
declares them user-missing, Stata stores them as the extended missing values ``.a``, ``.b``,
``.c``, ``.i`` (the letter's place in the alphabet is the code), R's script sets them to NA.
Numbers that may be negative (no lower bound, or one below 0) use -999999991 ... -999999999
instead, so that no answer can be read as a code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from surveys.exports import columns
from surveys.models import Question, Survey
from surveys.question_types import spec_for
from surveys.question_types.base import StatisticsForm
from surveys.question_types.choice import other_label
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
#: Added to a code for numbers that may be negative (-2 -> -999999992).
WIDE_OFFSET = -999999990

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
    #: A single choice's value per option code (``surveys.question_types.choice.option_values``).
    option_codes: dict[str, int] = field(default_factory=dict)
    #: The most characters of a text variable (``None``: the export's default).
    characters: int | None = None

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


def _label(question: Question, part: object) -> str:
    if part is None:
        return question.text
    if part == "other":
        return f"{question.text} – {other_label(question)} (Text)"
    pieces = part if isinstance(part, tuple) else (part,)
    words = [str(getattr(p, "text", None) or getattr(p, "label", None) or p) for p in pieces]
    return f"{question.text} – {' – '.join(words)}"


def _missing(form: StatisticsForm) -> list[MissingCode]:
    """The missing-value codes of a numeric variable, by code from -1 down."""
    missing = [NOT_ANSWERED, NOT_SHOWN]
    if form.not_ranked:
        missing.insert(1, NOT_RANKED)
    if form.dont_know is not None:
        missing.insert(0, MissingCode(DONT_KNOW.code, DONT_KNOW.letter, form.dont_know))
    return missing


def survey_variables(survey: Survey) -> list[Variable]:
    """Every variable of the statistics exports of ``survey``, meta variables first."""
    cols = columns(survey)
    fixed = [m.name for m in META]
    names = variable_names([name for name, _, _ in cols], fixed=fixed)
    stata = variable_names([name for name, _, _ in cols], fixed=fixed, limit=STATA_MAX)
    result = list(META)
    for name, stata_name, (column, question, part) in zip(names, stata, cols, strict=True):
        label = _label(question, part)
        form = spec_for(question.type).statistics_form(question, part)
        if form.kind != "numeric":
            result.append(
                Variable(
                    name,
                    column,
                    label,
                    form.kind,
                    question=question,
                    part=part,
                    stata=stata_name,
                    characters=form.characters,
                )
            )
            continue
        missing = _missing(form)
        codes = {m.code: WIDE_OFFSET + m.code for m in missing} if form.wide else {}
        result.append(
            Variable(
                name,
                column,
                label,
                "numeric",
                form.measure,
                question,
                part,
                dict(form.values),
                tuple(missing),
                codes,
                stata_name,
                dict(form.option_values),
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
