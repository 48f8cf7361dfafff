"""Parsing and validation of goal and measure form input into typed values.

Every problem becomes a :class:`~surveys.errors.FieldError` naming the input it concerns,
with a German message marked by ``N_``; all problems are reported together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from surveys.errors import FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import MeasureStatus, Priority

TITLE_MAX = 500
UNIT_MAX = 300
TARGET_MAX = 300
INDICATOR_VALUE_MAX = 200
PAPER_NUMBER_MAX = 60
COST_MAX = 1_000_000_000


@dataclass
class GoalInput:
    """Validated content of a goal."""

    title: str
    description: str


COMMENT_REFERENCE = re.compile(r"(?:K-?)?([0-9A-F]{8})", re.IGNORECASE)


@dataclass(frozen=True)
class VisibleComment:
    """A comment a moderator can read on the dashboard (its cell passed the text threshold)."""

    question_key: str
    group: str
    text: str


@dataclass
class FindingRef:
    """A reference to a survey finding: ``question/item`` key or a comment (answer id)."""

    question_key: str
    item_key: str | None = None
    answer_id: int | None = None


@dataclass
class MeasureInput:
    """Validated content of a measure."""

    title: str
    description: str = ""
    responsible_unit: str = ""
    partners: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    indicator: str = ""
    target_value: str = ""
    estimated_cost: int | None = None
    priority: Priority = Priority.MEDIUM
    item_refs: list[FindingRef] = field(default_factory=list)
    comment_refs: list[str] = field(default_factory=list)


def clean(value: str | None) -> str:
    """Strip surrounding white space and normalise line endings."""
    return (value or "").replace("\r\n", "\n").strip()


def parse_date(value: str) -> date | None:
    """Parse ``YYYY-MM-DD`` or German ``TT.MM.JJJJ``; ``None`` when empty; ``ValueError`` else."""
    value = value.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(value)


def parse_euros(value: str) -> int | None:
    """Parse an amount in whole euros (``12.500``, ``12500 €``, ``12.500,00``); ``ValueError``."""
    text = value.replace("€", "").replace("EUR", "").replace(" ", "").strip()
    if not text:
        return None
    text = re.sub(r",0{1,2}$", "", text)
    if not re.fullmatch(r"\d{1,3}(\.\d{3})+|\d+", text):
        raise ValueError(value)
    return int(text.replace(".", ""))


def _required(errors: list[FieldError], name: str, value: str, limit: int) -> None:
    if not value:
        errors.append(FieldError(name, N_("Bitte füllen Sie dieses Feld aus.")))
    elif len(value) > limit:
        errors.append(FieldError(name, N_("Höchstens %(max)s Zeichen."), {"max": limit}))


def _limit(errors: list[FieldError], name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.append(FieldError(name, N_("Höchstens %(max)s Zeichen."), {"max": limit}))


def parse_goal(form: Mapping[str, str]) -> GoalInput:
    """Return the goal described by ``form`` (``title``, ``description``) or raise."""
    errors: list[FieldError] = []
    title = clean(form.get("title"))
    _required(errors, "title", title, TITLE_MAX)
    if errors:
        raise ValidationError(errors)
    return GoalInput(title=title, description=clean(form.get("description")))


def parse_finding_refs(text: str) -> list[FindingRef]:
    """Parse one ``question_key`` or ``question_key/item_key`` per line (or comma-separated)."""
    refs: list[FindingRef] = []
    for raw in re.split(r"[\n,;]+", text):
        token = raw.strip()
        if not token:
            continue
        question, _, item = token.partition("/")
        refs.append(FindingRef(question.strip(), item.strip() or None))
    return refs


def parse_measure(form: Mapping[str, str], period_start: date, period_end: date) -> MeasureInput:
    """Return the measure described by ``form`` or raise with every problem found.

    The timeframe must lie within the agreement's period (``period_start``–``period_end``).
    """
    errors: list[FieldError] = []
    title = clean(form.get("title"))
    _required(errors, "title", title, TITLE_MAX)
    unit = clean(form.get("responsible_unit"))
    _required(errors, "responsible_unit", unit, UNIT_MAX)
    target = clean(form.get("target_value"))
    _limit(errors, "target_value", target, TARGET_MAX)

    dates: dict[str, date | None] = {}
    for name in ("starts_on", "ends_on"):
        try:
            dates[name] = parse_date(clean(form.get(name)))
        except ValueError:
            errors.append(
                FieldError(name, N_("Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein."))
            )
            dates[name] = None
            continue
        value = dates[name]
        if value is not None and not period_start <= value <= period_end:
            errors.append(
                FieldError(
                    name,
                    N_(
                        "Das Datum muss im Zeitraum der Zielvereinbarung liegen "
                        "(%(start)s–%(end)s)."
                    ),
                    {"start": f"{period_start:%d.%m.%Y}", "end": f"{period_end:%d.%m.%Y}"},
                )
            )
    start, end = dates["starts_on"], dates["ends_on"]
    if start and end and end < start:
        errors.append(FieldError("ends_on", N_("Das Ende darf nicht vor dem Beginn liegen.")))

    cost: int | None = None
    try:
        cost = parse_euros(clean(form.get("estimated_cost")))
    except ValueError:
        errors.append(
            FieldError(
                "estimated_cost",
                N_("Bitte geben Sie einen Betrag in ganzen Euro ein, z. B. 12.500."),
            )
        )
    if cost is not None and cost > COST_MAX:
        errors.append(FieldError("estimated_cost", N_("Der Betrag ist unrealistisch hoch.")))

    priority = Priority.MEDIUM
    raw_priority = clean(form.get("priority")) or Priority.MEDIUM.value
    try:
        priority = Priority(raw_priority)
    except ValueError:
        errors.append(FieldError("priority", N_("Bitte wählen Sie eine Priorität.")))

    comment_refs: list[str] = []
    for token in re.split(r"[\s,;]+", clean(form.get("comment_refs"))):
        if not token:
            continue
        match = COMMENT_REFERENCE.fullmatch(token.lstrip("#"))
        if match is None:
            errors.append(
                FieldError(
                    "comment_refs",
                    N_("„%(value)s“ ist keine Kommentar-Kennung wie K-3FA9C2D1."),
                    {"value": token[:40]},
                )
            )
            continue
        comment_refs.append("K-" + match.group(1).upper())

    if errors:
        raise ValidationError(errors)
    return MeasureInput(
        title=title,
        description=clean(form.get("description")),
        responsible_unit=unit,
        partners=clean(form.get("partners")),
        starts_on=start,
        ends_on=end,
        indicator=clean(form.get("indicator")),
        target_value=target,
        estimated_cost=cost,
        priority=priority,
        item_refs=parse_finding_refs(clean(form.get("findings"))),
        comment_refs=sorted(set(comment_refs)),
    )


def parse_status(value: str) -> MeasureStatus:
    """Return the status named ``value`` (German label, any case, ``ue`` for ``ü``).

    Raises ``ValueError`` for an unknown status.
    """
    text = " ".join(value.strip().lower().split()).replace("zurueck", "zurück")
    return MeasureStatus(text)
