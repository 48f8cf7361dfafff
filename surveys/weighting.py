"""Population margins of a survey: which questions can carry them, checking and saving them.

A margin belongs to one survey, one target group and one single-choice question asked of
that group ("Gewichtungsmerkmal"). Staff enter, per answer option, the population count or
share from the municipal statistics, or exclude the option; the rules are those of
:func:`parse_margin`. Writes flush and never commit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from surveys.audit import Action, record
from surveys.db import SessionLike
from surveys.errors import FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import (
    MarginKind,
    MarginTarget,
    PopulationMargin,
    Question,
    QuestionType,
    Survey,
    TargetGroup,
    User,
)

#: Shares in percent must add up to 100 within this tolerance (rounded statistics).
SHARE_TOLERANCE = 0.5
MAX_SOURCE = 300
_NUMBER = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$|^\d+([.,]\d+)?$")


@dataclass(frozen=True)
class MarginInput:
    """A checked margin: kind, source, reference date and a figure (or ``None``) per option."""

    kind: MarginKind
    source: str
    reference_date: date
    #: Option code → population figure; ``None`` for an excluded option.
    values: Mapping[str, float | None]


def weighting_questions(survey: Survey, group: TargetGroup) -> list[Question]:
    """The single-choice questions of ``survey`` asked of ``group``, in survey order."""
    return [
        q
        for q in survey.questions()
        if q.type == QuestionType.SINGLE and q.shown_to(group.key) and q.options
    ]


def margins_of(session: SessionLike, survey: Survey) -> list[PopulationMargin]:
    """Every margin of ``survey``, by target group and question order."""
    margins = list(
        session.scalars(select(PopulationMargin).where(PopulationMargin.survey_id == survey.id))
    )
    order = {q.id: i for i, q in enumerate(survey.questions())}
    return sorted(margins, key=lambda m: (m.target_group.position, order.get(m.question_id, 0)))


def find_margin(
    session: SessionLike, survey: Survey, group: TargetGroup, question: Question
) -> PopulationMargin | None:
    """The margin of this survey, group and question, if staff entered one."""
    return session.scalars(
        select(PopulationMargin).where(
            PopulationMargin.survey_id == survey.id,
            PopulationMargin.target_group_id == group.id,
            PopulationMargin.question_id == question.id,
        )
    ).first()


def parse_number(raw: str) -> float | None:
    """Read a German or plain number ("12.345", "12345", "16,5"); ``None`` if it is none."""
    text = raw.strip().replace("\u202f", "").replace(" ", "")
    sign = 1.0
    if text.startswith(("-", "−")):
        sign, text = -1.0, text[1:]
    if not _NUMBER.match(text):
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.match(r"^\d{1,3}(\.\d{3})+$", text):
        text = text.replace(".", "")
    return sign * float(text)


def parse_margin(question: Question, raw: Mapping[str, str]) -> MarginInput:
    """Check the posted form of a margin; raise :class:`ValidationError` with every problem.

    Fields: ``kind`` (``count``/``share``), ``source``, ``reference_date`` (ISO),
    ``value-<code>`` and ``exclude-<code>`` per option. Every option needs a positive
    figure or to be excluded, at least two options need figures, counts are whole numbers,
    and shares add up to 100 % (± 0.5 for rounding).
    """
    errors: list[FieldError] = []
    kind_raw = raw.get("kind", "")
    kind = MarginKind(kind_raw) if kind_raw in {k.value for k in MarginKind} else None
    if kind is None:
        errors.append(FieldError("kind", N_("Wählen Sie, ob Sie Anzahlen oder Anteile angeben.")))
    source = raw.get("source", "").strip()
    if not source:
        errors.append(
            FieldError("source", N_("Geben Sie die Quelle an, zum Beispiel „Melderegister“."))
        )
    elif len(source) > MAX_SOURCE:
        errors.append(
            FieldError(
                "source",
                N_("Die Quelle darf höchstens %(max)s Zeichen lang sein."),
                {"max": MAX_SOURCE},
            )
        )
    reference = _date(raw.get("reference_date", ""))
    if reference is None:
        errors.append(
            FieldError(
                "reference_date",
                N_("Geben Sie den Stand als Datum an, zum Beispiel 31.12.2025."),
            )
        )
    values: dict[str, float | None] = {}
    for option in question.options:
        name = f"value-{option.code}"
        text = raw.get(name, "").strip()
        if raw.get(f"exclude-{option.code}"):
            values[option.code] = None
            continue
        if not text:
            errors.append(
                FieldError(
                    name,
                    N_(
                        "Geben Sie für „%(option)s“ eine Zahl an oder schließen Sie die "
                        "Antwort aus."
                    ),
                    {"option": option.label},
                )
            )
            continue
        number = parse_number(text)
        if number is None or not math.isfinite(number):
            errors.append(FieldError(name, N_("„%(value)s“ ist keine Zahl."), {"value": text}))
        elif number <= 0:
            errors.append(
                FieldError(
                    name,
                    N_("Die Zahl für „%(option)s“ muss größer als 0 sein; eine Antwort ohne "
                       "Bevölkerung schließen Sie aus."),
                    {"option": option.label},
                )
            )  # fmt: skip
        elif kind == MarginKind.COUNT and number != int(number):
            errors.append(FieldError(name, N_("Eine Anzahl ist eine ganze Zahl."), {}))
        elif kind == MarginKind.SHARE and number > 100:
            errors.append(FieldError(name, N_("Ein Anteil liegt zwischen 0 und 100 %."), {}))
        else:
            values[option.code] = number
    errors.extend(_totals(question, values, kind, bool(errors)))
    if errors:
        raise ValidationError(errors)
    assert kind is not None and reference is not None  # noqa: S101 - checked above
    return MarginInput(kind=kind, source=source, reference_date=reference, values=values)


def _totals(
    question: Question, values: Mapping[str, float | None], kind: MarginKind | None, failed: bool
) -> list[FieldError]:
    """Whole-margin rules: two options with figures, shares that add up to 100 %."""
    if failed:
        return []
    given = [v for v in values.values() if v is not None]
    if len(given) < 2:
        return [
            FieldError(
                "values",
                N_("Geben Sie für mindestens zwei Antworten Zahlen an; sonst gibt es nichts zu "
                   "gewichten."),
            )
        ]  # fmt: skip
    if kind == MarginKind.SHARE and abs(sum(given) - 100) > SHARE_TOLERANCE:
        return [
            FieldError(
                "values",
                N_("Die Anteile ergeben zusammen %(sum)s %% statt 100 %%. Bitte prüfen Sie "
                   "die Zahlen oder geben Sie Anzahlen an."),
                {"sum": f"{sum(given):.1f}".replace(".", ",")},
            )
        ]  # fmt: skip
    return []


def _date(raw: str) -> date | None:
    text = raw.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", text)
    if match:
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return None


def save_margin(
    session: SessionLike,
    survey: Survey,
    group: TargetGroup,
    question: Question,
    data: MarginInput,
    actor: User | None,
) -> PopulationMargin:
    """Create or replace the margin of ``question`` for ``group``; flush, no commit."""
    if question.survey_id != survey.id or question not in weighting_questions(survey, group):
        raise ValidationError.single(
            "question", N_("Diese Frage eignet sich nicht als Gewichtungsmerkmal.")
        )
    margin = find_margin(session, survey, group, question)
    if margin is None:
        margin = PopulationMargin(
            survey_id=survey.id, target_group_id=group.id, question_id=question.id
        )
        session.add(margin)
    margin.kind = data.kind
    margin.source = data.source
    margin.reference_date = data.reference_date
    by_option = {o.code: o for o in question.options}
    margin.targets = [
        MarginTarget(option_id=by_option[code].id, value=value, excluded=value is None)
        for code, value in data.values.items()
    ]
    session.flush()
    record(
        session,
        actor,
        Action.SURVEY_CHANGE,
        survey=survey,
        details=f"Gewichtung: Randverteilung {group.key}/{question.key} gespeichert",
    )
    return margin


def delete_margin(session: SessionLike, margin: PopulationMargin, actor: User | None) -> None:
    """Remove a margin; flush, no commit."""
    details = f"Gewichtung: Randverteilung {margin.target_group.key}/{margin.question.key} gelöscht"
    survey = margin.survey
    session.delete(margin)
    session.flush()
    record(session, actor, Action.SURVEY_CHANGE, survey=survey, details=details)


def margin_values(margin: PopulationMargin) -> dict[str, float]:
    """Option code → figure of the options that are not excluded."""
    return {
        t.option.code: float(t.value)
        for t in margin.targets
        if not t.excluded and t.value is not None
    }


def group_margins(margins: Sequence[PopulationMargin]) -> dict[str, list[PopulationMargin]]:
    """Margins by target group key, keeping their order."""
    out: dict[str, list[PopulationMargin]] = {}
    for margin in margins:
        out.setdefault(margin.target_group.key, []).append(margin)
    return out
