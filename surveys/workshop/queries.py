"""Reads for the workshop pages: agreements by survey slug, finding texts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.models import (
    Answer,
    FindingKind,
    GoalAgreement,
    Handlungsfeld,
    Item,
    Measure,
    Question,
    Section,
    Survey,
    VoteSession,
)


def surveys_with_agreements(session: SessionLike) -> list[tuple[Survey, GoalAgreement | None]]:
    """Return every survey (newest first) with its goal agreement, if any."""
    agreements = {a.survey_id: a for a in session.scalars(select(GoalAgreement))}
    surveys = session.scalars(select(Survey).order_by(Survey.created_at.desc(), Survey.id.desc()))
    return [(s, agreements.get(s.id)) for s in surveys]


def fields_in_order(session: SessionLike) -> Sequence[Handlungsfeld]:
    """Return the six Handlungsfelder by number."""
    return session.scalars(select(Handlungsfeld).order_by(Handlungsfeld.number)).all()


def finding_texts(
    session: SessionLike, survey_id: int, measures: Iterable[Measure]
) -> dict[int, str]:
    """Return ``{finding id: wording}``: the item/question text or the comment itself."""
    findings = [f for m in measures for f in m.findings]
    if not findings:
        return {}
    questions = {
        q.key: q for q in session.scalars(select(Question).where(Question.survey_id == survey_id))
    }
    items = {
        (q_key, i.key): i.text
        for q_key, i in session.execute(
            select(Question.key, Item)
            .join(Item, Item.question_id == Question.id)
            .where(Question.survey_id == survey_id)
        ).all()
    }
    answer_ids = [f.answer_id for f in findings if f.answer_id is not None]
    comments: dict[int, str | None] = {
        answer_id: text
        for answer_id, text in session.execute(
            select(Answer.id, Answer.text).where(Answer.id.in_(answer_ids))
        ).all()
    }
    texts: dict[int, str] = {}
    for f in findings:
        if f.kind == FindingKind.COMMENT:
            texts[f.id] = comments.get(f.answer_id or 0) or ""
        elif f.item_key:
            texts[f.id] = items.get((f.question_key, f.item_key), "")
        else:
            question = questions.get(f.question_key)
            texts[f.id] = question.text if question else ""
    return texts


def finding_labels(
    session: SessionLike, survey_id: int, measures: Iterable[Measure]
) -> dict[int, str]:
    """Return ``{finding id: label}`` for documents a council reads: the question's wording
    (with the item's, "Frage – Aussage"), or "Kommentar zu „Frage“" for a comment – never
    an internal key, and never the comment itself (the annex is public)."""
    findings = [f for m in measures for f in m.findings]
    if not findings:
        return {}
    questions = dict(
        session.execute(
            select(Question.key, Question.text).where(Question.survey_id == survey_id)
        ).all()
    )
    items = {
        (q_key, i_key): text
        for q_key, i_key, text in session.execute(
            select(Question.key, Item.key, Item.text)
            .join(Item, Item.question_id == Question.id)
            .where(Question.survey_id == survey_id)
        ).all()
    }
    labels: dict[int, str] = {}
    for f in findings:
        question = questions.get(f.question_key) or f.question_key
        if f.kind == FindingKind.COMMENT:
            labels[f.id] = f"Kommentar zu „{question}“"
        elif f.item_key and (f.question_key, f.item_key) in items:
            labels[f.id] = f"{question} – {items[(f.question_key, f.item_key)]}"
        else:
            labels[f.id] = question
    return labels


def finding_candidates(
    session: SessionLike, survey_id: int, handlungsfeld_id: int
) -> list[tuple[str, str]]:
    """Return ``(reference, wording)`` of the questions and items asked in a field's sections.

    A matrix or Likert question contributes one ``question/item`` reference per item, other
    questions their key; these are what a moderator can tick as the finding behind a measure.
    """
    questions = session.scalars(
        select(Question)
        .join(Section, Question.section_id == Section.id)
        .where(Question.survey_id == survey_id, Section.handlungsfeld_id == handlungsfeld_id)
        .order_by(Section.position, Question.position)
    ).all()
    candidates: list[tuple[str, str]] = []
    for question in questions:
        if question.items:
            candidates.extend(
                (f"{question.key}/{item.key}", f"{question.text} – {item.text}")
                for item in question.items
            )
        else:
            candidates.append((question.key, question.text))
    return candidates


def votes_of_field(
    session: SessionLike, version_id: int, handlungsfeld_id: int
) -> Sequence[VoteSession]:
    """Return the prioritisation sessions of a field in a version, newest first."""
    return session.scalars(
        select(VoteSession)
        .where(
            VoteSession.version_id == version_id,
            VoteSession.handlungsfeld_id == handlungsfeld_id,
        )
        .order_by(VoteSession.id.desc())
    ).all()
