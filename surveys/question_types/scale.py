"""Likert scale (one statement) and matrix (several items sharing one scale)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from surveys.designer_lists import plain_lines
from surveys.errors import FieldError
from surveys.i18n import N_
from surveys.models import Question, QuestionType
from surveys.question_types.base import (
    AnswerRow,
    ColumnPerItem,
    QuestionTypeSpec,
    RawInput,
    StatisticsForm,
    StatisticsMissing,
    StoredAnswer,
    answer_row,
    condition_number,
    duplicate_errors,
    field_name,
    first,
    number_condition_errors,
    unanswered_items,
)

DONT_KNOW = "dk"
DEFAULT_DONT_KNOW_LABEL = "weiß nicht / keine Angabe"


def scale_labels(question: Question) -> list[str]:
    """Return the scale's labels from low to high."""
    return [str(label) for label in question.settings.get("scale", [])]


def has_dont_know(question: Question) -> bool:
    """Return whether the scale offers "weiß nicht / keine Angabe"."""
    return bool(question.settings.get("dont_know", False))


def dont_know_label(question: Question) -> str:
    """Return the label of the "don't know" choice."""
    return str(question.settings.get("dont_know_label") or DEFAULT_DONT_KNOW_LABEL)


def validate_scale(question: Question) -> list[FieldError]:
    """Check that the scale has at least two distinct, non-empty points."""
    labels = scale_labels(question)
    errors: list[FieldError] = []
    if len(labels) < 2:
        errors.append(FieldError("scale", N_("Eine Skala braucht mindestens 2 Stufen.")))
    elif len(labels) > 11:
        errors.append(FieldError("scale", N_("Eine Skala hat höchstens 11 Stufen.")))
    if any(not label.strip() for label in labels):
        errors.append(FieldError("scale", N_("Jede Stufe der Skala braucht eine Beschriftung.")))
    errors += duplicate_errors(
        labels, "scale", N_("Die Stufen der Skala müssen sich unterscheiden.")
    )
    return errors


def parse_point(question: Question, raw_value: str, name: str) -> tuple[Any, list[FieldError]]:
    """Parse one scale answer: a point 1..n or ``"dk"``."""
    if raw_value == "":
        return None, []
    if raw_value == DONT_KNOW and has_dont_know(question):
        return DONT_KNOW, []
    if raw_value.isdigit() and 1 <= int(raw_value) <= len(scale_labels(question)):
        return int(raw_value), []
    return None, [FieldError(name, N_("Bitte wählen Sie eine der angebotenen Stufen."))]


def point_row(question: Question, value: Any, item_id: int | None = None) -> AnswerRow:
    """Build the answer row of one scale point."""
    if value == DONT_KNOW:
        return answer_row(question, item_id=item_id, dont_know=True)
    return answer_row(question, item_id=item_id, num=float(value))


def row_point(row: StoredAnswer) -> Any:
    """Return the scale value a stored row holds: a point or ``"dk"``."""
    return DONT_KNOW if row.dont_know else int(row.num or 0)


def point_text(question: Question, value: Any) -> str:
    """Return the label of a scale point."""
    if value == DONT_KNOW:
        return dont_know_label(question)
    return scale_labels(question)[int(value) - 1]


#: The designer's inputs of a scale's settings (likert and matrix).
SCALE_SETTINGS = ("scale", "dont_know", "dont_know_label")


def scale_settings_from_form(raw: Mapping[str, str]) -> dict[str, Any]:
    """The steps of a scale (one per line), and whether and how "weiß nicht" is offered."""
    settings: dict[str, Any] = {
        "scale": plain_lines(raw.get("scale", "")),
        "dont_know": raw.get("dont_know") == "1",
    }
    if raw.get("dont_know_label", "").strip():
        settings["dont_know_label"] = raw["dont_know_label"].strip()
    return settings


def scale_form_values(question: Question) -> dict[str, Any]:
    """A scale's settings as the designer shows them: one step a line."""
    settings = question.settings or {}
    return {
        "scale": "\n".join(str(s) for s in settings.get("scale", [])),
        "dont_know": bool(settings.get("dont_know")),
        "dont_know_label": settings.get("dont_know_label", ""),
    }


def statistics_scale(question: Question) -> StatisticsForm:
    """A scale in the statistics files: ordinal points with their labels, and "weiß nicht"
    as a missing value where the scale offers it."""
    return StatisticsForm(
        "numeric",
        "ordinal",
        dict(enumerate(scale_labels(question), start=1)),
        dont_know=dont_know_label(question) if has_dont_know(question) else None,
    )


def statistics_point(value: Any) -> Any:
    """A scale answer in the statistics files: its point, or "weiß nicht"."""
    return StatisticsMissing.DONT_KNOW if value == DONT_KNOW else int(value)


class LikertType(QuestionTypeSpec):
    """One statement rated on a labelled scale."""

    type = QuestionType.LIKERT
    label = N_("Skala (Likert)")
    uses_scale = True
    plain_settings = SCALE_SETTINGS
    analysis_kind = "scale"
    condition_operators = ("equals", "not_equals", "gt", "ge", "lt", "le", "answered")
    condition_input = "point"

    def settings_from_form(
        self, raw: Mapping[str, str], errors: list[FieldError]
    ) -> dict[str, Any] | None:
        """The scale's steps and "weiß nicht"."""
        return scale_settings_from_form(raw)

    def settings_form_values(self, question: Question) -> dict[str, Any]:
        """The scale's steps and "weiß nicht"."""
        return scale_form_values(question)

    def validate_definition(self, question: Question) -> list[FieldError]:
        """A scale needs at least two points."""
        return validate_scale(question)

    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """Read the chosen point."""
        name = field_name(question)
        return parse_point(question, first(raw, name), name)

    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row with the point (or the don't-know flag)."""
        return [point_row(question, value)]

    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """The point (or ``"dk"``) of the one row."""
        return row_point(rows[0]) if rows else None

    def display(self, question: Question, value: Any) -> str:
        """The label of the chosen point."""
        return point_text(question, value)

    def error_anchor(self, question: Question, field: str) -> str:
        """The first point's radio button."""
        return f"{field}--1" if field == field_name(question) else field

    def condition_choices(
        self, question: Question, translate: Callable[[str], str] = lambda text: text
    ) -> list[tuple[str, str]]:
        """The points: "2 – eher schlecht"."""
        scale = (question.settings or {}).get("scale", [])
        return [(str(n), f"{n} – {label}") for n, label in enumerate(scale, start=1)]

    def condition_value_errors(
        self, question: Question, values: Sequence[Any], field: str
    ) -> list[FieldError]:
        """Points of the scale, 1 to its number of steps."""
        errors = number_condition_errors(values, field)
        if errors:
            return errors
        points = len((question.settings or {}).get("scale", []))
        if any(not 1 <= float(condition_number(v) or 0) <= points for v in values) and points:
            return [
                FieldError(
                    field,
                    N_("Die Skala der Frage „%(key)s“ hat die Stufen 1 bis %(count)s."),
                    {"key": question.key, "count": points},
                )
            ]
        return []

    def codebook_values(self, question: Question, part: Any = None) -> list[tuple[Any, str]]:
        """The scale points, then "weiß nicht" when offered."""
        values: list[tuple[Any, str]] = list(enumerate(scale_labels(question), start=1))
        if has_dont_know(question):
            values.append(("dk", dont_know_label(question)))
        return values

    def statistics_form(self, question: Question, part: Any) -> StatisticsForm:
        """Ordinal points."""
        return statistics_scale(question)

    def statistics_cell(
        self, question: Question, part: Any, value: Any, option_values: Mapping[str, int]
    ) -> Any:
        """The point, or "weiß nicht"."""
        return statistics_point(value)


class MatrixType(ColumnPerItem, QuestionTypeSpec):
    """Several items rated on one shared scale; each item is its own fieldset."""

    type = QuestionType.MATRIX
    label = N_("Matrix (mehrere Aussagen, eine Skala)")
    uses_scale = True
    plain_settings = SCALE_SETTINGS
    reverses_items = True
    analysis_kind = "scale"
    uses_items = True

    def settings_from_form(
        self, raw: Mapping[str, str], errors: list[FieldError]
    ) -> dict[str, Any] | None:
        """The scale's steps and "weiß nicht"."""
        return scale_settings_from_form(raw)

    def settings_form_values(self, question: Question) -> dict[str, Any]:
        """The scale's steps and "weiß nicht"."""
        return scale_form_values(question)

    def validate_definition(self, question: Question) -> list[FieldError]:
        """A matrix needs a scale and at least one item with unique keys."""
        errors = validate_scale(question)
        if not question.items:
            errors.append(FieldError("items", N_("Eine Matrix braucht mindestens eine Aussage.")))
        errors += duplicate_errors(
            [i.key for i in question.items],
            "items",
            N_("Die Schlüssel der Aussagen müssen eindeutig sein."),
        )
        if any(not i.text.strip() for i in question.items):
            errors.append(FieldError("items", N_("Jede Aussage braucht einen Text.")))
        return errors

    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """Read one point per item; unanswered items are left out."""
        value: dict[str, Any] = {}
        errors: list[FieldError] = []
        for item in question.items:
            name = field_name(question, item.key)
            point, item_errors = parse_point(question, first(raw, name), name)
            errors += item_errors
            if point is not None:
                value[item.key] = point
        return (value or None), errors

    def required_errors(self, question: Question, value: Any) -> list[FieldError]:
        """Every item of a required matrix needs an answer; one error per missing item."""
        return unanswered_items(question, value, N_("Bitte bewerten Sie „%(item)s“."))

    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row per answered item."""
        ids = {i.key: i.id for i in question.items}
        return [point_row(question, v, ids[k]) for k, v in value.items() if k in ids]

    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """Item key: point, in item order."""
        points = {row.item_id: row_point(row) for row in rows}
        value = {i.key: points[i.id] for i in question.items if i.id in points}
        return value or None

    def display(self, question: Question, value: Any) -> str:
        """Item: label pairs, one per line."""
        texts = {i.key: i.text for i in question.items}
        return "\n".join(f"{texts[k]}: {point_text(question, v)}" for k, v in value.items())

    def redisplay(self, question: Question, raw: RawInput) -> Any:
        """The points picked so far, by item key."""
        picked = {i.key: first(raw, field_name(question, i.key)) for i in question.items}
        return {k: v for k, v in picked.items() if v} or None

    def error_anchor(self, question: Question, field: str) -> str:
        """An item's error leads to its first point, the question's to the first item's."""
        name = field_name(question)
        if field != name:
            return f"{field}--1"  # an item's radio group
        if question.items:
            return f"{field_name(question, question.items[0].key)}--1"
        return name

    def codebook_values(self, question: Question, part: Any = None) -> list[tuple[Any, str]]:
        """The scale points, then "weiß nicht" when offered."""
        values: list[tuple[Any, str]] = list(enumerate(scale_labels(question), start=1))
        if has_dont_know(question):
            values.append(("dk", dont_know_label(question)))
        return values

    def statistics_form(self, question: Question, part: Any) -> StatisticsForm:
        """Ordinal points per item."""
        return statistics_scale(question)

    def statistics_cell(
        self, question: Question, part: Any, value: Any, option_values: Mapping[str, int]
    ) -> Any:
        """The item's point, "weiß nicht", or the item left out."""
        key = getattr(part, "key", None)
        return statistics_point(value[key]) if key in value else StatisticsMissing.NOT_ANSWERED
