"""Single choice, multiple choice (with optional "Sonstiges" text) and ranking."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from surveys.errors import FieldError
from surveys.i18n import N_, NP_
from surveys.models import Question, QuestionType
from surveys.question_types.base import (
    AnswerRow,
    QuestionTypeSpec,
    RawInput,
    StatisticsForm,
    StatisticsMissing,
    StoredAnswer,
    answer_row,
    choice_condition_errors,
    designer_number,
    duplicate_errors,
    field_name,
    first,
    option_codes,
    option_labels,
)

OTHER_MAX_LENGTH = 500


def validate_options(question: Question, minimum: int, message: str) -> list[FieldError]:
    """Check the number of options, unique codes and non-empty labels."""
    errors: list[FieldError] = []
    if len(question.options) < minimum:
        errors.append(FieldError("options", message, {"minimum": minimum}))
    errors += duplicate_errors(
        [o.code for o in question.options],
        "options",
        N_("Die Codes der Antwortmöglichkeiten müssen eindeutig sein."),
    )
    errors += duplicate_errors(
        [o.label for o in question.options],
        "options",
        N_("Zwei Antwortmöglichkeiten haben denselben Text."),
    )
    if any(not o.label.strip() for o in question.options):
        errors.append(FieldError("options", N_("Jede Antwortmöglichkeit braucht einen Text.")))
    return errors


def other_label(question: Question) -> str:
    """Return the label of the free "Sonstiges" choice."""
    return str(question.settings.get("other_label") or "Sonstiges")


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
    """The value of each option of a single choice in the statistics files.

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


class _Choice(QuestionTypeSpec):
    """What single and multiple choice share: the first option leads there, conditions
    pick an option."""

    condition_input = "code"

    def error_anchor(self, question: Question, field: str) -> str:
        """The first option's box (the "Sonstiges" text has its own)."""
        return f"{field}--1" if field == field_name(question) else field

    def condition_choices(
        self, question: Question, translate: Callable[[str], str] = lambda text: text
    ) -> list[tuple[str, str]]:
        """The options."""
        return [(o.code, o.label) for o in question.options]

    def condition_value_errors(
        self, question: Question, values: Sequence[Any], field: str
    ) -> list[FieldError]:
        """Codes of its options."""
        return choice_condition_errors(question, values, field)


class SingleChoiceType(_Choice):
    """Exactly one of several options."""

    type = QuestionType.SINGLE
    label = N_("Einfachauswahl")
    offers_breakdown = True
    analysis_kind = "choice"
    uses_options = True
    condition_operators = ("equals", "not_equals", "answered")

    def validate_definition(self, question: Question) -> list[FieldError]:
        """At least two options."""
        return validate_options(
            question,
            2,
            N_("Eine Auswahlfrage braucht mindestens %(minimum)s Antwortmöglichkeiten."),
        )

    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """Read the chosen option code."""
        name = field_name(question)
        code = first(raw, name)
        if code == "":
            return None, []
        if code not in option_codes(question):
            return None, [FieldError(name, N_("Bitte wählen Sie eine der angebotenen Antworten."))]
        return code, []

    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row pointing at the option."""
        return [answer_row(question, option_id=option_codes(question)[value])]

    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """The code of the chosen option."""
        codes = {o.id: o.code for o in question.options}
        return next((codes[r.option_id] for r in rows if r.option_id in codes), None)

    def display(self, question: Question, value: Any) -> str:
        """The option's label."""
        return option_labels(question)[value]

    def export_value(
        self, option_id: int | None, num: Any, text: str | None, codes: Mapping[int, str]
    ) -> Any:
        """The chosen option's code."""
        return codes.get(option_id or 0, "")

    def codebook_values(self, question: Question, part: Any = None) -> list[tuple[Any, str]]:
        """Each option's code and label."""
        return [(o.code, o.label) for o in question.options]

    def statistics_form(self, question: Question, part: Any) -> StatisticsForm:
        """Nominal: each option's value (:func:`option_values`) with its label."""
        values = option_values(question)
        labels = {o.code: o.label for o in question.options}
        by_value = {v: labels[c] for c, v in values.items()}
        return StatisticsForm(
            "numeric", "nominal", dict(sorted(by_value.items())), option_values=values
        )

    def statistics_cell(
        self, question: Question, part: Any, value: Any, option_values: Mapping[str, int]
    ) -> Any:
        """The chosen option's value."""
        return option_values[value]


class MultiChoiceType(_Choice):
    """Any number of options, optionally with a free "Sonstiges" text."""

    type = QuestionType.MULTI
    label = N_("Mehrfachauswahl")
    designer_partial = True
    plain_settings = ("other", "other_label", "max_choices")
    analysis_kind = "multi"
    uses_options = True
    condition_operators = ("contains", "not_equals", "answered")

    def settings_from_form(
        self, raw: Mapping[str, str], errors: list[FieldError]
    ) -> dict[str, Any] | None:
        """ "Sonstiges" with free text (multi only) and the most answers allowed."""
        settings: dict[str, Any] = {"other": raw.get("other") == "1"}
        if raw.get("other_label", "").strip():
            settings["other_label"] = raw["other_label"].strip()
        max_choices = designer_number(raw, "max_choices", errors, True)
        if max_choices is not None:
            settings["max_choices"] = max_choices
        return settings

    def settings_form_values(self, question: Question) -> dict[str, Any]:
        """The flag, the label and the most answers as typed."""
        settings = question.settings or {}
        return {
            "other": bool(settings.get("other")),
            "other_label": settings.get("other_label", ""),
            "max_choices": settings.get("max_choices", ""),
        }

    def validate_definition(self, question: Question) -> list[FieldError]:
        """At least one option (two without "Sonstiges"), and a sane maximum."""
        minimum = 1 if question.settings.get("other") else 2
        errors = validate_options(
            question,
            minimum,
            N_("Eine Auswahlfrage braucht mindestens %(minimum)s Antwortmöglichkeiten."),
        )
        max_choices = question.settings.get("max_choices")
        if max_choices is not None and (
            not isinstance(max_choices, int) or not 1 <= max_choices <= len(question.options) + 1
        ):
            errors.append(
                FieldError(
                    "max_choices",
                    N_(
                        "Die Höchstzahl der Antworten muss zwischen 1 und der Zahl der "
                        "Antwortmöglichkeiten liegen."
                    ),
                )
            )
        return errors

    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """Read the chosen codes (in option order) and the "Sonstiges" text."""
        name = field_name(question)
        chosen = {v.strip() for v in raw.get(name, []) if v.strip()}
        codes = option_codes(question)
        errors: list[FieldError] = []
        if chosen - set(codes):
            errors.append(FieldError(name, N_("Bitte wählen Sie nur angebotene Antworten.")))
        other = first(raw, field_name(question, "other")) if question.settings.get("other") else ""
        if len(other) > OTHER_MAX_LENGTH:
            errors.append(
                FieldError(
                    field_name(question, "other"),
                    NP_(
                        "Bitte kürzen Sie Ihre Angabe auf %(max)s Zeichen.",
                        "Bitte kürzen Sie Ihre Angabe auf %(max)s Zeichen.",
                        "max",
                    ),
                    {"max": OTHER_MAX_LENGTH},
                )
            )
        choices = [o.code for o in question.options if o.code in chosen]
        max_choices = question.settings.get("max_choices")
        if max_choices and len(choices) + (1 if other else 0) > max_choices:
            errors.append(
                FieldError(
                    name,
                    NP_(
                        "Bitte wählen Sie höchstens %(max)s Antwort.",
                        "Bitte wählen Sie höchstens %(max)s Antworten.",
                        "max",
                    ),
                    {"max": max_choices},
                )
            )
        if errors:
            return None, errors
        if not choices and not other:
            return None, []
        return {"choices": choices, "other": other}, []

    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row per chosen option, plus one row with the "Sonstiges" text."""
        codes = option_codes(question)
        rows = [answer_row(question, option_id=codes[c], num=1.0) for c in value["choices"]]
        if value.get("other"):
            rows.append(answer_row(question, text=value["other"]))
        return rows

    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """The chosen codes in option order and the "Sonstiges" text."""
        chosen = {r.option_id for r in rows if r.option_id is not None}
        other = next((r.text for r in rows if r.option_id is None and r.text), "")
        choices = [o.code for o in question.options if o.id in chosen]
        return {"choices": choices, "other": other} if choices or other else None

    def display(self, question: Question, value: Any) -> str:
        """Chosen labels separated by commas."""
        labels = option_labels(question)
        parts = [labels[c] for c in value["choices"]]
        if value.get("other"):
            parts.append(f"{other_label(question)}: {value['other']}")
        return ", ".join(parts)

    def redisplay(self, question: Question, raw: RawInput) -> Any:
        """The ticked codes and the "Sonstiges" text as typed."""
        choices = [v.strip() for v in raw.get(field_name(question), []) if v.strip()]
        other = (raw.get(field_name(question, "other")) or [""])[0]
        return {"choices": choices, "other": other} if choices or other else None

    def export_columns(self, question: Question) -> list[tuple[str, Any]]:
        """One column per option (1 = chosen), plus one for the "Sonstiges" text."""
        cols: list[tuple[str, Any]] = [(f"{question.key}.{o.code}", o) for o in question.options]
        if (question.settings or {}).get("other"):
            cols.append((f"{question.key}.other", "other"))
        return cols

    def export_slot(self, part: Any) -> Hashable:
        """Columns are told apart by their option ("Sonstiges" has none)."""
        return None if isinstance(part, str) else part.id

    def row_slot(self, item_id: int | None, option_id: int | None) -> Hashable:
        """An answer row goes to its option's column."""
        return option_id

    def codebook_values(self, question: Question, part: Any = None) -> list[tuple[Any, str]]:
        """1 marks a chosen option."""
        return [(1, "gewählt")]

    def statistics_form(self, question: Question, part: Any) -> StatisticsForm:
        """0/1 per option; "Sonstiges" as a text."""
        if part == "other":
            return StatisticsForm("string", characters=OTHER_MAX_LENGTH)
        return StatisticsForm("numeric", "nominal", {0: "nicht gewählt", 1: "gewählt"})

    def statistics_cell(
        self, question: Question, part: Any, value: Any, option_values: Mapping[str, int]
    ) -> Any:
        """1 if the option is chosen, else 0; the "Sonstiges" text (``None``: none)."""
        if part == "other":
            return value.get("other") or None
        return 1 if getattr(part, "code", None) in value["choices"] else 0


class RankingType(QuestionTypeSpec):
    """Put options in order; works without JavaScript: each option gets a rank select."""

    type = QuestionType.RANKING
    label = N_("Rangfolge")
    designer_partial = True
    plain_settings = ("rank_count",)
    analysis_kind = "ranking"
    uses_options = True

    def settings_from_form(
        self, raw: Mapping[str, str], errors: list[FieldError]
    ) -> dict[str, Any] | None:
        """How many places are given (empty: all)."""
        rank_count = designer_number(raw, "rank_count", errors, True)
        return {} if rank_count is None else {"rank_count": rank_count}

    def settings_form_values(self, question: Question) -> dict[str, Any]:
        """The number of places (empty: all)."""
        return {"rank_count": (question.settings or {}).get("rank_count", "")}

    def rank_count(self, question: Question) -> int:
        """How many places are to be given (all options unless limited)."""
        limit = question.settings.get("rank_count")
        count = len(question.options)
        return min(int(limit), count) if limit else count

    def validate_definition(self, question: Question) -> list[FieldError]:
        """At least two items to rank."""
        errors = validate_options(
            question, 2, N_("Eine Rangfolge braucht mindestens %(minimum)s Elemente.")
        )
        limit = question.settings.get("rank_count")
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            errors.append(
                FieldError("rank_count", N_("Die Zahl der Plätze muss mindestens 1 sein."))
            )
        return errors

    def parse(self, question: Question, raw: RawInput) -> tuple[Any, list[FieldError]]:
        """Read a rank per option; ranks must be distinct and start at 1 without gaps."""
        places = self.rank_count(question)
        ranks: dict[str, int] = {}
        errors: list[FieldError] = []
        for option in question.options:
            name = field_name(question, option.code)
            text = first(raw, name)
            if text == "":
                continue
            if not text.isdigit() or not 1 <= int(text) <= places:
                errors.append(
                    FieldError(
                        name, N_("Bitte wählen Sie einen Platz von 1 bis %(max)s."), {"max": places}
                    )
                )
                continue
            ranks[option.code] = int(text)
        if errors:
            return None, errors
        if not ranks:
            return None, []
        used = sorted(ranks.values())
        if len(used) != len(set(used)):
            return None, [
                FieldError(field_name(question), N_("Jeder Platz darf nur einmal vergeben werden."))
            ]
        if used != list(range(1, len(used) + 1)):
            return None, [
                FieldError(
                    field_name(question),
                    N_("Bitte vergeben Sie die Plätze ohne Lücke, beginnend mit 1."),
                )
            ]
        return sorted(ranks, key=ranks.__getitem__), []

    def required_errors(self, question: Question, value: Any) -> list[FieldError]:
        """A required ranking needs every place filled."""
        places = self.rank_count(question)
        if len(value or []) < places:
            return [
                FieldError(
                    field_name(question),
                    N_("Bitte vergeben Sie alle Plätze von 1 bis %(max)s."),
                    {"max": places},
                )
            ]
        return []

    def to_rows(self, question: Question, value: Any) -> list[AnswerRow]:
        """One row per ranked option with its place in ``num``."""
        codes = option_codes(question)
        return [
            answer_row(question, option_id=codes[c], num=float(place))
            for place, c in enumerate(value, start=1)
        ]

    def from_rows(self, question: Question, rows: Sequence[StoredAnswer]) -> Any:
        """The ranked codes, first place first."""
        codes = {o.id: o.code for o in question.options}
        ranked = sorted((r.num or 0, codes[r.option_id]) for r in rows if r.option_id in codes)
        return [code for _, code in ranked] or None

    def display(self, question: Question, value: Any) -> str:
        """Numbered list of labels."""
        labels = option_labels(question)
        return "\n".join(f"{place}. {labels[c]}" for place, c in enumerate(value, start=1))

    def redisplay(self, question: Question, raw: RawInput) -> Any:
        """The places given so far, by option code (duplicates kept, to be corrected)."""
        ranks = {o.code: first(raw, field_name(question, o.code)) for o in question.options}
        return {k: v for k, v in ranks.items() if v} or None

    def export_columns(self, question: Question) -> list[tuple[str, Any]]:
        """One column per option holding its place."""
        return [(f"{question.key}.{o.code}", o) for o in question.options]

    def export_slot(self, part: Any) -> Hashable:
        """Columns are told apart by their option."""
        return int(part.id)

    def row_slot(self, item_id: int | None, option_id: int | None) -> Hashable:
        """An answer row goes to its option's column."""
        return option_id

    def error_anchor(self, question: Question, field: str) -> str:
        """An error of the whole ranking leads to the first option's select."""
        if field == field_name(question) and question.options:
            return field_name(question, question.options[0].code)
        return field

    def codebook_values(self, question: Question, part: Any = None) -> list[tuple[Any, str]]:
        """The place, 1 the first."""
        return [("1..n", "Platz")]

    def statistics_form(self, question: Question, part: Any) -> StatisticsForm:
        """Ordinal places per option; an option left out is "nicht eingeordnet"."""
        places = {n: f"Platz {n}" for n in range(1, len(question.options) + 1)}
        return StatisticsForm("numeric", "ordinal", places, not_ranked=True)

    def statistics_cell(
        self, question: Question, part: Any, value: Any, option_values: Mapping[str, int]
    ) -> Any:
        """The option's place, or "nicht eingeordnet"."""
        code = getattr(part, "code", None)
        return value.index(code) + 1 if code in value else StatisticsMissing.NOT_RANKED
