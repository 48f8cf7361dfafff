"""Mehrfache Zahleneingabe (several labelled numbers) and Zahlen-Matrix (rows × columns).

Both keep one ``answer`` row per filled number: the multiple number entry by item (its
fields, e.g. age bands), the matrix by item (row) and option (column). Both check every
number against the same optional bounds; the multiple entry can also check the sum of its
numbers (at least, at most, exactly), as LimeSurvey's "Mehrfache Zahleneingabe" does.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, ClassVar

from surveys.errors import FieldError
from surveys.i18n import N_
from surveys.models import Item, Question, QuestionType
from surveys.question_types.base import (
    AnswerRow,
    ColumnPerItem,
    QuestionTypeSpec,
    RawInput,
    StatisticsForm,
    StatisticsMissing,
    StoredAnswer,
    answer_row,
    duplicate_errors,
    field_name,
    first,
    part_entry,
    statistics_number,
    unanswered_items,
)
from surveys.question_types.simple import parse_number


def _as_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def german_number(value: Any) -> str:
    """A number as Germans write it (a decimal comma)."""
    return f"{_as_number(float(value))}".replace(".", ",")


def read_number(
    question: Question, text: str, name: str
) -> tuple[int | float | None, list[FieldError]]:
    """One typed number, checked against the question's ``integer``, ``min`` and ``max``."""
    if text == "":
        return None, []
    number = parse_number(text)
    settings = question.settings or {}
    if number is None:
        return None, [FieldError(name, N_("Bitte geben Sie eine Zahl ein, z. B. 3."))]
    if settings.get("integer") and not number.is_integer():
        return None, [FieldError(name, N_("Bitte geben Sie eine ganze Zahl ein."))]
    low, high = settings.get("min"), settings.get("max")
    if low is not None and number < low:
        return None, [FieldError(name, N_("Die Zahl muss mindestens %(min)s sein."), {"min": low})]
    if high is not None and number > high:
        return None, [FieldError(name, N_("Die Zahl darf höchstens %(max)s sein."), {"max": high})]
    return _as_number(number), []


def _setting_number(
    raw: Mapping[str, str], name: str, errors: list[FieldError], prefix: str
) -> int | float | None:
    text = (raw.get(name) or "").strip()
    if not text:
        return None
    number = parse_number(text)
    if number is None:
        errors.append(FieldError(prefix + name, N_("Bitte geben Sie eine Zahl ein.")))
        return None
    return _as_number(number)


def bounds_errors(
    settings: Mapping[str, Any], low: str, high: str, prefix: str
) -> list[FieldError]:
    """Both bounds numbers, the lower not above the upper."""
    for name in (low, high):
        value = settings.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            return [FieldError(prefix + name, N_("Die Grenze muss eine Zahl sein."))]
    lo, hi = settings.get(low), settings.get(high)
    if lo is not None and hi is not None and lo > hi:
        return [FieldError(prefix + high, N_("Der Höchstwert muss über dem Mindestwert liegen."))]
    return []


def items_errors(question: Question, message: str) -> list[FieldError]:
    """At least one item, keys unique, every item with a text."""
    errors: list[FieldError] = []
    if not question.items:
        errors.append(FieldError("items", message))
    errors += duplicate_errors(
        [i.key for i in question.items],
        "items",
        N_("Die Schlüssel der Zeilen müssen eindeutig sein."),
    )
    if any(not i.text.strip() for i in question.items):
        errors.append(FieldError("items", N_("Jede Zeile braucht einen Text.")))
    return errors


class _Numbers(QuestionTypeSpec):
    """What both types share: bounds, whole numbers, designer settings, export values."""

    analysis_kind: ClassVar[str]
    SETTINGS: ClassVar[tuple[str, ...]] = ("min", "max")
    uses_items = True

    def settings_from_form(
        self, raw: Mapping[str, str], errors: list[FieldError]
    ) -> dict[str, Any] | None:
        """Bounds and sums as numbers; "Nur ganze Zahlen" as a flag."""
        settings: dict[str, Any] = {"integer": raw.get("integer") == "1"}
        for name in self.SETTINGS:
            number = _setting_number(raw, name, errors, self.setting_field(""))
            if number is not None:
                settings[name] = number
        return settings

    def designer_template(self) -> str | None:
        """``templates/questions/designer/<type>.html``."""
        return f"questions/designer/{self.type.value}.html"

    def settings_form_values(self, question: Question) -> dict[str, str]:
        """Numbers with a decimal comma, the flag as "1"."""
        settings = question.settings or {}
        shown = {
            n: german_number(settings[n]) for n in self.SETTINGS if settings.get(n) is not None
        }
        shown["integer"] = "1" if settings.get("integer") else ""
        return shown

    def validate_definition(self, question: Question) -> list[FieldError]:
        """Sane bounds."""
        return bounds_errors(question.settings or {}, "min", "max", self.setting_field(""))

    def codebook_values(self, question: Question, part: Any = None) -> list[tuple[Any, str]]:
        """A number, with its range."""
        settings = question.settings or {}
        label = "ganze Zahl" if settings.get("integer") else "Zahl"
        low, high = settings.get("min"), settings.get("max")
        if low is not None or high is not None:
            label += f" von {'…' if low is None else low} bis {'…' if high is None else high}"
        return [("", label)]

    def statistics_form(self, question: Question, part: Any) -> StatisticsForm:
        """A number per field or cell; far-off missing codes unless answers cannot be
        negative (as for a number question)."""
        low = (question.settings or {}).get("min")
        return StatisticsForm("numeric", "scale", wide=low is None or low < 0)

    def statistics_cell(
        self, question: Question, part: Any, value: Any, option_values: Mapping[str, int]
    ) -> Any:
        """The number of the field or cell, or that it was left empty."""
        entry = part_entry(part, value)
        return StatisticsMissing.NOT_ANSWERED if entry is None else statistics_number(entry)


class MultiNumberType(ColumnPerItem, _Numbers):
    """Several labelled numbers, e.g. the children of a household per age band."""

    type = QuestionType.MULTINUMBER
    label = N_("Mehrfache Zahleneingabe")
    items_label = N_("Zahlenfelder (eins pro Zeile)")
    analysis_kind = "multinumber"
    SETTINGS = ("min", "max", "sum_min", "sum_max", "sum_equals")

    def validate_definition(self, question: Question) -> list[FieldError]:
        """At least one field, sane bounds of each number and of the sum."""
        settings = question.settings or {}
        errors = items_errors(
            question, N_("Eine Mehrfache Zahleneingabe braucht mindestens ein Feld.")
        )
        errors += bounds_errors(settings, "min", "max", self.setting_field(""))
        errors += bounds_errors(settings, "sum_min", "sum_max", self.setting_field(""))
        if settings.get("sum_equals") is not None and (
            settings.get("sum_min") is not None or settings.get("sum_max") is not None
        ):
            errors.append(
                FieldError(
                    self.setting_field("sum_equals"),
                    N_("Geben Sie entweder eine feste Summe oder Grenzen der Summe an."),
                )
            )
        return errors

    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """One number per field; then the sum, if it is checked, once every number is valid."""
        value: dict[str, int | float] = {}
        errors: list[FieldError] = []
        for item in question.items:
            name = field_name(question, item.key)
            number, item_errors = read_number(question, first(raw, name), name)
            errors += item_errors
            if number is not None:
                value[item.key] = number
        if errors or not value:
            return None, errors
        sum_errors = self.sum_errors(question, value)
        return (None, sum_errors) if sum_errors else (value, [])

    def sum_errors(self, question: Question, value: Mapping[str, float]) -> list[FieldError]:
        """The checks of the sum (the fields left empty count as 0)."""
        settings = question.settings or {}
        total = _as_number(sum(value.values()))
        name = field_name(question)
        shown = german_number(total)
        if settings.get("sum_equals") is not None and total != settings["sum_equals"]:
            return [
                FieldError(
                    name,
                    N_("Die Summe muss %(total)s sein; sie ist jetzt %(sum)s."),
                    {"total": german_number(settings["sum_equals"]), "sum": shown},
                )
            ]
        if settings.get("sum_min") is not None and total < settings["sum_min"]:
            return [
                FieldError(
                    name,
                    N_("Die Summe muss mindestens %(min)s sein; sie ist jetzt %(sum)s."),
                    {"min": german_number(settings["sum_min"]), "sum": shown},
                )
            ]
        if settings.get("sum_max") is not None and total > settings["sum_max"]:
            return [
                FieldError(
                    name,
                    N_("Die Summe darf höchstens %(max)s sein; sie ist jetzt %(sum)s."),
                    {"max": german_number(settings["sum_max"]), "sum": shown},
                )
            ]
        return []

    def required_errors(self, question: Question, value: Any) -> list[FieldError]:
        """A required entry needs a number in every field (0 where there is none)."""
        return unanswered_items(
            question, value, N_("Bitte geben Sie bei „%(item)s“ eine Zahl ein (0, wenn keine).")
        )

    def redisplay(self, question: Question, raw: RawInput) -> Any:
        """The fields as typed, by item key."""
        typed = {i.key: first(raw, field_name(question, i.key)) for i in question.items}
        return {k: v for k, v in typed.items() if v} or None

    def error_anchor(self, question: Question, field: str) -> str:
        """An error of the whole entry (its sum) leads to its first field."""
        if field == field_name(question) and question.items:
            return field_name(question, question.items[0].key)
        return field

    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row per filled field."""
        ids = {i.key: i.id for i in question.items}
        return [
            answer_row(question, item_id=ids[k], num=float(v)) for k, v in value.items() if k in ids
        ]

    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """Item key: number, in item order."""
        numbers = {r.item_id: r.num for r in rows if r.num is not None}
        value = {i.key: _as_number(numbers[i.id]) for i in question.items if i.id in numbers}
        return value or None

    def display(self, question: Question, value: Any) -> str:
        """Field: number, one per line, and the sum when there are several."""
        lines = [
            f"{i.text}: {german_number(value[i.key])}" for i in question.items if i.key in value
        ]
        if len(question.items) > 1:
            lines.append(f"Summe: {german_number(sum(value.values()))}")
        return "\n".join(lines)


class NumberMatrixType(_Numbers):
    """A table of numbers: items (rows) × options (columns), e.g. Kita/Schule × Kinder/Stunden.

    Each row is drawn as its own group of labelled boxes, so that it fits a phone.
    """

    type = QuestionType.NUMBERMATRIX
    label = N_("Zahlen-Matrix")
    items_label = N_("Zeilen der Zahlen-Matrix")
    options_label = N_("Spalten der Zahlen-Matrix")
    analysis_kind = "numbermatrix"
    uses_options = True

    def validate_definition(self, question: Question) -> list[FieldError]:
        """Rows and columns, each unique and with a text; sane bounds."""
        errors = items_errors(question, N_("Eine Zahlen-Matrix braucht mindestens eine Zeile."))
        if not question.options:
            errors.append(
                FieldError("options", N_("Eine Zahlen-Matrix braucht mindestens eine Spalte."))
            )
        errors += duplicate_errors(
            [o.code for o in question.options],
            "options",
            N_("Die Codes der Spalten müssen eindeutig sein."),
        )
        if any(not o.label.strip() for o in question.options):
            errors.append(FieldError("options", N_("Jede Spalte braucht eine Beschriftung.")))
        return errors + super().validate_definition(question)

    @staticmethod
    def cell_name(question: Question, item: Item, code: str) -> str:
        """The input name of one cell."""
        return field_name(question, f"{item.key}-{code}")

    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """One number per cell; empty cells are left out."""
        value: dict[str, dict[str, int | float]] = {}
        errors: list[FieldError] = []
        for item in question.items:
            for option in question.options:
                name = self.cell_name(question, item, option.code)
                number, cell_errors = read_number(question, first(raw, name), name)
                errors += cell_errors
                if number is not None:
                    value.setdefault(item.key, {})[option.code] = number
        return (None if errors or not value else value), errors

    def required_errors(self, question: Question, value: Any) -> list[FieldError]:
        """A required matrix needs every cell; one error per incomplete row."""
        codes = [o.code for o in question.options]
        return unanswered_items(
            question,
            value,
            N_("Bitte füllen Sie die Zeile „%(item)s“ ganz aus (0, wenn keine)."),
            complete=lambda row: all(code in row for code in codes),
        )

    def redisplay(self, question: Question, raw: RawInput) -> Any:
        """The cells as typed, by item key and column code."""
        typed: dict[str, dict[str, str]] = {}
        for item in question.items:
            for option in question.options:
                text = first(raw, self.cell_name(question, item, option.code))
                if text:
                    typed.setdefault(item.key, {})[option.code] = text
        return typed or None

    def error_anchor(self, question: Question, field: str) -> str:
        """A row's error leads to its first cell, the question's to the very first."""
        if not question.items or not question.options:
            return field
        code = question.options[0].code
        if field == field_name(question):
            return self.cell_name(question, question.items[0], code)
        item = next((i for i in question.items if field == field_name(question, i.key)), None)
        return self.cell_name(question, item, code) if item is not None else field

    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row per filled cell, with its item and option."""
        items = {i.key: i.id for i in question.items}
        options = {o.code: o.id for o in question.options}
        return [
            answer_row(question, item_id=items[k], option_id=options[c], num=float(n))
            for k, cells in value.items()
            if k in items
            for c, n in cells.items()
            if c in options
        ]

    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """Item key: {column code: number}, in item and column order."""
        cells = {(r.item_id, r.option_id): r.num for r in rows if r.num is not None}
        value: dict[str, dict[str, int | float]] = {}
        for item in question.items:
            for option in question.options:
                if (item.id, option.id) in cells:
                    number = cells[(item.id, option.id)]
                    assert number is not None
                    value.setdefault(item.key, {})[option.code] = _as_number(number)
        return value or None

    def display(self, question: Question, value: Any) -> str:
        """One line per row: "Kita: Kinder 2, Stunden pro Woche 30"."""
        labels = {o.code: o.label for o in question.options}
        lines = []
        for item in question.items:
            cells = value.get(item.key) or {}
            if cells:
                parts = ", ".join(f"{labels[c]} {german_number(n)}" for c, n in cells.items())
                lines.append(f"{item.text}: {parts}")
        return "\n".join(lines)

    def export_columns(self, question: Question) -> list[tuple[str, Any]]:
        """One column per cell: ``<key>.<item>.<column>``."""
        return [
            (f"{question.key}.{i.key}.{o.code}", (i, o))
            for i in question.items
            for o in question.options
        ]

    def export_slot(self, part: Any) -> Hashable:
        """Columns are told apart by item and option."""
        item, option = part
        return (item.id, option.id)

    def row_slot(self, item_id: int | None, option_id: int | None) -> Hashable:
        """An answer row goes to the column of its cell."""
        return (item_id, option_id)

    @staticmethod
    def part_text(part: Any) -> str:
        """Row and column: "Kita – Kinder"."""
        if isinstance(part, tuple):
            item, option = part
            return f"{item.text} – {option.label}"
        return QuestionTypeSpec.part_text(part)
