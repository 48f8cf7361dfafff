"""Tracking measures over the three years: status updates, overviews, yearly progress."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from surveys.db import SessionLike
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import GoalAgreement, Handlungsfeld, Measure, MeasureStatus, StatusUpdate
from surveys.workshop.inputs import INDICATOR_VALUE_MAX, clean, parse_date, parse_status

TRUTHY = {"1", "on", "true", "ja", "yes", "x"}


@dataclass(frozen=True)
class UpdateInput:
    """Validated content of one status update."""

    recorded_on: date
    status: MeasureStatus
    note: str = ""
    indicator_value: str = ""
    public: bool = False


def parse_update(form: Mapping[str, str], today: date) -> UpdateInput:
    """Validate a status update form (``recorded_on``, ``status``, ``note``, ...) or raise."""
    errors: list[FieldError] = []
    recorded_on: date | None = None
    try:
        recorded_on = parse_date(clean(form.get("recorded_on")))
    except ValueError:
        errors.append(
            FieldError("recorded_on", N_("Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein."))
        )
    else:
        if recorded_on is None:
            errors.append(FieldError("recorded_on", N_("Bitte geben Sie ein Datum an.")))
        elif recorded_on > today:
            errors.append(
                FieldError("recorded_on", N_("Das Datum darf nicht in der Zukunft liegen."))
            )
    status = MeasureStatus.PLANNED
    try:
        status = parse_status(clean(form.get("status")))
    except ValueError:
        errors.append(
            FieldError(
                "status",
                N_(
                    "Bitte wählen Sie einen Status: geplant, begonnen, umgesetzt, "
                    "zurückgestellt oder nicht umgesetzt."
                ),
            )
        )
    value = clean(form.get("indicator_value"))
    if len(value) > INDICATOR_VALUE_MAX:
        errors.append(
            FieldError(
                "indicator_value", N_("Höchstens %(max)s Zeichen."), {"max": INDICATOR_VALUE_MAX}
            )
        )
    note = clean(form.get("note"))
    if status in (MeasureStatus.POSTPONED, MeasureStatus.DROPPED) and not note:
        errors.append(
            FieldError(
                "note", N_("Bitte begründen Sie kurz, warum die Maßnahme ruht oder entfällt.")
            )
        )
    if errors or recorded_on is None:
        raise ValidationError(errors)
    return UpdateInput(
        recorded_on=recorded_on,
        status=status,
        note=note,
        indicator_value=value,
        public=clean(form.get("public")).lower() in TRUTHY,
    )


def add_status_update(
    session: SessionLike,
    measure: Measure,
    data: UpdateInput,
    actor: str,
    user_id: int | None = None,
) -> StatusUpdate:
    """Record a status update of a measure of the agreement's newest version."""
    agreement = measure.goal.version.agreement
    if measure.goal.version is not agreement.current:
        raise Conflict(N_("Status werden nur für Maßnahmen der aktuellen Version erfasst."))
    update = StatusUpdate(
        recorded_on=data.recorded_on,
        status=data.status,
        note=data.note,
        indicator_value=data.indicator_value,
        public=data.public,
        recorded_by=actor,
        user_id=user_id,
    )
    measure.updates.append(update)
    measure.updates.sort(key=lambda u: (u.recorded_on, u.id or 1 << 62))
    session.flush()
    return update


def status_on(measure: Measure, day: date) -> MeasureStatus:
    """Return the status of ``measure`` at the end of ``day`` (``geplant`` before any update)."""
    current = MeasureStatus.PLANNED
    for update in measure.updates:
        if update.recorded_on <= day:
            current = update.status
    return current


def tracked_measures(agreement: GoalAgreement, field: Handlungsfeld | None = None) -> list[Measure]:
    """Return the measures of the newest version, optionally of one field, in code order."""
    return [
        m
        for g in agreement.current.goals
        if field is None or g.handlungsfeld_id == field.id
        for m in g.measures
    ]


def status_counts(measures: list[Measure], day: date | None = None) -> dict[MeasureStatus, int]:
    """Count measures per status (today's status, or the status on ``day``)."""
    counts = dict.fromkeys(MeasureStatus, 0)
    for measure in measures:
        counts[measure.status if day is None else status_on(measure, day)] += 1
    return counts


@dataclass
class YearProgress:
    """Status counts at the end of one year, for all fields and per field key."""

    year: int
    total: dict[MeasureStatus, int]
    by_field: dict[str, dict[MeasureStatus, int]] = field(default_factory=dict)
    updates: list[tuple[Measure, StatusUpdate]] = field(default_factory=list)


def yearly_progress(
    agreement: GoalAgreement, fields: list[Handlungsfeld], today: date
) -> list[YearProgress]:
    """Return the status counts at the end of every year from the period start to ``today``.

    Years start earlier if updates were recorded before the period; none after ``today``.
    The current year is counted as of ``today``; each year lists the updates recorded in it.
    """
    measures = tracked_measures(agreement)
    first_year = min(
        [agreement.period_start.year]
        + [u.recorded_on.year for m in measures for u in m.updates if u.recorded_on <= today]
    )
    last_year = today.year
    years: list[YearProgress] = []
    for year in range(first_year, last_year + 1):
        cut = min(date(year, 12, 31), today)
        progress = YearProgress(year=year, total=status_counts(measures, cut))
        for hf in fields:
            in_field = [m for m in measures if m.goal.handlungsfeld_id == hf.id]
            if in_field:
                progress.by_field[hf.key] = status_counts(in_field, cut)
        progress.updates = [
            (m, u) for m in measures for u in m.updates if u.recorded_on.year == year
        ]
        years.append(progress)
    return years


def public_updates(agreement: GoalAgreement) -> list[tuple[Measure, StatusUpdate]]:
    """Return the updates marked public, newest first (for an accountability page)."""
    pairs = [(m, u) for m in tracked_measures(agreement) for u in m.updates if u.public]
    return sorted(pairs, key=lambda p: (p[1].recorded_on, p[1].id), reverse=True)
