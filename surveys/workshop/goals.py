"""Recording goals and measures in the draft version of a goal agreement."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.errors import FieldError, NotFound, ValidationError
from surveys.i18n import N_
from surveys.models import (
    Answer,
    FindingKind,
    Goal,
    GoalAgreement,
    Handlungsfeld,
    Item,
    Measure,
    MeasureFinding,
    Question,
)
from surveys.workshop.agreements import editable_version
from surveys.workshop.inputs import MeasureInput, parse_goal, parse_measure


def goals_of_field(
    agreement: GoalAgreement, field: Handlungsfeld, number: int | None = None
) -> list[Goal]:
    """Return the goals of ``field`` in version ``number`` (default: the newest version)."""
    version = agreement.current
    if number is not None:
        version = next((v for v in agreement.versions if v.number == number), version)
    return [g for g in version.goals if g.handlungsfeld_id == field.id]


def add_goal(
    session: SessionLike, agreement: GoalAgreement, field: Handlungsfeld, form: Mapping[str, str]
) -> Goal:
    """Add a goal to ``field`` in the draft; its code is ``<field number>.<n>``."""
    version = editable_version(agreement)
    data = parse_goal(form)
    siblings = [g for g in version.goals if g.handlungsfeld_id == field.id]
    seq = 1 + max((int(g.code.rsplit(".", 1)[-1]) for g in siblings), default=0)
    goal = Goal(
        handlungsfeld_id=field.id,
        position=len(siblings),
        code=f"{field.number}.{seq}",
        title=data.title,
        description=data.description,
    )
    version.goals.append(goal)
    session.flush()
    return goal


def update_goal(session: SessionLike, goal: Goal, form: Mapping[str, str]) -> Goal:
    """Change a goal's title and description (draft only)."""
    editable_version(goal.version.agreement)
    data = parse_goal(form)
    goal.title, goal.description = data.title, data.description
    session.flush()
    return goal


def delete_goal(session: SessionLike, goal: Goal) -> None:
    """Remove a goal and its measures from the draft."""
    editable_version(goal.version.agreement)
    goal.version.goals.remove(goal)  # delete-orphan cascade deletes it on flush
    session.flush()


def add_measure(session: SessionLike, goal: Goal, form: Mapping[str, str]) -> Measure:
    """Add a measure to ``goal`` (draft only); its code is ``<goal code>.<n>``."""
    agreement = goal.version.agreement
    editable_version(agreement)
    data = parse_measure(form, agreement.period_start, agreement.period_end)
    findings = resolve_findings(session, agreement, data)
    seq = 1 + max((int(m.code.rsplit(".", 1)[-1]) for m in goal.measures), default=0)
    measure = Measure(position=len(goal.measures), code=f"{goal.code}.{seq}")
    _apply(measure, data, findings)
    goal.measures.append(measure)
    session.flush()
    return measure


def update_measure(session: SessionLike, measure: Measure, form: Mapping[str, str]) -> Measure:
    """Replace a measure's content with ``form`` (draft only)."""
    agreement = measure.goal.version.agreement
    editable_version(agreement)
    data = parse_measure(form, agreement.period_start, agreement.period_end)
    findings = resolve_findings(session, agreement, data)
    _apply(measure, data, findings)
    session.flush()
    return measure


def delete_measure(session: SessionLike, measure: Measure) -> None:
    """Remove a measure from the draft."""
    editable_version(measure.goal.version.agreement)
    measure.goal.measures.remove(measure)  # delete-orphan cascade deletes it on flush
    session.flush()


def _apply(measure: Measure, data: MeasureInput, findings: list[MeasureFinding]) -> None:
    measure.title = data.title
    measure.description = data.description
    measure.responsible_unit = data.responsible_unit
    measure.partners = data.partners
    measure.starts_on = data.starts_on
    measure.ends_on = data.ends_on
    measure.indicator = data.indicator
    measure.target_value = data.target_value
    measure.estimated_cost = data.estimated_cost
    measure.priority = data.priority
    measure.findings = findings


def resolve_findings(
    session: SessionLike, agreement: GoalAgreement, data: MeasureInput
) -> list[MeasureFinding]:
    """Check the referenced question/item keys and comment ids against the agreement's survey.

    Raises :class:`ValidationError` on the ``findings`` or ``comment_ids`` field for unknown keys
    and for ids that are not free-text answers of this survey.
    """
    errors: list[FieldError] = []
    questions = {
        q.key: q
        for q in session.scalars(select(Question).where(Question.survey_id == agreement.survey_id))
    }
    found: list[MeasureFinding] = []
    for ref in data.item_refs:
        question = questions.get(ref.question_key)
        if question is None:
            errors.append(
                FieldError(
                    "findings",
                    N_("Die Frage „%(key)s“ gibt es in dieser Umfrage nicht."),
                    {"key": ref.question_key[:80]},
                )
            )
            continue
        if ref.item_key and ref.item_key not in {i.key for i in question.items}:
            errors.append(
                FieldError(
                    "findings",
                    N_("Die Frage „%(key)s“ hat keine Aussage „%(item)s“."),
                    {"key": ref.question_key, "item": ref.item_key[:80]},
                )
            )
            continue
        found.append(
            MeasureFinding(
                kind=FindingKind.ITEM, question_key=ref.question_key, item_key=ref.item_key
            )
        )
    if data.comment_ids:
        rows = session.execute(
            select(Answer.id, Question.key)
            .join(Question, Answer.question_id == Question.id)
            .where(
                Answer.id.in_(data.comment_ids),
                Question.survey_id == agreement.survey_id,
                Answer.text.is_not(None),
            )
        ).all()
        keys = {answer_id: key for answer_id, key in rows}
        for answer_id in data.comment_ids:
            if answer_id not in keys:
                errors.append(
                    FieldError(
                        "comment_ids",
                        N_("Einen Kommentar Nr. %(id)s gibt es in dieser Umfrage nicht."),
                        {"id": answer_id},
                    )
                )
                continue
            found.append(
                MeasureFinding(
                    kind=FindingKind.COMMENT, question_key=keys[answer_id], answer_id=answer_id
                )
            )
    if errors:
        raise ValidationError(errors)
    return found


def item_text(session: SessionLike, survey_id: int, question_key: str, item_key: str | None) -> str:
    """Return the wording of a referenced question or item ('' when it no longer exists)."""
    question = session.scalar(
        select(Question).where(Question.survey_id == survey_id, Question.key == question_key)
    )
    if question is None:
        return ""
    if item_key is None:
        return question.text
    item = session.scalar(select(Item).where(Item.question_id == question.id, Item.key == item_key))
    return item.text if item else ""


def measure_in(agreement: GoalAgreement, measure_id: int) -> Measure:
    """Return the measure with ``measure_id`` of any version of ``agreement``; raise NotFound."""
    for version in agreement.versions:
        for goal in version.goals:
            for measure in goal.measures:
                if measure.id == measure_id:
                    return measure
    raise NotFound(measure_id)


def goal_in(agreement: GoalAgreement, goal_id: int) -> Goal:
    """Return the goal with ``goal_id`` of any version of ``agreement``; raise NotFound."""
    for version in agreement.versions:
        for goal in version.goals:
            if goal.id == goal_id:
                return goal
    raise NotFound(goal_id)
