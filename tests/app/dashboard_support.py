"""Helpers of the dashboard and Workshop-Mappe tests: a seeded demo, a logged-in moderator,
a tiny target group and comments with hostile payloads."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from app.extensions import db
from demo import seed_demo
from demo.content import CURRENT
from surveys.models import Answer, Question, Response, Role, Survey, TargetGroup
from tests.app.workshop_support import login, make_user

SLUG = CURRENT.slug
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","klick")'


def seeded(responses: int = 120) -> Survey:
    """Seed the demo (2019 baseline with its goal agreement, current survey) and commit."""
    seed_demo(db.session, responses=responses)
    db.session.commit()
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    assert survey is not None
    return survey


def moderator_client(app: Flask) -> FlaskClient:
    """A test client logged in as a moderator."""
    client = app.test_client()
    login(client, make_user(Role.MODERATOR))
    return client


def shrink_group(survey: Survey, key: str, keep: int) -> None:
    """Delete all but ``keep`` responses of target group ``key`` of ``survey``."""
    group_id = db.session.scalar(select(TargetGroup.id).where(TargetGroup.key == key))
    ids = db.session.scalars(
        select(Response.id)
        .where(Response.survey_id == survey.id, Response.target_group_id == group_id)
        .order_by(Response.id)
    ).all()
    doomed = list(ids[keep:])
    db.session.execute(delete(Answer).where(Answer.response_id.in_(doomed)))
    db.session.execute(delete(Response).where(Response.id.in_(doomed)))
    db.session.commit()


def plant_comments(survey: Survey, question_key: str, texts: list[str]) -> int:
    """Overwrite the free-text answers of ``question_key`` with ``texts`` (cycled)."""
    question_id = db.session.scalar(
        select(Question.id).where(Question.survey_id == survey.id, Question.key == question_key)
    )
    answers = db.session.scalars(
        select(Answer)
        .join(Response)
        .where(
            Response.survey_id == survey.id,
            Answer.question_id == question_id,
            Answer.text.is_not(None),
        )
    ).all()
    for n, answer in enumerate(answers):
        answer.text = f"{texts[n % len(texts)]} #{n}"
    db.session.commit()
    return len(answers)
