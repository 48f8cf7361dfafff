"""Demo seeder: publish the 2019 survey's results so the public pages are filled."""

from __future__ import annotations

from sqlalchemy import select

from demo.hooks import DemoContext
from surveys.db import SessionLike
from surveys.models import Answer, Question, QuestionType, Response, SurveyStatus, TargetGroup
from surveys.publication import PublicationInput, comment_key, get_publication, publish
from surveys.publication import save_publication as save

#: How many comments the demo selects (the public page shows only those of large groups).
DEMO_COMMENTS = 6


def _demo_comments(session: SessionLike, survey_id: int) -> tuple[str, ...]:
    """Pick a few distinct free-text answers, one per question, as staff would."""
    rows = session.execute(
        select(Question.key, TargetGroup.key, Answer.text)
        .join(Answer, Answer.question_id == Question.id)
        .join(Response, Response.id == Answer.response_id)
        .join(TargetGroup, TargetGroup.id == Response.target_group_id)
        .where(Question.survey_id == survey_id, Question.type == QuestionType.TEXT)
        .where(Answer.text.is_not(None), Answer.text != "")
        .order_by(Question.id, Answer.id)
        .limit(2000)
    )
    keys: list[str] = []
    seen: set[str] = set()
    for question, group, text in rows:
        if text is None or question in seen or len(text) < 20:
            continue
        seen.add(question)
        keys.append(comment_key(question, group, text))
        if len(keys) >= DEMO_COMMENTS:
            break
    return tuple(keys)


def seed_publication(session: SessionLike, context: DemoContext) -> str | None:
    """Publish the baseline survey's results once (idempotent; flush, no commit)."""
    survey = context.baseline
    if survey.status != SurveyStatus.CLOSED or get_publication(session, survey) is not None:
        return None
    fields = sorted(
        {q.section.handlungsfeld.key for q in survey.questions() if q.section.handlungsfeld},
    )
    data = PublicationInput(
        show_summary=True,
        charts=tuple(fields),
        comments=_demo_comments(session, survey.id),
        licence="dl-de/by-2-0",
    )
    save(session, survey, data, None)
    publish(session, survey, None)
    return f"Ergebnisse der Umfrage {survey.slug} veröffentlicht."
