"""The Delmenhorst demo: structure, validity, idempotence, determinism and realism."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.orm import Session

import demo as demo
from demo import DemoContext, seed_demo
from demo.comments import compose_comment
from demo.content import BASELINE, CURRENT
from surveys.conditions import condition_holds
from surveys.models import (
    Answer,
    Channel,
    Item,
    Option,
    Question,
    QuestionRole,
    QuestionType,
    Response,
    Survey,
    SurveyStatus,
    TargetGroup,
)
from surveys.queries import survey_by_slug
from surveys.rules import survey_errors
from tests.conftest import DatabaseFactory, domain_engine, rollback_session

FIELDS = ("steuerung", "arbeitswelt", "bildung", "beratung", "wohnumfeld", "senioren")
GROUPS = ("familien", "senioren", "akteure")


@pytest.fixture(scope="module")
def seeded_engine(fresh_database: DatabaseFactory) -> Iterator[Engine]:
    """A database holding the demo with 60 responses per survey (seeded once)."""
    engine = _seeded("demo60", fresh_database, responses=60, seed=2026)
    yield engine
    engine.dispose()


@pytest.fixture()
def seeded(seeded_engine: Engine) -> Iterator[Session]:
    """A session on the seeded demo database whose changes are rolled back."""
    with rollback_session(seeded_engine) as session:
        yield session


def _seeded(name: str, fresh_database: DatabaseFactory, responses: int, seed: int) -> Engine:
    """Create a database with the schema and seed the demo into it."""
    engine = domain_engine(fresh_database(name))
    with Session(engine) as session:
        seed_demo(session, responses=responses, seed=seed)
        session.commit()
    return engine


def _surveys(session: Session) -> tuple[Survey, Survey]:
    baseline = survey_by_slug(session, BASELINE.slug)
    current = survey_by_slug(session, CURRENT.slug)
    assert baseline is not None and current is not None
    return baseline, current


def _fingerprint(engine: Engine) -> str:
    """Hash every response and answer by stable keys (never by database ids)."""
    stmt = (
        select(
            Survey.slug,
            Response.id,
            TargetGroup.key,
            Response.channel,
            Response.submitted_on,
            Question.key,
            Item.key,
            Option.code,
            Answer.num,
            Answer.text,
            Answer.dont_know,
        )
        .join(Response, Response.survey_id == Survey.id)
        .join(TargetGroup, TargetGroup.id == Response.target_group_id)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(Item, Item.id == Answer.item_id)
        .outerjoin(Option, Option.id == Answer.option_id)
        .order_by(Survey.slug, Response.id, Answer.id)
    )
    digest = hashlib.sha256()
    order: dict[int, int] = {}
    with engine.connect() as connection:
        for row in connection.execute(stmt):
            slug, response_id, *rest = row
            position = order.setdefault(response_id, len(order))
            digest.update(repr((slug, position, *rest)).encode())
    return digest.hexdigest()


def _values_by_response(session: Session, survey: Survey) -> dict[int, dict[str, Any]]:
    """Rebuild each response's answers by question key, as the conditions see them."""
    questions = {q.id: q for q in survey.questions()}
    options = {o.id: o.code for q in questions.values() for o in q.options}
    values: dict[int, dict[str, Any]] = defaultdict(dict)
    rows = session.execute(
        select(Answer.response_id, Answer.question_id, Answer.option_id, Answer.num)
        .join(Response)
        .where(Response.survey_id == survey.id)
    )
    for response_id, question_id, option_id, num in rows:
        question = questions[question_id]
        if question.type == QuestionType.YESNO:
            values[response_id][question.key] = num == 1.0
        elif question.type == QuestionType.SINGLE:
            values[response_id][question.key] = options[option_id]
        elif question.type == QuestionType.NUMBER:
            values[response_id][question.key] = int(num)
        elif question.type == QuestionType.MULTI and option_id is not None:
            choices = values[response_id].setdefault(question.key, {"choices": []})
            choices["choices"].append(options[option_id])
        else:
            values[response_id].setdefault(question.key, True)
    return values


def _item_means(session: Session, survey: Survey) -> dict[tuple[str, str, str], float]:
    """Mean satisfaction by (field question key, item key, group key)."""
    rows = session.execute(
        select(Question.key, Item.key, TargetGroup.key, func.avg(Answer.num))
        .join(Question, Question.id == Answer.question_id)
        .join(Item, Item.id == Answer.item_id)
        .join(Response, Response.id == Answer.response_id)
        .join(TargetGroup, TargetGroup.id == Response.target_group_id)
        .where(Question.survey_id == survey.id, Question.role == QuestionRole.SATISFACTION)
        .where(Answer.dont_know.is_(False))
        .group_by(Question.key, Item.key, TargetGroup.key)
    )
    return {(q, i, g): float(mean) for q, i, g, mean in rows}


def _overall_item_mean(session: Session, survey: Survey, item_key: str) -> float:
    stmt = (
        select(func.avg(Answer.num))
        .join(Question, Question.id == Answer.question_id)
        .join(Item, Item.id == Answer.item_id)
        .where(Question.survey_id == survey.id, Question.role == QuestionRole.SATISFACTION)
        .where(Item.key == item_key, Answer.dont_know.is_(False))
    )
    return float(session.scalar(stmt) or 0)


# --- structure -------------------------------------------------------------------------


def test_seed_creates_baseline_and_current_survey(seeded: Session) -> None:
    baseline, current = _surveys(seeded)
    assert baseline.status == SurveyStatus.CLOSED
    assert baseline.opens_on is not None and baseline.opens_on.year == 2019
    assert baseline.closes_on is not None and baseline.closes_on.year == 2019
    assert current.status == SurveyStatus.OPEN
    assert current.baseline_id == baseline.id
    assert baseline.baseline_id is None
    for survey in (baseline, current):
        assert [g.key for g in survey.target_groups] == list(GROUPS)
        assert survey.intro and survey.intro_easy and survey.privacy_notice
        assert "anonym" in survey.privacy_notice
        count = seeded.scalar(select(func.count()).where(Response.survey_id == survey.id))
        assert count == 60


def test_both_surveys_pass_the_questionnaire_rules(seeded: Session) -> None:
    for survey in _surveys(seeded):
        assert survey_errors(survey) == []


def test_every_field_has_one_section_for_every_group(seeded: Session) -> None:
    for survey in _surveys(seeded):
        bound = [s for s in survey.sections if s.handlungsfeld is not None]
        assert sorted(s.handlungsfeld.key for s in bound if s.handlungsfeld) == sorted(FIELDS)
        assert survey.sections[0].handlungsfeld is None  # "Über Sie"
        for section in bound:
            for group in GROUPS:
                assert any(q.shown_to(group) for q in section.questions), (section.title, group)


def test_every_field_pairs_satisfaction_importance_and_comment(seeded: Session) -> None:
    for survey in _surveys(seeded):
        for section in survey.sections:
            if section.handlungsfeld is None:
                continue
            by_role = defaultdict(list)
            for question in section.questions:
                by_role[question.role].append(question)
            (satisfaction,) = by_role[QuestionRole.SATISFACTION]
            (importance,) = by_role[QuestionRole.IMPORTANCE]
            (comment,) = by_role[QuestionRole.COMMENT]
            assert satisfaction.type == importance.type == QuestionType.MATRIX
            assert [i.key for i in satisfaction.items] == [i.key for i in importance.items]
            assert len(satisfaction.items) >= 4
            assert satisfaction.settings["dont_know"] is True
            assert len(satisfaction.settings["scale"]) == 5
            assert comment.type == QuestionType.TEXT
            for ranking in by_role[QuestionRole.PRIORITY]:
                assert ranking.type == QuestionType.RANKING
                assert {o.code for o in ranking.options} <= {i.key for i in satisfaction.items}
        rankings = [q for q in survey.questions() if q.role == QuestionRole.PRIORITY]
        assert len(rankings) >= 2


def test_every_question_type_and_feature_is_used(seeded: Session) -> None:
    for survey in _surveys(seeded):
        questions = survey.questions()
        assert {q.type for q in questions} == set(QuestionType)
        assert any(q.type == QuestionType.MULTI and q.settings.get("other") for q in questions)
        numbers = [q for q in questions if q.type == QuestionType.NUMBER]
        assert all("min" in q.settings and "max" in q.settings for q in numbers)
        conditional = [q for q in questions if q.condition]
        assert len(conditional) >= 3
        by_key = {q.key: q for q in questions}
        assert [g.key for g in by_key["arbeitgeber_massnahmen"].target_groups] == ["akteure"]
        assert [g.key for g in by_key["seniorentreff_besuch"].target_groups] == ["senioren"]
        assert by_key["ganztag_zufriedenheit"].condition == {
            "match": "all",
            "rules": [{"question": "ganztag_nutzung", "op": "equals", "value": "ja"}],
        }


def test_questions_are_shared_by_key_with_a_few_new_and_dropped(seeded: Session) -> None:
    baseline, current = _surveys(seeded)
    old = {q.key: q for q in baseline.questions()}
    new = {q.key: q for q in current.questions()}
    shared = old.keys() & new.keys()
    assert len(shared) >= 0.8 * len(new)
    assert 1 <= len(new.keys() - old.keys()) <= 5
    assert 1 <= len(old.keys() - new.keys()) <= 5
    for key in shared:
        assert old[key].type == new[key].type, key
    sat = [k for k in shared if old[k].role == QuestionRole.SATISFACTION]
    assert len(sat) == 6
    for key in sat:
        old_items = {i.key for i in old[key].items}
        new_items = {i.key for i in new[key].items}
        assert len(old_items & new_items) >= 4
    assert "familienbuero" in {i.key for i in new["beratung_zufriedenheit"].items}


# --- responses -----------------------------------------------------------------------


def test_stored_answers_respect_groups_and_conditions(seeded: Session) -> None:
    for survey in _surveys(seeded):
        questions = {q.key: q for q in survey.questions()}
        groups = dict(
            seeded.execute(
                select(Response.id, TargetGroup.key)
                .join(TargetGroup)
                .where(Response.survey_id == survey.id)
            ).all()
        )
        values = _values_by_response(seeded, survey)
        answered_conditionals = Counter[str]()
        for response_id, answers in values.items():
            group = groups[response_id]
            for key in answers:
                question = questions[key]
                assert question.shown_to(group), (key, group)
                if question.condition:
                    assert condition_holds(question.condition, answers), (key, answers)
                    answered_conditionals[key] += 1
        for question in questions.values():
            if question.condition and question.key != "ganztag_gruende":
                assert answered_conditionals[question.key] > 0, question.key


def test_required_questions_are_always_answered(seeded: Session) -> None:
    for survey in _surveys(seeded):
        values = _values_by_response(seeded, survey)
        groups = dict(
            seeded.execute(
                select(Response.id, TargetGroup.key)
                .join(TargetGroup)
                .where(Response.survey_id == survey.id)
            ).all()
        )
        required = [q for q in survey.questions() if q.required]
        assert required
        for response_id, group in groups.items():
            for question in required:
                if question.shown_to(group) and not question.condition:
                    assert question.key in values[response_id], (question.key, group)


def test_answer_values_are_within_their_scales(seeded: Session) -> None:
    rows = seeded.execute(
        select(Question.type, Question.settings, Answer.num, Answer.dont_know).join(
            Question, Question.id == Answer.question_id
        )
    ).all()
    for question_type, settings, num, dont_know in rows:
        if question_type in (QuestionType.MATRIX, QuestionType.LIKERT):
            assert dont_know or 1 <= num <= len(settings["scale"])
        if question_type == QuestionType.NUMBER:
            assert settings["min"] <= num <= settings["max"]


def test_responses_have_paper_share_dates_and_german_comments(seeded: Session) -> None:
    for survey in _surveys(seeded):
        responses = seeded.scalars(select(Response).where(Response.survey_id == survey.id)).all()
        assert {r.channel for r in responses} == {Channel.ONLINE, Channel.PAPER}
        assert survey.opens_on is not None
        last = survey.closes_on or date(2026, 11, 20)
        assert all(survey.opens_on <= r.submitted_on <= last for r in responses)
        assert len({r.submitted_on for r in responses}) > 10
        texts = seeded.scalars(
            select(Answer.text)
            .join(Question, Question.id == Answer.question_id)
            .where(Question.survey_id == survey.id, Question.role == QuestionRole.COMMENT)
        ).all()
        assert len(texts) > 10
        assert all(t and t.strip() for t in texts)
        words = " ".join(texts).lower()
        assert any(word in words for word in (" die ", " der ", " und ", " nicht "))


# --- idempotence and determinism -----------------------------------------------------


def test_second_run_adds_nothing(seeded: Session) -> None:
    before = (
        seeded.scalar(select(func.count(Survey.id))),
        seeded.scalar(select(func.count(Response.id))),
        seeded.scalar(select(func.count(Answer.id))),
    )
    summary = seed_demo(seeded, responses=60)
    assert "bereits vorhanden" in summary
    after = (
        seeded.scalar(select(func.count(Survey.id))),
        seeded.scalar(select(func.count(Response.id))),
        seeded.scalar(select(func.count(Answer.id))),
    )
    assert after == before


def test_first_run_summary_names_both_surveys(session: Session) -> None:
    summary = seed_demo(session, responses=5)
    assert summary.startswith("Demo angelegt")
    assert summary.count("(5 Antworten)") == 2


def test_missing_current_survey_is_added_next_to_an_existing_baseline(session: Session) -> None:
    seed_demo(session, responses=3)
    _, current = _surveys(session)
    session.execute(Answer.__table__.delete())
    session.execute(Response.__table__.delete())
    session.delete(current)
    session.flush()
    summary = seed_demo(session, responses=3)
    assert "Bilanzierungs-Audit" in summary and "Bestandsanalyse" not in summary
    baseline, current = _surveys(session)
    assert current.baseline_id == baseline.id


def test_same_seed_gives_the_same_data(fresh_database: DatabaseFactory) -> None:
    engines = [_seeded(f"det{n}", fresh_database, responses=40, seed=7) for n in range(2)]
    other = _seeded("det_other", fresh_database, responses=40, seed=8)
    try:
        first, second, different = (_fingerprint(e) for e in (*engines, other))
        assert first == second
        assert first != different
    finally:
        for engine in (*engines, other):
            engine.dispose()


SEED_IN_SUBPROCESS = """
import sys
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
import surveys.db
from demo import seed_demo
from surveys.models import Base
engine = create_engine(sys.argv[1])
Base.metadata.create_all(engine)
with Session(engine) as session:
    seed_demo(session, responses=25, seed=11)
    session.commit()
"""


def test_data_does_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    """Set or dict iteration that varies with PYTHONHASHSEED would change the data."""
    fingerprints = []
    for hash_seed in ("1", "2"):
        url = f"sqlite:///{tmp_path / f'hash{hash_seed}.db'}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        env.pop("TEST_DATABASE_URL", None)
        subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "-c", SEED_IN_SUBPROCESS, url],
            check=True,
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            timeout=120,
        )
        engine = create_engine(url)
        fingerprints.append(_fingerprint(engine))
        engine.dispose()
    assert fingerprints[0] == fingerprints[1]


def test_baseline_comments_do_not_praise_changes() -> None:
    ratings = {"familienbuero": 5, "ganztag": 5}
    for seed in range(200):
        rng = random.Random(seed)  # noqa: S311
        text = compose_comment(rng, "beratung", "familien", ratings, current=False).lower()
        assert "jetzt" not in text and "geworden" not in text


def test_extra_seeders_run_after_the_surveys(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[DemoContext] = []

    def goals(_session: object, context: DemoContext) -> str:
        calls.append(context)
        return "Zielvereinbarung 2019 angelegt."

    monkeypatch.setattr(demo, "EXTRA_SEEDERS", [goals])
    first = seed_demo(session, responses=2)
    second = seed_demo(session, responses=2)
    assert first.endswith("Zielvereinbarung 2019 angelegt.")
    assert [c.created for c in calls] == [True, False]
    assert calls[0].baseline.slug == BASELINE.slug
    assert calls[0].current.baseline_id == calls[0].baseline.id
    assert "bereits vorhanden" in second


def test_negative_count_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="negative"):
        seed_demo(session, responses=-1)


# --- realism -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def realistic(fresh_database: DatabaseFactory) -> Iterator[Session]:
    """400 responses per survey: enough for stable differences, still fast."""
    engine = _seeded("demo400", fresh_database, responses=400, seed=2026)
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_improved_and_worsened_items_between_2019_and_2026(realistic: Session) -> None:
    baseline, current = _surveys(realistic)
    for improved in ("familienbuero", "ganztag"):
        gain = _overall_item_mean(realistic, current, improved) - _overall_item_mean(
            realistic, baseline, improved
        )
        assert gain > 0.4, improved
    loss = _overall_item_mean(realistic, baseline, "wohnraum_bezahlbar") - _overall_item_mean(
        realistic, current, "wohnraum_bezahlbar"
    )
    assert loss > 0.4


def test_target_groups_differ_where_they_should(realistic: Session) -> None:
    for survey in _surveys(realistic):
        means = _item_means(realistic, survey)
        kita = ("bildung_zufriedenheit", "kita_oeffnungszeiten")
        assert means[(*kita, "familien")] < means[(*kita, "akteure")] - 0.4
        treffs = ("senioren_zufriedenheit", "seniorentreffs")
        assert means[(*treffs, "senioren")] > means[(*treffs, "familien")] + 0.2
        network = ("steuerung_zufriedenheit", "vernetzung")
        assert means[(*network, "akteure")] < means[(*network, "familien")] - 0.3


def test_answers_are_consistent_across_questions(realistic: Session) -> None:
    for survey in _surveys(realistic):
        for answers in _values_by_response(realistic, survey).values():
            if answers.get("alleinerziehend") is True and "erwerbssituation" in answers:
                assert answers["erwerbssituation"] in ("alleinerziehend", "nicht_erwerbstaetig")
            if answers.get("alleinerziehend") is False:
                assert answers.get("erwerbssituation") != "alleinerziehend"


def test_districts_differ_where_they_should(realistic: Session) -> None:
    _, current = _surveys(realistic)
    questions = {q.key: q for q in current.questions()}
    district_of = {
        response_id: answers["stadtteil"]
        for response_id, answers in _values_by_response(realistic, current).items()
        if "stadtteil" in answers
    }
    bus = next(i for i in questions["wohnumfeld_zufriedenheit"].items if i.key == "oepnv")
    ratings: dict[str, list[float]] = defaultdict(list)
    for response_id, num in realistic.execute(
        select(Answer.response_id, Answer.num).where(
            Answer.item_id == bus.id, Answer.dont_know.is_(False)
        )
    ):
        if response_id in district_of:
            ratings[district_of[response_id]].append(num)
    mean = {district: sum(values) / len(values) for district, values in ratings.items()}
    assert mean["mitte"] > mean["iprump_stickgras"] + 0.5


def test_dont_know_and_unanswered_optional_questions_occur(realistic: Session) -> None:
    _, current = _surveys(realistic)
    dont_know = Counter(
        dict(
            realistic.execute(
                select(TargetGroup.key, func.count(Answer.id))
                .join(Response, Response.id == Answer.response_id)
                .join(TargetGroup, TargetGroup.id == Response.target_group_id)
                .join(Item, Item.id == Answer.item_id)
                .where(Response.survey_id == current.id, Answer.dont_know.is_(True))
                .where(Item.key == "kita_plaetze")
                .group_by(TargetGroup.key)
            ).all()
        )
    )
    assert dont_know["senioren"] > dont_know["akteure"]
    optional = next(q for q in current.questions() if q.key == "stadtteil")
    answered = realistic.scalar(
        select(func.count(func.distinct(Answer.response_id))).where(
            Answer.question_id == optional.id
        )
    )
    shown = realistic.scalar(
        select(func.count(Response.id))
        .join(TargetGroup)
        .where(Response.survey_id == current.id, TargetGroup.key.in_(["familien", "senioren"]))
    )
    assert 0.8 * shown < answered < shown
    paper = realistic.scalar(
        select(func.count(Response.id)).where(
            Response.survey_id == current.id, Response.channel == Channel.PAPER
        )
    )
    assert 0.07 * 400 < paper < 0.25 * 400
