"""Datum: a calendar day typed as day, month and year (the GOV.UK date input pattern).

Three short text boxes instead of ``<input type=date>``: they work the same in every browser
and screen reader, on paper and when staff type in a sheet, and take what people know by
heart ("3", "10", "1987"). The answer is stored as one ``answer`` row holding the ISO date in
``text`` and the day number since 1970-01-01 in ``num`` (what the analysis computes with).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, ClassVar

from surveys.errors import FieldError
from surveys.i18n import N_
from surveys.models import Question, QuestionType
from surveys.question_types.base import (
    AnswerRow,
    QuestionTypeSpec,
    RawInput,
    StatisticsForm,
    StoredAnswer,
    answer_row,
    field_name,
    first,
)

EPOCH = date(1970, 1, 1)
PARTS = ("day", "month", "year")
#: Bounds of what a date question accepts at all (a year with four digits).
EARLIEST_YEAR, LATEST_YEAR = 1000, 9999


def day_number(day: date) -> int:
    """The number of days since 1970-01-01 (negative before), as the ``num`` column holds it."""
    return (day - EPOCH).days


def from_day_number(number: float) -> date:
    """The date of a day number (the inverse of :func:`day_number`)."""
    return EPOCH + timedelta(days=int(number))


def german(day: date) -> str:
    """The date as Germans write it: 01.01.2020."""
    return day.strftime("%d.%m.") + f"{day.year:04d}"


def parse_german_date(text: str) -> date | None:
    """Read a designer setting: "TT.MM.JJJJ" or ISO "JJJJ-MM-TT" (``None`` if neither)."""
    text = text.strip()
    try:
        if "." in text:
            day, month, year = (int(p) for p in text.split("."))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None


def bound(question: Question, name: str) -> date | None:
    """The earliest (``min_date``) or latest (``max_date``) allowed day, if set."""
    value = (question.settings or {}).get(name)
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class DateType(QuestionTypeSpec):
    """A day, month and year; optionally on or after and on or before given days."""

    type = QuestionType.DATE
    label = N_("Datum")
    analysis_kind = "date"
    SETTINGS: ClassVar[tuple[str, ...]] = ("min_date", "max_date")

    def validate_definition(self, question: Question) -> list[FieldError]:
        """Bounds are ISO dates, the earliest not after the latest."""
        errors = []
        for name in self.SETTINGS:
            value = (question.settings or {}).get(name)
            if value is not None and bound(question, name) is None:
                errors.append(
                    FieldError(
                        self.setting_field(name),
                        N_("Bitte geben Sie ein Datum wie 31.12.2026 ein."),
                    )
                )
        low, high = bound(question, "min_date"), bound(question, "max_date")
        if low and high and low > high:
            errors.append(
                FieldError(
                    self.setting_field("max_date"),
                    N_("Das späteste Datum darf nicht vor dem frühesten liegen."),
                )
            )
        return errors

    def settings_from_form(
        self, raw: Mapping[str, str], errors: list[FieldError]
    ) -> dict[str, Any] | None:
        """The earliest and latest day, typed as TT.MM.JJJJ, stored as ISO dates."""
        settings: dict[str, Any] = {}
        for name in self.SETTINGS:
            text = (raw.get(name) or "").strip()
            if not text:
                continue
            day = parse_german_date(text)
            if day is None:
                errors.append(
                    FieldError(
                        self.setting_field(name),
                        N_("Bitte geben Sie ein Datum wie 31.12.2026 ein."),
                    )
                )
                continue
            settings[name] = day.isoformat()
        return settings

    def designer_template(self) -> str | None:
        """``templates/questions/designer/<type>.html``."""
        return f"questions/designer/{self.type.value}.html"

    def settings_form_values(self, question: Question) -> dict[str, str]:
        """The bounds as the designer shows them (TT.MM.JJJJ)."""
        return {
            name: german(day)
            for name in self.SETTINGS
            if (day := bound(question, name)) is not None
        }

    def parts(self, raw: RawInput, question: Question) -> dict[str, str]:
        """The three boxes as typed (stripped)."""
        return {part: first(raw, field_name(question, part)) for part in PARTS}

    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """Read day, month and year; say which part is missing or why the date is not real."""
        name = field_name(question)
        typed = self.parts(raw, question)
        if not any(typed.values()):
            return None, []
        missing = [part for part in PARTS if not typed[part]]
        if missing:
            message = {
                ("day",): N_("Das Datum muss einen Tag enthalten."),
                ("month",): N_("Das Datum muss einen Monat enthalten."),
                ("year",): N_("Das Datum muss ein Jahr enthalten."),
                ("day", "month"): N_("Das Datum muss einen Tag und einen Monat enthalten."),
                ("day", "year"): N_("Das Datum muss einen Tag und ein Jahr enthalten."),
                ("month", "year"): N_("Das Datum muss einen Monat und ein Jahr enthalten."),
            }[tuple(missing)]
            return None, [FieldError(name, message)]
        if not all(v.isdigit() for v in typed.values()):
            return None, [FieldError(name, N_("Das Datum darf nur aus Ziffern bestehen."))]
        if len(typed["year"]) != 4:
            return None, [FieldError(name, N_("Das Jahr muss vier Ziffern haben, z. B. 2026."))]
        try:
            day = date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
        except ValueError:
            return None, [FieldError(name, N_("Das Datum muss ein echtes Datum sein."))]
        low, high = bound(question, "min_date"), bound(question, "max_date")
        if low is not None and day < low:
            return None, [
                FieldError(
                    name,
                    N_("Das Datum muss am oder nach dem %(date)s liegen."),
                    {"date": german(low)},
                )
            ]
        if high is not None and day > high:
            return None, [
                FieldError(
                    name,
                    N_("Das Datum muss am oder vor dem %(date)s liegen."),
                    {"date": german(high)},
                )
            ]
        return day.isoformat(), []

    def redisplay(self, question: Question, raw: RawInput) -> Any:
        """The three boxes exactly as typed, so a wrong date can be corrected in place."""
        typed = {part: (raw.get(field_name(question, part)) or [""])[0] for part in PARTS}
        return typed if any(v.strip() for v in typed.values()) else None

    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row: the ISO date as text, the day number for computing."""
        day = date.fromisoformat(value)
        return [answer_row(question, text=day.isoformat(), num=float(day_number(day)))]

    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """The ISO date of the one row."""
        if not rows:
            return None
        row = rows[0]
        if row.text:
            return row.text
        return from_day_number(row.num).isoformat() if row.num is not None else None

    def display(self, question: Question, value: Any) -> str:
        """The date as TT.MM.JJJJ."""
        return german(date.fromisoformat(value))

    typed_workbook_cells = True

    def workbook_cell(self, cell: Any) -> Any:
        """The ISO date of the CSV as a date cell (empty and "weiß nicht" stay as they are)."""
        if isinstance(cell, str) and len(cell) == 10 and cell[4] == "-":
            return date.fromisoformat(cell)
        return cell

    def codebook_values(self, question: Question, part: Any = None) -> list[tuple[Any, str]]:
        """What the column holds, with its range."""
        low, high = bound(question, "min_date"), bound(question, "max_date")
        label = "Datum (JJJJ-MM-TT)"
        if low or high:
            label += f", von {german(low) if low else '…'} bis {german(high) if high else '…'}"
        return [("", label)]

    def statistics_form(self, question: Question, part: Any) -> StatisticsForm:
        """A date variable (SPSS ``EDATE10``, Stata ``%td``, R ``Date``)."""
        return StatisticsForm("date")

    def statistics_cell(
        self, question: Question, part: Any, value: Any, option_values: Mapping[str, int]
    ) -> Any:
        """The day as a ``date`` (``None`` if the stored text is no ISO date)."""
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return None
