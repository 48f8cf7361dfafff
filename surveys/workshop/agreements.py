"""Goal agreements and their versions: create, freeze with the council's decision, revise."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import (
    AgreementVersion,
    Goal,
    GoalAgreement,
    Measure,
    MeasureFinding,
    StatusUpdate,
    Survey,
    VersionState,
    utcnow,
)
from surveys.workshop.inputs import PAPER_NUMBER_MAX, clean, parse_date

PERIOD_YEARS = 3


def period_for(start: date) -> tuple[date, date]:
    """Return the three-year period that begins on ``start`` (end day inclusive)."""
    try:
        after = start.replace(year=start.year + PERIOD_YEARS)
    except ValueError:  # 29 February
        after = start.replace(year=start.year + PERIOD_YEARS, day=28)
    return start, date.fromordinal(after.toordinal() - 1)


def agreement_for(session: SessionLike, survey: Survey) -> GoalAgreement | None:
    """Return the goal agreement of ``survey``, if one was started."""
    return session.scalar(select(GoalAgreement).where(GoalAgreement.survey_id == survey.id))


def start_agreement(
    session: SessionLike, survey: Survey, period_start: date, title: str = ""
) -> GoalAgreement:
    """Create the goal agreement of ``survey`` with an empty first draft version."""
    if agreement_for(session, survey) is not None:
        raise Conflict(N_("Für diese Umfrage gibt es bereits eine Zielvereinbarung."))
    start, end = period_for(period_start)
    agreement = GoalAgreement(
        survey=survey,
        title=title or f"Zielvereinbarung {start.year}–{end.year}",
        period_start=start,
        period_end=end,
    )
    agreement.versions.append(AgreementVersion(number=1, state=VersionState.DRAFT))
    session.add(agreement)
    session.flush()
    return agreement


def editable_version(agreement: GoalAgreement) -> AgreementVersion:
    """Return the draft version; raise :class:`Conflict` when the newest one is frozen."""
    version = agreement.current
    if version.is_frozen:
        raise Conflict(
            N_(
                "Version %(number)s ist beschlossen und kann nicht mehr geändert werden. "
                "Legen Sie eine neue Version an."
            ),
            number=version.number,
        )
    return version


def freeze_version(
    session: SessionLike,
    version: AgreementVersion,
    resolution_date: str,
    paper_number: str,
    actor: str,
) -> AgreementVersion:
    """Freeze a draft with the council's resolution date and paper number (Drucksache)."""
    if version.is_frozen:
        raise Conflict(N_("Diese Version ist bereits beschlossen."))
    errors: list[FieldError] = []
    resolved: date | None = None
    try:
        resolved = parse_date(clean(resolution_date))
    except ValueError:
        errors.append(
            FieldError("resolution_date", N_("Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein."))
        )
    else:
        if resolved is None:
            errors.append(
                FieldError("resolution_date", N_("Bitte geben Sie das Datum des Beschlusses an."))
            )
        elif resolved > utcnow().date():
            errors.append(
                FieldError(
                    "resolution_date", N_("Das Beschlussdatum darf nicht in der Zukunft liegen.")
                )
            )
    number = clean(paper_number)
    if not number:
        errors.append(FieldError("paper_number", N_("Bitte geben Sie die Drucksachennummer an.")))
    elif len(number) > PAPER_NUMBER_MAX:
        errors.append(
            FieldError("paper_number", N_("Höchstens %(max)s Zeichen."), {"max": PAPER_NUMBER_MAX})
        )
    if not errors and not any(goal.measures for goal in version.goals):
        errors.append(
            FieldError(
                "paper_number", N_("Eine Version ohne Maßnahmen kann nicht beschlossen werden.")
            )
        )
    if errors:
        raise ValidationError(errors)
    version.state = VersionState.FROZEN
    version.resolution_date = resolved
    version.paper_number = number
    version.frozen_at = utcnow()
    version.frozen_by = actor
    session.flush()
    return version


def new_version(
    session: SessionLike, agreement: GoalAgreement, change_note: str = ""
) -> AgreementVersion:
    """Start a new draft as a copy of the newest frozen version (goals, measures, history)."""
    source = agreement.current
    if not source.is_frozen:
        raise Conflict(N_("Es gibt bereits einen Entwurf; bearbeiten Sie diesen."))
    draft = AgreementVersion(
        number=source.number + 1, state=VersionState.DRAFT, change_note=clean(change_note)
    )
    for goal in source.goals:
        goal_copy = Goal(
            handlungsfeld_id=goal.handlungsfeld_id,
            position=goal.position,
            code=goal.code,
            title=goal.title,
            description=goal.description,
        )
        for measure in goal.measures:
            goal_copy.measures.append(_copy_measure(measure))
        draft.goals.append(goal_copy)
    agreement.versions.append(draft)
    session.flush()
    return draft


def _copy_measure(measure: Measure) -> Measure:
    copy = Measure(
        position=measure.position,
        code=measure.code,
        title=measure.title,
        description=measure.description,
        responsible_unit=measure.responsible_unit,
        partners=measure.partners,
        starts_on=measure.starts_on,
        ends_on=measure.ends_on,
        indicator=measure.indicator,
        target_value=measure.target_value,
        estimated_cost=measure.estimated_cost,
        priority=measure.priority,
    )
    copy.findings = [
        MeasureFinding(
            kind=f.kind, question_key=f.question_key, item_key=f.item_key, answer_id=f.answer_id
        )
        for f in measure.findings
    ]
    copy.updates = [
        StatusUpdate(
            recorded_on=u.recorded_on,
            status=u.status,
            note=u.note,
            indicator_value=u.indicator_value,
            public=u.public,
            recorded_by=u.recorded_by,
            user_id=u.user_id,
        )
        for u in measure.updates
    ]
    return copy


def version_by_number(agreement: GoalAgreement, number: int) -> AgreementVersion | None:
    """Return the version with ``number`` or ``None``."""
    return next((v for v in agreement.versions if v.number == number), None)
