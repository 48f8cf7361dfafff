"""Demo Zielvereinbarung: the 2019 agreement of Delmenhorst with a status history to 2026.

``seed_workshop_demo`` is called by the demo seeder (``demo``) with the two demo
surveys; it is idempotent (does nothing for a survey that already has an agreement).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from demo.workshop_data import FINDINGS, PLAN_2019, PROPOSALS_2026
from surveys.db import SessionLike
from surveys.models import (
    GoalAgreement,
    Handlungsfeld,
    Survey,
    VersionState,
)
from surveys.workshop.agreements import agreement_for, start_agreement
from surveys.workshop.goals import add_goal, add_measure
from surveys.workshop.inputs import clean
from surveys.workshop.queries import finding_candidates
from surveys.workshop.tracking import UpdateInput, add_status_update

ACTOR = "Demo-Daten"

if TYPE_CHECKING:  # the demo package imports this module; avoid the cycle at run time
    from demo.hooks import DemoContext


def _known_refs(session: SessionLike, survey: Survey, fields: list[Handlungsfeld]) -> set[str]:
    """Every question and question/item reference the survey can link to."""
    refs: set[str] = set()
    for hf in fields:
        for ref, _ in finding_candidates(session, survey.id, hf.id):
            refs.add(ref)
            refs.add(ref.split("/", 1)[0])
    return refs


def _findings(title: str, known: set[str]) -> str:
    return "\n".join(ref for ref in FINDINGS.get(title, ()) if ref in known)


def seed_workshop(session: SessionLike, context: DemoContext) -> str | None:
    """Seeder hook for :data:`demo.EXTRA_SEEDERS` (returns a summary sentence)."""
    if agreement_for(session, context.baseline) is not None:
        return None
    seed_workshop_demo(session, context.baseline, context.current)
    return "Zielvereinbarung 2019 mit Umsetzungsstand bis 2026 und Vorschläge 2026 angelegt."


def seed_workshop_demo(
    session: SessionLike, survey_2019: Survey, survey_2026: Survey
) -> GoalAgreement:
    """Seed the frozen 2019 agreement with its status history and a 2026 draft with proposals.

    Returns the 2019 agreement; flushes, never commits.
    """
    fields = {hf.key: hf for hf in session.scalars(select(Handlungsfeld))}
    existing = agreement_for(session, survey_2019)
    if existing is not None:
        return existing
    known_2019 = _known_refs(session, survey_2019, list(fields.values()))
    known_2026 = _known_refs(session, survey_2026, list(fields.values()))
    agreement = start_agreement(session, survey_2019, date(2020, 1, 1))
    for key, goals in PLAN_2019.items():
        for goal_title, measures in goals:
            goal = add_goal(session, agreement, fields[key], {"title": goal_title})
            for title, unit, partners, start, end, indicator, target, cost, prio, _ in measures:
                add_measure(
                    session,
                    goal,
                    {
                        "title": title,
                        "responsible_unit": unit,
                        "partners": partners,
                        "starts_on": start,
                        "ends_on": end,
                        "indicator": indicator,
                        "target_value": target,
                        "estimated_cost": str(cost),
                        "priority": prio.value,
                        "description": f"Maßnahme zum Ziel „{goal_title}“.",
                        "findings": _findings(title, known_2019),
                    },
                )
    version = agreement.current
    version.state = VersionState.FROZEN
    version.resolution_date = date(2019, 12, 12)
    version.paper_number = "DS 19/0847"
    version.frozen_by = ACTOR
    version.frozen_at = datetime(2019, 12, 12, 18, 0, tzinfo=UTC)
    for key, goals in PLAN_2019.items():
        goal_objs = [g for g in version.goals if g.handlungsfeld_id == fields[key].id]
        for goal, (_, measures) in zip(goal_objs, goals, strict=True):
            for measure, spec in zip(goal.measures, measures, strict=True):
                for day, status, note, value, public in spec[9]:
                    data = UpdateInput(date.fromisoformat(day), status, clean(note), value, public)
                    add_status_update(session, measure, data, ACTOR)
    if agreement_for(session, survey_2026) is None:
        draft = start_agreement(session, survey_2026, date(2027, 1, 1))
        for key, (goal_title, proposals) in PROPOSALS_2026.items():
            goal = add_goal(session, draft, fields[key], {"title": goal_title})
            for title, unit in proposals:
                add_measure(
                    session,
                    goal,
                    {
                        "title": title,
                        "responsible_unit": unit,
                        "findings": _findings(title, known_2026),
                    },
                )
    session.flush()
    return agreement
