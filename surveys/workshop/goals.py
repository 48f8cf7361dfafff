"""Recording goals and measures in the draft version of a goal agreement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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
    Response,
    TargetGroup,
)
from surveys.publication import comment_reference
from surveys.workshop.agreements import editable_version
from surveys.workshop.inputs import MeasureInput, VisibleComment, parse_goal, parse_measure

#: The comments a moderator can cite, by reference (:func:`~surveys.publication.comment_reference`).
VisibleComments = Mapping[str, VisibleComment]
NO_COMMENTS: VisibleComments = {}


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


def add_measure(
    session: SessionLike,
    goal: Goal,
    form: Mapping[str, str],
    comments: VisibleComments = NO_COMMENTS,
) -> Measure:
    """Add a measure to ``goal`` (draft only); its code is ``<goal code>.<n>``.

    ``comments`` are the comments the moderator can read; only those can be cited.
    """
    agreement = goal.version.agreement
    editable_version(agreement)
    data = parse_measure(form, agreement.period_start, agreement.period_end)
    findings = resolve_findings(session, agreement, data, comments)
    seq = 1 + max((int(m.code.rsplit(".", 1)[-1]) for m in goal.measures), default=0)
    measure = Measure(position=len(goal.measures), code=f"{goal.code}.{seq}")
    _apply(measure, data, findings)
    goal.measures.append(measure)
    session.flush()
    return measure


def update_measure(
    session: SessionLike,
    measure: Measure,
    form: Mapping[str, str],
    comments: VisibleComments = NO_COMMENTS,
) -> Measure:
    """Replace a measure's content with ``form`` (draft only).

    A comment cited before stays cited even when it is no longer in ``comments``.
    """
    agreement = measure.goal.version.agreement
    editable_version(agreement)
    data = parse_measure(form, agreement.period_start, agreement.period_end)
    cited = dict(comment_references(session, [measure]).values())
    findings = resolve_findings(session, agreement, data, {**cited, **comments})
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
    session: SessionLike,
    agreement: GoalAgreement,
    data: MeasureInput,
    comments: VisibleComments = NO_COMMENTS,
) -> list[MeasureFinding]:
    """Check the referenced question/item keys and comment references against the survey.

    Raises :class:`ValidationError` on the ``findings`` or ``comment_refs`` field for unknown
    keys, and for comment references not among ``comments`` (the ones the moderator can read):
    a hidden comment gets the same message as one that does not exist.
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
    for reference in data.comment_refs:
        comment = comments.get(reference)
        answer_id = _answer_of(session, agreement.survey_id, comment) if comment else None
        if comment is None or answer_id is None:
            errors.append(
                FieldError(
                    "comment_refs",
                    N_("Einen Kommentar %(ref)s gibt es in der Kommentarliste nicht."),
                    {"ref": reference},
                )
            )
            continue
        found.append(
            MeasureFinding(
                kind=FindingKind.COMMENT, question_key=comment.question_key, answer_id=answer_id
            )
        )
    if errors:
        raise ValidationError(errors)
    return found


def _answer_of(session: SessionLike, survey_id: int, comment: VisibleComment) -> int | None:
    """The answer behind a shown comment (the first if several people wrote the same)."""
    return session.scalar(
        select(Answer.id)
        .join(Question, Answer.question_id == Question.id)
        .join(Response, Answer.response_id == Response.id)
        .join(TargetGroup, Response.target_group_id == TargetGroup.id)
        .where(
            Question.survey_id == survey_id,
            Question.key == comment.question_key,
            TargetGroup.key == comment.group,
            Answer.text == comment.text,
        )
        .order_by(Answer.id)
        .limit(1)
    )


def comment_references(
    session: SessionLike, measures: Iterable[Measure]
) -> dict[int, tuple[str, VisibleComment]]:
    """Return ``{finding id: (reference, comment)}`` for the comments the measures cite."""
    findings = {f.answer_id: f for m in measures for f in m.findings if f.answer_id is not None}
    if not findings:
        return {}
    rows = session.execute(
        select(Answer.id, Question.key, TargetGroup.key, Answer.text)
        .join(Question, Answer.question_id == Question.id)
        .join(Response, Answer.response_id == Response.id)
        .join(TargetGroup, Response.target_group_id == TargetGroup.id)
        .where(Answer.id.in_(list(findings)))
    ).all()
    out: dict[int, tuple[str, VisibleComment]] = {}
    for answer_id, question, group, text in rows:
        comment = VisibleComment(question, group, text or "")
        out[findings[answer_id].id] = (comment_reference(question, group, text or ""), comment)
    return out


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
