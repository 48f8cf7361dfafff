"""The contract every question type fulfils: definition rules, parsing, storage, analysis kind.

Raw input is a plain mapping of form field names to lists of strings (what an HTML form
posts), so the domain never sees Flask. Values are JSON-serialisable so that drafts can
hold them unchanged.
"""

from __future__ import annotations

import dataclasses
import enum
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, ClassVar, Literal, Protocol

from surveys.errors import FieldError
from surveys.i18n import N_
from surveys.models import Question, QuestionType

RawInput = Mapping[str, Sequence[str]]
#: A row for the ``answer`` table without ``response_id``.
AnswerRow = dict[str, Any]


class StoredAnswer(Protocol):
    """The columns of a stored ``answer`` row that :meth:`QuestionTypeSpec.from_rows` reads."""

    item_id: int | None
    option_id: int | None
    num: float | None
    text: str | None
    dont_know: bool


class StatisticsMissing(enum.Enum):
    """Why a cell of a statistics export holds no value although its question was answered
    (the export stores each reason's code; "nicht gezeigt" it knows itself)."""

    #: The scale's own "weiß nicht".
    DONT_KNOW = "dont_know"
    #: This part of the answer was left out (a matrix item, a field of a number entry).
    NOT_ANSWERED = "not_answered"
    #: A ranking was answered without this option.
    NOT_RANKED = "not_ranked"


@dataclasses.dataclass(frozen=True)
class StatisticsForm:
    """How one column of the raw export is held in the SPSS, Stata and R files
    (:mod:`surveys.statistics_export`)."""

    #: ``numeric`` (codes or numbers), ``string`` (text) or ``date`` (a calendar day).
    kind: Literal["numeric", "string", "date"] = "string"
    #: The level of measurement of a numeric variable.
    measure: Literal["nominal", "ordinal", "scale"] = "nominal"
    #: Value labels of the valid values of a numeric variable.
    values: Mapping[int, str] = dataclasses.field(default_factory=dict)
    #: The label of the type's own "weiß nicht" (code -1), ``None`` without one.
    dont_know: str | None = None
    #: Whether an answered question may leave this part unranked (code -3).
    not_ranked: bool = False
    #: Whether answers may be negative, so the missing codes lie far outside them.
    wide: bool = False
    #: A single choice's value per option code (the cell is the chosen option's value).
    option_values: Mapping[str, int] = dataclasses.field(default_factory=dict)
    #: The most characters a text may have (``None``: the export's default for texts).
    characters: int | None = None


def condition_number(value: Any) -> float | None:
    """A condition's value (or an answer) as a number: ``2``, ``"1,5"``; ``None`` otherwise
    (``True``/``False`` are no numbers)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None


def statistics_number(value: Any) -> int | float:
    """A number as the statistics files hold it: whole numbers as ``int``."""
    number = float(value)
    return int(number) if number.is_integer() else number


def part_entry(part: Any, value: Any) -> Any:
    """A part's own entry of an answer: a part is an item or option, or a tuple of them (a
    cell of a table of numbers), found by their keys or codes in nested dictionaries;
    ``None`` when the answer has none."""
    entry = value
    for piece in part if isinstance(part, tuple) else (part,):
        key = getattr(piece, "key", None) or getattr(piece, "code", None) or piece
        if not isinstance(entry, dict) or key not in entry:
            return None
        entry = entry[key]
    return entry


def field_name(question: Question, suffix: str | None = None) -> str:
    """Return the HTML input name of a question (or of one of its parts)."""
    base = f"q-{question.key}"
    return f"{base}-{suffix}" if suffix else base


def first(raw: RawInput, name: str) -> str:
    """Return the first submitted value of ``name`` stripped, or ``""``."""
    values = raw.get(name) or []
    return values[0].strip() if values else ""


def answer_row(question: Question, **values: Any) -> AnswerRow:
    """Build an answer row with every column present, so bulk inserts stay uniform."""
    row: AnswerRow = {
        "question_id": question.id,
        "item_id": None,
        "option_id": None,
        "num": None,
        "text": None,
        "dont_know": False,
    }
    row.update(values)
    return row


class QuestionTypeSpec(ABC):
    """Behaviour of one question type. Subclasses live one per module."""

    type: ClassVar[QuestionType]
    #: Short German name shown in the designer.
    label: ClassVar[str]
    #: How the analysis treats its values: scale, choice, multi, ranking, text, number, binary,
    #: date, multinumber, numbermatrix.
    analysis_kind: ClassVar[str]
    #: Where the type is drawn: ``citizen`` (the input, also in the staff preview), ``paper``
    #: (the printed sheet) and ``entry`` (staff typing in a sheet; the citizen input unless
    #: the type has a partial of its own there).
    VIEWS: ClassVar[tuple[str, ...]] = ("citizen", "paper", "entry")
    #: Views that fall back to another view's partial when the type has none of its own.
    FALLBACK: ClassVar[dict[str, str]] = {"entry": "citizen"}
    #: Whether the designer's lines of answer options (``Option`` rows) belong to this type.
    uses_options: ClassVar[bool] = False
    #: Whether the designer's lines of items (``Item`` rows, e.g. matrix rows) belong to it.
    uses_items: ClassVar[bool] = False
    #: The label of the designer's options lines for this type (shared by the option types).
    options_label: ClassVar[str] = N_("Antwortmöglichkeiten")
    #: The label of the designer's items lines for this type.
    items_label: ClassVar[str] = N_("Aussagen (Zeilen der Matrix)")
    #: Whether the designer's scale steps ("weiß nicht", reversal) belong to it (likert, matrix).
    uses_scale: ClassVar[bool] = False
    #: Whether the designer offers single items of it to be reversed (the matrix).
    reverses_items: ClassVar[bool] = False
    #: Whether its answers can break the analysis down (the designer's breakdown checkbox).
    offers_breakdown: ClassVar[bool] = False
    #: Whether it has a designer partial ``templates/questions/designer/<type>.html``.
    designer_partial: ClassVar[bool] = False
    #: The designer's plain inputs the type reads its settings from (older types; ``raw`` of
    #: :meth:`settings_from_form` by these names). Empty: the ``setting_<type>_<name>`` inputs.
    plain_settings: ClassVar[tuple[str, ...]] = ()
    #: The condition operators a later question may apply to this type's answer.
    condition_operators: ClassVar[tuple[str, ...]] = ("answered",)
    #: How the condition builder takes the value of a rule on this type's answer: ``number``
    #: (typed into the number box, stored as a number), ``code`` (picked from
    #: :meth:`condition_choices`, stored as text) or ``point`` (picked, stored as a number);
    #: empty when only "beantwortet" fits.
    condition_input: ClassVar[Literal["", "number", "code", "point"]] = ""

    def templates(self, view: str) -> list[str]:
        """The partial templates that may draw this type in ``view``, first existing wins
        (what Jinja's ``include`` takes)."""
        if view not in self.VIEWS:
            raise ValueError(f"unknown view {view!r}")
        names = [f"questions/{view}/{self.type.value}.html"]
        if view in self.FALLBACK:
            names += self.templates(self.FALLBACK[view])
        return names

    def validate_definition(self, question: Question) -> list[FieldError]:
        """Return the problems of the question's type-specific configuration."""
        return []

    @abstractmethod
    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """Turn raw form input into a value (``None`` when unanswered) and its errors.

        Required-ness is checked by the caller with :meth:`is_empty`.
        """

    def is_empty(self, value: Any) -> bool:
        """Return whether ``value`` counts as not answered."""
        return value is None or value == "" or value == [] or value == {}

    @abstractmethod
    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """Turn a parsed, non-empty value into rows of the ``answer`` table."""

    @abstractmethod
    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """Turn the stored rows of one answer back into its value (``None`` without rows).

        The inverse of :meth:`to_rows`: correcting a typed-in paper form starts from it.
        """

    @abstractmethod
    def display(self, question: Question, value: Any) -> str:
        """Return a short German text of the value, for the check-your-answers page."""

    def required_errors(self, question: Question, value: Any) -> list[FieldError]:
        """Return the errors of a required question that is not (fully) answered."""
        if self.is_empty(value):
            return [FieldError(field_name(question), N_("Bitte beantworten Sie diese Frage."))]
        return []

    def redisplay(self, question: Question, raw: RawInput) -> Any:
        """What a page shows again after an error: the input as typed, invalid or not
        (``None`` without input). Nothing of it is stored."""
        return first(raw, field_name(question)) or None

    def error_anchor(self, question: Question, field: str) -> str:
        """The id of the input an error on ``field`` leads to (the error summary's link):
        by default the input named ``field`` (a number, a text, a ranking's select)."""
        return field

    # -- conditions on its answer ----------------------------------------------------------

    def condition_choices(
        self, question: Question, translate: Callable[[str], str] = lambda text: text
    ) -> list[tuple[str, str]]:
        """The values the condition builder offers to pick for a rule on this question:
        ``(value, label)``; ``translate`` is gettext in the web layer (for fixed words)."""
        return []

    def condition_value_errors(
        self, question: Question, values: Sequence[Any], field: str
    ) -> list[FieldError]:
        """The errors of a rule's values on this question's answer (its operator fits the
        type and is not "beantwortet"), at the rule's value input ``field``."""
        return []

    # -- the designer --------------------------------------------------------------------

    def settings_from_form(
        self, raw: Mapping[str, str], errors: list[FieldError]
    ) -> dict[str, Any] | None:
        """The type's settings from the designer's inputs (``raw`` by ``<name>``: the
        :meth:`setting_field` inputs, or the :attr:`plain_settings`, flags as ``"1"``),
        appending German errors at the input concerned."""
        return {}

    def settings_form_values(self, question: Question) -> dict[str, Any]:
        """The type's settings as the designer's inputs show them (by ``<name>`` of the
        :meth:`setting_field` inputs, or the :attr:`plain_settings`, flags as booleans)."""
        return {}

    def setting_field(self, name: str) -> str:
        """The designer's input (and error field) of the setting ``name`` of this type:
        ``setting_<type>_<name>``, so that the hidden blocks of other types never clash."""
        return f"setting_{self.type.value}_{name}"

    def designer_template(self) -> str | None:
        """The designer's partial of the type's own settings (``None``: it has none). The
        partials of the older types still use the plain input names that
        :mod:`surveys.designer_form` reads; newer ones use :meth:`setting_field` inputs."""
        return f"questions/designer/{self.type.value}.html" if self.designer_partial else None

    # -- the raw export and its codebook ---------------------------------------------------

    def export_columns(self, question: Question) -> list[tuple[str, Any]]:
        """The export's columns of this question: ``(name, part)``, part an item, an option,
        a marker string or ``None`` (one column for the question)."""
        return [(question.key, None)]

    def export_slot(self, part: Any) -> Hashable:
        """What tells a column of :meth:`export_columns` apart (see :meth:`row_slot`)."""
        return None

    def row_slot(self, item_id: int | None, option_id: int | None) -> Hashable:
        """The slot an answer row with these ids goes to (equal to one column's slot)."""
        return None

    #: Whether :meth:`workbook_cell` changes cells (the XLSX export converts only those columns).
    typed_workbook_cells: ClassVar[bool] = False

    def workbook_cell(self, cell: Any) -> Any:
        """An export cell as a workbook holds it (a date: a date cell); CSV keeps the text."""
        return cell

    def export_value(
        self, option_id: int | None, num: Any, text: str | None, codes: Mapping[int, str]
    ) -> Any:
        """The cell of one stored answer row (not "weiß nicht"): its text, else its number."""
        if text is not None:
            return text
        if num is not None:
            return int(num) if float(num).is_integer() else num
        return ""

    def codebook_values(self, question: Question, part: Any = None) -> list[tuple[Any, str]]:
        """The codebook's ``(value, label)`` rows of one column."""
        return [("", "Zahl")]

    @staticmethod
    def part_text(part: Any) -> str:
        """The wording of a column's part in the codebook."""
        return str(getattr(part, "text", None) or getattr(part, "label", None) or "Sonstiges")

    # -- the statistics exports (SPSS, Stata, R) -------------------------------------------

    def statistics_form(self, question: Question, part: Any) -> StatisticsForm:
        """How the column ``part`` (of :meth:`export_columns`) is held in the statistics
        files; by default a text, as the check page shows the answer."""
        return StatisticsForm()

    def statistics_cell(
        self, question: Question, part: Any, value: Any, option_values: Mapping[str, int]
    ) -> Any:
        """The cell of the column ``part`` of an answered question (``value`` as
        :meth:`from_rows` gives it): a number, a text, a date, ``None`` (an empty text) or a
        :class:`StatisticsMissing` reason; ``option_values`` are those of
        :meth:`statistics_form`."""
        if part is None:
            return self.display(question, value)
        entry = part_entry(part, value)
        return None if entry is None else str(entry)


class ColumnPerItem:
    """Export for types with one value per item (a matrix, a multiple number entry): one
    column per item, told apart by the item; mixed in before :class:`QuestionTypeSpec`."""

    def export_columns(self, question: Question) -> list[tuple[str, Any]]:
        """One column per item."""
        return [(f"{question.key}.{i.key}", i) for i in question.items]

    def export_slot(self, part: Any) -> Hashable:
        """Columns are told apart by their item."""
        return int(part.id)

    def row_slot(self, item_id: int | None, option_id: int | None) -> Hashable:
        """An answer row goes to its item's column."""
        return item_id


def option_codes(question: Question) -> dict[str, int]:
    """Map option code to option id."""
    return {o.code: o.id for o in question.options}


def option_labels(question: Question) -> dict[str, str]:
    """Map option code to its label."""
    return {o.code: o.label for o in question.options}


def unanswered_items(
    question: Question, value: Any, message: str, complete: Any = None
) -> list[FieldError]:
    """One error per item of ``question`` that ``value`` (answers by item key) lacks.

    ``complete(answer)`` says whether an item's answer is whole (default: it is there);
    ``message`` quotes the item as ``%(item)s``.
    """
    answered = value or {}
    return [
        FieldError(field_name(question, item.key), message, {"item": item.text})
        for item in question.items
        if item.key not in answered or (complete is not None and not complete(answered[item.key]))
    ]


def duplicate_errors(values: Sequence[str], field: str, message: str) -> list[FieldError]:
    """Return one error if ``values`` has duplicates (ignoring case and blanks)."""
    seen = [v.strip().casefold() for v in values]
    if len(seen) != len(set(seen)):
        return [FieldError(field, message)]
    return []


def designer_number(
    raw: Mapping[str, str], name: str, errors: list[FieldError], integer: bool
) -> Any:
    """The number typed into the designer's input ``name`` (decimal comma or point), ``None``
    when empty or invalid (then with a German error at ``name``)."""
    text = str(raw.get(name, "")).strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        errors.append(FieldError(name, N_("Bitte geben Sie eine Zahl ein.")))
        return None
    if integer:
        if not number.is_integer():
            errors.append(FieldError(name, N_("Bitte geben Sie eine ganze Zahl ein.")))
            return None
        return int(number)
    return int(number) if number.is_integer() else number


def choice_condition_errors(
    question: Question, values: Sequence[Any], field: str
) -> list[FieldError]:
    """A rule's values must be option codes of the trigger question."""
    codes = {o.code for o in question.options}
    if not values or any(v not in codes for v in values):
        return [
            FieldError(
                field,
                N_("Der Wert der Bedingung ist keine Antwortmöglichkeit der Frage „%(key)s“."),
                {"key": question.key},
            )
        ]
    return []


def number_condition_errors(values: Sequence[Any], field: str) -> list[FieldError]:
    """A rule's values must be numbers."""
    if not values or any(v in (None, "") or condition_number(v) is None for v in values):
        return [FieldError(field, N_("Bitte geben Sie eine Zahl ein, z. B. 2 oder 1,5."))]
    return []
