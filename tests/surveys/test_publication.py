"""Result publication domain: selection validation, publish rules, demo seeder."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import demo
from demo.publication import seed_publication
from surveys.errors import Conflict, ValidationError
from surveys.models import AuditEvent, ResultPublication, Survey, SurveyStatus
from surveys.publication import (
    comment_key,
    licence_of,
    parse_publication,
    publish,
    published_publication,
    unpublish,
)


def test_parse_rejects_unknown_licence_fields_and_comments() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_publication(
            {"licence": "proprietär"},
            {"charts": ["mond"], "comments": ["x"]},
            ["bildung"],
            ["a"],
        )
    assert {e.field for e in caught.value.errors} == {"licence", "charts", "comments"}
    ok = parse_publication(
        {"licence": "cc-by-4.0", "show_summary": "1"},
        {"charts": ["bildung", "bildung"], "comments": ["a"]},
        ["bildung"],
        ["a"],
    )
    assert ok.charts == ("bildung",) and ok.comments == ("a",) and ok.show_summary


def test_comment_key_depends_on_question_group_and_text_only() -> None:
    assert comment_key("q", "familien", "Text") == comment_key("q", "familien", "Text")
    assert comment_key("q", "familien", "Text") != comment_key("q", "senioren", "Text")
    assert len(comment_key("q", "g", "t")) == 24


def test_only_closed_surveys_are_published_and_audited(session: Session) -> None:
    survey = Survey(slug="s-2026", title="S", status=SurveyStatus.OPEN)
    session.add(survey)
    session.flush()
    with pytest.raises(Conflict):
        publish(session, survey, None)
    assert published_publication(session, "s-2026") is None
    survey.status = SurveyStatus.CLOSED
    publication = publish(session, survey, None)
    assert published_publication(session, "s-2026") is publication
    assert licence_of(publication).name == "Datenlizenz Deutschland – Namensnennung 2.0"
    survey.status = SurveyStatus.OPEN  # reopened: the results are not public any more
    session.flush()
    assert published_publication(session, "s-2026") is None
    survey.status = SurveyStatus.CLOSED
    unpublish(session, survey, None)
    assert published_publication(session, "s-2026") is None
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["results.publish", "results.unpublish"]


def test_demo_publishes_the_2019_results_once(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "EXTRA_SEEDERS", [seed_publication])
    summary = demo.seed_demo(session, responses=40)
    assert "Ergebnisse der Umfrage bestandsanalyse-2019 veröffentlicht" in summary
    publication = published_publication(session, "bestandsanalyse-2019")
    assert publication is not None and publication.charts and publication.comments
    again = demo.seed_demo(session, responses=40)
    assert "veröffentlicht" not in again
    assert len(session.scalars(select(ResultPublication)).all()) == 1
