"""The "status of the previous period's measures" for the next audit's Workshop-Mappe.

A new survey's baseline survey (``Survey.baseline``) carries the previous goal agreement;
its measures with their latest status are the Bilanz the next workshop starts from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from surveys.db import SessionLike
from surveys.models import GoalAgreement, Handlungsfeld, MeasureStatus, Survey
from surveys.workshop.agreements import agreement_for
from surveys.workshop.tracking import tracked_measures


@dataclass(frozen=True)
class PreviousMeasure:
    """One measure of the previous agreement with its latest reported state."""

    code: str
    goal: str
    title: str
    responsible_unit: str
    status: MeasureStatus
    last_update: date | None
    last_note: str
    indicator: str
    target_value: str
    last_value: str


def previous_agreement(session: SessionLike, survey: Survey) -> GoalAgreement | None:
    """Return the goal agreement of ``survey``'s baseline survey, if there is one."""
    if survey.baseline is None:
        return None
    return agreement_for(session, survey.baseline)


def previous_measures(
    session: SessionLike, survey: Survey, field: Handlungsfeld | None = None
) -> list[PreviousMeasure]:
    """Return the previous period's measures (optionally of one field) with their status."""
    agreement = previous_agreement(session, survey)
    if agreement is None:
        return []
    rows: list[PreviousMeasure] = []
    for measure in tracked_measures(agreement, field):
        last = measure.updates[-1] if measure.updates else None
        value = next(
            (u.indicator_value for u in reversed(measure.updates) if u.indicator_value), ""
        )
        rows.append(
            PreviousMeasure(
                code=measure.code,
                goal=measure.goal.title,
                title=measure.title,
                responsible_unit=measure.responsible_unit,
                status=measure.status,
                last_update=last.recorded_on if last else None,
                last_note=last.note if last else "",
                indicator=measure.indicator,
                target_value=measure.target_value,
                last_value=value,
            )
        )
    return rows
