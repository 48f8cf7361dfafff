"""The per-process questionnaire cache: hits while nothing changes, reloads on any change."""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from surveys.models import Option, Question, SurveyStatus, TargetGroup
from surveys.questionnaire_cache import QuestionnaireCache
from tests.factories import build_survey

SLUG = "familienumfrage"


def question(session: Session, key: str) -> Question:
    """The test survey's question with this key (attached to ``session``)."""
    return session.scalars(select(Question).where(Question.key == key)).one()


def test_second_lookup_is_a_hit_and_reads_nothing_but_the_fingerprint(session: Session) -> None:
    build_survey(session)
    session.flush()
    cache = QuestionnaireCache()
    first = cache.get(session, SLUG)
    statements: list[str] = []
    bind = session.connection()
    event.listen(bind, "before_cursor_execute", lambda *a: statements.append(a[2]))
    second = cache.get(session, SLUG)
    assert first is not None and second is first
    assert (cache.loads, cache.hits) == (1, 1)
    assert len(statements) == 1 and "updated_at" in statements[0]


def test_cached_graph_is_detached_and_fully_readable(session: Session) -> None:
    build_survey(session)
    session.flush()
    survey = QuestionnaireCache().get(session, SLUG)
    assert survey is not None and survey not in session
    walked = []
    for section in survey.sections:
        assert section.survey is survey
        assert section.handlungsfeld is not None
        for q in section.questions:
            assert q.section is section and q.survey is survey
            walked.append((q.key, [g.key for g in q.target_groups]))
            assert all(o.question is q for o in q.options)
            assert all(i.question is q for i in q.items)
    assert ("kita", ["familien"]) in walked
    assert [g.key for g in survey.target_groups] == ["familien", "senioren", "akteure"]


def test_changed_question_text_is_reloaded(session: Session) -> None:
    build_survey(session)
    session.flush()
    cache = QuestionnaireCache()
    assert cache.get(session, SLUG) is not None
    question(session, "kita").text = "Neu: Wie zufrieden sind Sie mit der Kita?"
    session.flush()
    survey = cache.get(session, SLUG)
    assert survey is not None and cache.loads == 2
    texts = [q.text for q in survey.questions()]
    assert "Neu: Wie zufrieden sind Sie mit der Kita?" in texts


def test_new_option_and_changed_target_groups_are_reloaded(session: Session) -> None:
    build_survey(session)
    session.flush()
    cache = QuestionnaireCache()
    cache.get(session, SLUG)
    themen = next(q for q in question_list(session) if q.options)
    themen.options.append(Option(code="neu", label="Neue Antwort"))
    session.flush()
    survey = cache.get(session, SLUG)
    assert survey is not None and cache.loads == 2
    assert "neu" in [o.code for q in survey.questions() for o in q.options]

    senioren = session.scalars(select(TargetGroup).where(TargetGroup.key == "senioren")).one()
    kita = question(session, "kita")  # held: a collection keeps only a weak reference to it
    kita.target_groups.append(senioren)
    session.flush()
    survey = cache.get(session, SLUG)
    assert survey is not None and cache.loads == 3
    cached = next(q for q in survey.questions() if q.key == "kita")
    assert cached.shown_to("senioren")


def question_list(session: Session) -> list[Question]:
    """Every question of the test survey, attached to ``session``."""
    return list(session.scalars(select(Question).order_by(Question.id)))


def test_closed_survey_is_seen_at_once_and_deleted_survey_is_gone(session: Session) -> None:
    survey = build_survey(session)
    session.flush()
    cache = QuestionnaireCache()
    cache.get(session, SLUG)
    survey.status = SurveyStatus.CLOSED
    session.flush()
    cached = cache.get(session, SLUG)
    assert cached is not None and cached.status == SurveyStatus.CLOSED
    session.delete(survey)
    session.flush()
    assert cache.get(session, SLUG) is None
    assert cache.get(session, "gibt-es-nicht") is None


def test_oldest_entry_is_dropped_beyond_the_limit(session: Session) -> None:
    build_survey(session, slug="eins")
    build_survey(session, slug="zwei", title="Zweite Umfrage")
    session.flush()
    cache = QuestionnaireCache(max_entries=1)
    cache.get(session, "eins")
    cache.get(session, "zwei")
    cache.get(session, "eins")
    assert (cache.loads, cache.hits) == (3, 0)
