"""Builders of minimal surveys and agreements for the workshop tests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.models import (
    Answer,
    GoalAgreement,
    Handlungsfeld,
    Item,
    Question,
    QuestionType,
    Response,
    Section,
    Survey,
    TargetGroup,
)
from surveys.publication import comment_reference
from surveys.workshop.agreements import start_agreement
from surveys.workshop.goals import add_goal, add_measure
from surveys.workshop.inputs import VisibleComment


def field(session: Session, key: str) -> Handlungsfeld:
    """Return the Handlungsfeld with ``key``."""
    return session.scalars(select(Handlungsfeld).where(Handlungsfeld.key == key)).one()


def make_survey(session: Session, slug: str = "bilanz-2026") -> Survey:
    """A survey with one matrix question (two items), one text question and one comment."""
    survey = Survey(slug=slug, title=f"Umfrage {slug}")
    session.add(survey)
    session.flush()
    section = Section(title="Bildung", handlungsfeld=field(session, "bildung"))
    matrix = Question(
        survey_id=survey.id, key="kita", type=QuestionType.MATRIX, text="Wie zufrieden sind Sie?"
    )
    matrix.items = [
        Item(key="oeffnungszeiten", text="Öffnungszeiten"),
        Item(key="kosten", text="Kosten"),
    ]
    text = Question(
        survey_id=survey.id, key="bildung_kommentar", type=QuestionType.TEXT, text="Was fehlt?"
    )
    section.questions = [matrix, text]
    survey.sections.append(section)
    session.flush()
    group = session.scalars(select(TargetGroup).where(TargetGroup.key == "familien")).one()
    response = Response(survey_id=survey.id, target_group=group, submitted_on=date(2026, 5, 1))
    response.answers = [Answer(question_id=text.id, text="Mehr Ganztagsplätze!")]
    session.add(response)
    session.flush()
    return survey


def comment_id(session: Session, survey: Survey) -> int:
    """Return the id of the survey's one comment."""
    return session.scalars(
        select(Answer.id).join(Question).where(Question.survey_id == survey.id)
    ).one()


def visible_comment(session: Session, survey: Survey) -> tuple[str, dict[str, VisibleComment]]:
    """Return the reference of the survey's one comment and a visible-comments map with it."""
    question, text = session.execute(
        select(Question.key, Answer.text).join(Answer).where(Question.survey_id == survey.id)
    ).one()
    comment = VisibleComment(question, "familien", text or "")
    ref = comment_reference(question, "familien", text or "")
    return ref, {ref: comment}


def measure_form(**overrides: str) -> dict[str, str]:
    """A valid measure form within a 2027–2029 period."""
    form = {
        "title": "Ferienbetreuung an allen Grundschulen",
        "description": "In allen Ferien außer Weihnachten.",
        "responsible_unit": "Fachdienst Schule",
        "partners": "Träger der Jugendhilfe",
        "starts_on": "01.08.2027",
        "ends_on": "2029-07-31",
        "indicator": "Grundschulen mit Ferienbetreuung",
        "target_value": "14 von 14",
        "estimated_cost": "120.000",
        "priority": "hoch",
        "findings": "kita/oeffnungszeiten\nbildung_kommentar",
        "comment_refs": "",
    }
    form.update(overrides)
    return form


def agreement_with_measures(session: Session, count: int = 3) -> GoalAgreement:
    """An agreement (period 2027–2029) with one goal in Bildung and ``count`` measures."""
    survey = make_survey(session)
    agreement = start_agreement(session, survey, date(2027, 1, 1))
    goal = add_goal(session, agreement, field(session, "bildung"), {"title": "Ganztag ausbauen"})
    for n in range(count):
        add_measure(session, goal, measure_form(title=f"Maßnahme {n + 1}", findings=""))
    return agreement
