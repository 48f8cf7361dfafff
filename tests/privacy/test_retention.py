"""Retention with a frozen clock: expired drafts, free text and whole responses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from surveys.drafts import save_draft
from surveys.errors import ValidationError
from surveys.models import AggregateSnapshot, Answer, Draft, Response, SurveyStatus, TargetGroup
from surveys.responses import store_response
from surveys.retention import purge_drafts, purge_free_text, purge_responses
from tests.factories import build_survey

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
ANSWERS = {"kita": 4, "beratung": True, "anmerkungen": "Mehr Bänke im Park"}


def _survey(responses: int, *, closed: bool = True) -> object:
    survey = build_survey(db.session)
    groups = {g.key: g for g in db.session.scalars(select(TargetGroup))}
    for n in range(responses):
        group = groups["familien"] if n < responses - 2 else groups["senioren"]
        answers = (
            {**ANSWERS, "kita": 1 + n % 5}
            if group.key == "familien"
            else {"beratung": False, "anmerkungen": "x"}
        )
        store_response(db.session, survey, group, answers, today=date(2026, 10, 1))
    survey.status = SurveyStatus.CLOSED if closed else SurveyStatus.OPEN
    db.session.commit()
    return survey


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_expired_drafts_go_and_fresh_ones_stay(app: Flask) -> None:
    survey = build_survey(db.session)
    group = db.session.scalar(select(TargetGroup).where(TargetGroup.key == "familien"))
    save_draft(
        db.session,
        survey,
        "old-key",
        group,
        {"kita": 4},
        step=1,
        now=NOW - timedelta(days=40),
        ttl=timedelta(days=30),
    )
    save_draft(
        db.session,
        survey,
        "new-key",
        group,
        {"kita": 3},
        step=1,
        now=NOW - timedelta(days=5),
        ttl=timedelta(days=30),
    )
    db.session.commit()
    assert purge_drafts(db.session, NOW).drafts == 1
    db.session.commit()
    assert count(Draft) == 1
    assert purge_drafts(db.session, NOW + timedelta(days=26)).drafts == 1


def test_free_text_purge_keeps_numbers(app: Flask) -> None:
    survey = _survey(6)
    before_numbers = db.session.scalar(select(func.count(Answer.id)).where(Answer.num.is_not(None)))
    result = purge_free_text(db.session, survey)
    db.session.commit()
    assert result.texts == 6
    assert db.session.scalar(select(func.count(Answer.id)).where(Answer.text.is_not(None))) == 0
    assert (
        db.session.scalar(select(func.count(Answer.id)).where(Answer.num.is_not(None)))
        == before_numbers
    )
    assert count(Response) == 6


def test_response_purge_keeps_an_aggregate_snapshot_without_small_cells(app: Flask) -> None:
    survey = _survey(7)  # 5 Familien, 2 Senioren
    result = purge_responses(db.session, survey, today=date(2027, 3, 1), min_cell=5)
    db.session.commit()
    assert result.responses == 7 and count(Response) == 0 and count(Answer) == 0
    snapshot = db.session.get(AggregateSnapshot, result.snapshot_id)
    assert (
        snapshot is not None and snapshot.responses == 7 and snapshot.created_on == date(2027, 3, 1)
    )
    assert {cell["group"] for cell in snapshot.cells} == {"familien"}  # senioren: only 2
    assert all(cell["n"] >= 5 for cell in snapshot.cells)
    kita = [
        c
        for c in snapshot.cells
        if c["mean"] is not None and c["item_id"] is None and c["option_id"] is None
    ]
    assert any(abs(c["mean"] - 3.0) < 1e-9 for c in kita)  # 1..5 → mean 3


def test_an_open_survey_is_never_purged(app: Flask) -> None:
    survey = _survey(5, closed=False)
    with pytest.raises(ValidationError):
        purge_responses(db.session, survey, today=date(2026, 11, 25), min_cell=5)
    with pytest.raises(ValidationError):
        purge_free_text(db.session, survey)
    db.session.rollback()
    assert count(Response) == 5


def test_cli_asks_for_confirmation_and_refuses_open_surveys(app: Flask) -> None:
    _survey(5, closed=False)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["purge", "--survey", "familienumfrage", "--responses", "--yes"])
    assert refused.exit_code != 0 and "geschlossenen" in refused.output
    assert count(Response) == 5
    from surveys.models import Survey

    db.session.scalar(select(Survey)).status = SurveyStatus.CLOSED
    db.session.commit()
    declined = runner.invoke(
        args=["purge", "--survey", "familienumfrage", "--responses"], input="n\n"
    )
    assert declined.exit_code != 0 and count(Response) == 5
    done = runner.invoke(
        args=["purge", "--survey", "familienumfrage", "--responses"], input="j\ny\n"
    )
    assert done.exit_code == 0, done.output
    assert count(Response) == 0 and count(AggregateSnapshot) == 1
