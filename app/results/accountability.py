"""The public accountability view: adopted goals and measures, their public progress.

Only frozen versions (what the council passed) are shown, the newest frozen version of each
agreement; only status updates marked public count. A measure's findings are shown by their
wording (item or question text), a linked comment only as "a comment on <question>", since a
single comment has not passed the minimum group size of the comment lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.models import (
    AgreementVersion,
    FindingKind,
    GoalAgreement,
    Measure,
    MeasureStatus,
    Question,
    StatusUpdate,
)
from surveys.workshop.queries import finding_texts


@dataclass
class PublicMeasure:
    """A measure as the public sees it: status and dates from public updates only."""

    measure: Measure
    agreement: GoalAgreement
    version: AgreementVersion
    status: MeasureStatus
    last_update: StatusUpdate | None
    updates: list[StatusUpdate]
    findings: list[tuple[str, bool]] = field(default_factory=list)  # (text, is_comment)

    @property
    def last_date(self) -> date | None:
        """The date of the newest public update."""
        return self.last_update.recorded_on if self.last_update else None


def adopted_version(agreement: GoalAgreement) -> AgreementVersion | None:
    """Return the newest frozen version of an agreement (``None`` before any adoption)."""
    frozen = [v for v in agreement.versions if v.is_frozen]
    return frozen[-1] if frozen else None


def _findings(
    session: SessionLike, agreement: GoalAgreement, measures: list[Measure]
) -> dict[int, list[tuple[str, bool]]]:
    texts = finding_texts(session, agreement.survey_id, measures)
    questions = dict(
        session.execute(
            select(Question.key, Question.text).where(Question.survey_id == agreement.survey_id)
        ).all()
    )
    out: dict[int, list[tuple[str, bool]]] = {}
    for m in measures:
        rows: list[tuple[str, bool]] = []
        for f in m.findings:
            if f.kind == FindingKind.COMMENT:
                rows.append((questions.get(f.question_key, ""), True))
            elif texts.get(f.id):
                rows.append((texts[f.id], False))
        out[m.id] = [r for r in dict.fromkeys(rows) if r[0]]
    return out


def public_measures(session: SessionLike) -> list[PublicMeasure]:
    """Return every adopted measure with its public status, newest agreement first."""
    agreements = session.scalars(
        select(GoalAgreement).order_by(GoalAgreement.period_start.desc(), GoalAgreement.id)
    ).all()
    out: list[PublicMeasure] = []
    for agreement in agreements:
        version = adopted_version(agreement)
        if version is None:
            continue
        measures = [m for g in version.goals for m in g.measures]
        findings = _findings(session, agreement, measures)
        # Updates are recorded on the newest version; a measure keeps its code across versions.
        current = {m.code: m for g in agreement.current.goals for m in g.measures}
        for m in measures:
            sources = [m.updates, current[m.code].updates if m.code in current else []]
            unique = {u.id: u for source in sources for u in source if u.public}
            updates = sorted(unique.values(), key=lambda u: (u.recorded_on, u.id))
            last = updates[-1] if updates else None
            out.append(
                PublicMeasure(
                    measure=m,
                    agreement=agreement,
                    version=version,
                    status=last.status if last else MeasureStatus.PLANNED,
                    last_update=last,
                    updates=updates,
                    findings=findings.get(m.id, []),
                )
            )
    return out


def find_measure(items: list[PublicMeasure], measure_id: int) -> PublicMeasure | None:
    """Return the public measure with ``measure_id`` (``None`` if it is not public)."""
    return next((p for p in items if p.measure.id == measure_id), None)
