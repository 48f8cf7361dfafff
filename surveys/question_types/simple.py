"""Free text, number with bounds, and yes/no."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from surveys.errors import FieldError
from surveys.i18n import N_, NP_
from surveys.models import Question, QuestionType
from surveys.question_types.base import (
    AnswerRow,
    QuestionTypeSpec,
    RawInput,
    StatisticsForm,
    StoredAnswer,
    answer_row,
    designer_number,
    field_name,
    first,
    number_condition_errors,
    statistics_number,
)

DEFAULT_TEXT_MAX = 3000
TEXT_MAX_LIMIT = 20000


class TextType(QuestionTypeSpec):
    """Free text, kept exactly as written (minus surrounding blanks)."""

    type = QuestionType.TEXT
    label = N_("Freitext")
    designer_partial = True
    plain_settings = ("max_length", "multiline")
    analysis_kind = "text"

    def settings_from_form(
        self, raw: Mapping[str, str], errors: list[FieldError]
    ) -> dict[str, Any] | None:
        """The longest answer allowed (at least 1) and a field of several lines."""
        settings: dict[str, Any] = {}
        max_length = designer_number(raw, "max_length", errors, True)
        if max_length is not None:
            if max_length < 1:
                errors.append(
                    FieldError("max_length", N_("Die Höchstlänge muss mindestens 1 sein."))
                )
            settings["max_length"] = max_length
        settings["multiline"] = raw.get("multiline") == "1"
        return settings

    def settings_form_values(self, question: Question) -> dict[str, Any]:
        """The longest answer and the flag."""
        settings = question.settings or {}
        return {
            "max_length": settings.get("max_length", ""),
            "multiline": bool(settings.get("multiline")),
        }

    def max_length(self, question: Question) -> int:
        """The longest accepted answer in characters."""
        return int(question.settings.get("max_length") or DEFAULT_TEXT_MAX)

    def validate_definition(self, question: Question) -> list[FieldError]:
        """A sane maximum length."""
        limit = question.settings.get("max_length")
        if limit is not None and (not isinstance(limit, int) or not 1 <= limit <= TEXT_MAX_LIMIT):
            return [
                FieldError(
                    "max_length",
                    N_("Die Höchstlänge muss zwischen 1 und %(max)s Zeichen liegen."),
                    {"max": TEXT_MAX_LIMIT},
                )
            ]
        return []

    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """Read the text; too long is an error that keeps the text for the person to shorten."""
        name = field_name(question)
        text = first(raw, name).replace("\r\n", "\n").replace("\x00", "")
        if len(text) > self.max_length(question):
            return None, [
                FieldError(
                    name,
                    NP_(
                        "Bitte kürzen Sie Ihren Text auf %(max)s Zeichen (jetzt %(length)s).",
                        "Bitte kürzen Sie Ihren Text auf %(max)s Zeichen (jetzt %(length)s).",
                        "max",
                    ),
                    {"max": self.max_length(question), "length": len(text)},
                )
            ]
        return (text or None), []

    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row holding the text."""
        return [answer_row(question, text=value)]

    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """The stored text."""
        return rows[0].text if rows else None

    def display(self, question: Question, value: Any) -> str:
        """The text itself."""
        return str(value)

    def redisplay(self, question: Question, raw: RawInput) -> Any:
        """The text exactly as typed, surrounding blanks included."""
        return (raw.get(field_name(question)) or [""])[0] or None

    def codebook_values(self, question: Question, part: Any = None) -> list[tuple[Any, str]]:
        """Free text, as written."""
        return [("", "Freitext")]

    def statistics_form(self, question: Question, part: Any) -> StatisticsForm:
        """A text as long as the question allows."""
        limit = (question.settings or {}).get("max_length") or DEFAULT_TEXT_MAX
        return StatisticsForm("string", characters=int(limit))

    def statistics_cell(
        self, question: Question, part: Any, value: Any, option_values: Mapping[str, int]
    ) -> Any:
        """The text as written."""
        return str(value)


def parse_number(text: str) -> float | None:
    """Parse a German or English formatted number ("1.234,5", "1234.5"); ``None`` if invalid."""
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


class NumberType(QuestionTypeSpec):
    """A number, optionally whole, within optional bounds."""

    type = QuestionType.NUMBER
    label = N_("Zahl")
    designer_partial = True
    plain_settings = ("min", "max", "integer", "unit")
    analysis_kind = "number"
    condition_operators = ("equals", "not_equals", "gt", "ge", "lt", "le", "answered")
    condition_input = "number"

    def settings_from_form(
        self, raw: Mapping[str, str], errors: list[FieldError]
    ) -> dict[str, Any] | None:
        """The bounds (the highest above the lowest), whole numbers only, the unit."""
        settings: dict[str, Any] = {}
        for name in ("min", "max"):
            number = designer_number(raw, name, errors, False)
            if number is not None:
                settings[name] = number
        if "min" in settings and "max" in settings and settings["min"] > settings["max"]:
            errors.append(FieldError("max", N_("Der Höchstwert muss über dem Mindestwert liegen.")))
        settings["integer"] = raw.get("integer") == "1"
        if raw.get("unit", "").strip():
            settings["unit"] = raw["unit"].strip()
        return settings

    def settings_form_values(self, question: Question) -> dict[str, Any]:
        """The bounds as stored, the flag and the unit."""
        settings = question.settings or {}
        return {
            "min": settings.get("min", ""),
            "max": settings.get("max", ""),
            "integer": bool(settings.get("integer")),
            "unit": settings.get("unit", ""),
        }

    def validate_definition(self, question: Question) -> list[FieldError]:
        """Bounds must be numbers with min <= max."""
        low, high = question.settings.get("min"), question.settings.get("max")
        for name, bound in (("min", low), ("max", high)):
            if bound is not None and not isinstance(bound, int | float):
                return [FieldError(name, N_("Die Grenze muss eine Zahl sein."))]
        if low is not None and high is not None and low > high:
            return [FieldError("max", N_("Der Höchstwert muss größer als der Mindestwert sein."))]
        return []

    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """Read the number and check it against the bounds."""
        name = field_name(question)
        text = first(raw, name)
        if text == "":
            return None, []
        number = parse_number(text)
        if number is None:
            return None, [FieldError(name, N_("Bitte geben Sie eine Zahl ein, z. B. 3."))]
        if question.settings.get("integer") and not number.is_integer():
            return None, [FieldError(name, N_("Bitte geben Sie eine ganze Zahl ein."))]
        low, high = question.settings.get("min"), question.settings.get("max")
        if low is not None and number < low:
            return None, [
                FieldError(name, N_("Die Zahl muss mindestens %(min)s sein."), {"min": low})
            ]
        if high is not None and number > high:
            return None, [
                FieldError(name, N_("Die Zahl darf höchstens %(max)s sein."), {"max": high})
            ]
        return (int(number) if number.is_integer() else number), []

    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row with the number."""
        return [answer_row(question, num=float(value))]

    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """The number, whole numbers as ``int`` (as :meth:`parse` gives them)."""
        if not rows or rows[0].num is None:
            return None
        number = float(rows[0].num)
        return int(number) if number.is_integer() else number

    def display(self, question: Question, value: Any) -> str:
        """The number in German notation, with its unit in brackets ("1 (Kinder)").

        The unit is a label like the field's "Zahl (Kinder)", not a noun inflected for the
        number: "1 Kinder" (and "1 children") would be wrong in every language.
        """
        text = f"{value}".replace(".", ",")
        unit = question.settings.get("unit")
        return f"{text} ({unit})" if unit else text

    def condition_value_errors(
        self, question: Question, values: Sequence[Any], field: str
    ) -> list[FieldError]:
        """Numbers."""
        return number_condition_errors(values, field)

    def statistics_form(self, question: Question, part: Any) -> StatisticsForm:
        """A number; far-off missing codes unless answers cannot be negative."""
        low = (question.settings or {}).get("min")
        return StatisticsForm("numeric", "scale", wide=low is None or low < 0)

    def statistics_cell(
        self, question: Question, part: Any, value: Any, option_values: Mapping[str, int]
    ) -> Any:
        """The number."""
        return statistics_number(value)


class YesNoType(QuestionTypeSpec):
    """Ja or Nein."""

    type = QuestionType.YESNO
    label = N_("Ja/Nein")
    analysis_kind = "binary"
    condition_operators = ("equals", "not_equals", "answered")
    condition_input = "code"

    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """Read ``ja`` or ``nein``."""
        name = field_name(question)
        text = first(raw, name)
        if text == "":
            return None, []
        if text not in ("ja", "nein"):
            return None, [FieldError(name, N_("Bitte wählen Sie „Ja“ oder „Nein“."))]
        return text == "ja", []

    def is_empty(self, value: Any) -> bool:
        """``False`` (Nein) is an answer."""
        return value is None

    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row with 1 (ja) or 0 (nein)."""
        return [answer_row(question, num=1.0 if value else 0.0)]

    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """``True`` for 1 (ja), ``False`` for 0 (nein)."""
        return bool(rows[0].num) if rows and rows[0].num is not None else None

    def display(self, question: Question, value: Any) -> str:
        """Ja or Nein (in the page's language where the caller gives ``yes_label``/``no_label``
        in the settings, see ``Localizer.question_copy``)."""
        settings = question.settings or {}
        word = settings.get("yes_label", "Ja") if value else settings.get("no_label", "Nein")
        return str(word)

    def export_value(
        self, option_id: int | None, num: Any, text: str | None, codes: Mapping[int, str]
    ) -> Any:
        """1 (ja) or 0 (nein)."""
        return int(num) if num is not None else ""

    def error_anchor(self, question: Question, field: str) -> str:
        """The "Ja" box."""
        return f"{field}--ja" if field == field_name(question) else field

    def condition_choices(
        self, question: Question, translate: Callable[[str], str] = lambda text: text
    ) -> list[tuple[str, str]]:
        """Ja and Nein."""
        return [("ja", translate(N_("Ja"))), ("nein", translate(N_("Nein")))]

    def condition_value_errors(
        self, question: Question, values: Sequence[Any], field: str
    ) -> list[FieldError]:
        """ "ja" or "nein"."""
        if any(v not in ("ja", "nein", True, False) for v in values):
            return [FieldError(field, N_("Bei Ja/Nein-Fragen ist der Wert „ja“ oder „nein“."))]
        return []

    def codebook_values(self, question: Question, part: Any = None) -> list[tuple[Any, str]]:
        """1 ja, 0 nein."""
        return [(1, "ja"), (0, "nein")]

    def statistics_form(self, question: Question, part: Any) -> StatisticsForm:
        """0 nein, 1 ja."""
        return StatisticsForm("numeric", "nominal", {0: "nein", 1: "ja"})

    def statistics_cell(
        self, question: Question, part: Any, value: Any, option_values: Mapping[str, int]
    ) -> Any:
        """1 (ja) or 0 (nein)."""
        return 1 if value else 0
