"""The demo in several languages: every text of the 2026 survey translated (all target groups),
idempotent seeding, synthetic responses in other languages with free text as written."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from demo import seed_demo
from demo.content import CURRENT
from demo.languages import COMMENTS, DEMO_TEXTS
from surveys.models import Answer, Response, SurveyTranslation
from surveys.queries import survey_by_slug
from surveys.translations import (
    TARGET_LANGUAGES,
    coverage,
    localizer,
    question_texts,
    source_texts,
)


def test_family_questionnaire_is_fully_translated(session: Session) -> None:
    seed_demo(session, responses=120)
    survey = survey_by_slug(session, CURRENT.slug)
    assert survey is not None
    family = [q for q in survey.questions() if q.shown_to("familien")]
    for language in DEMO_TEXTS:
        loc = localizer(session, survey, language)
        missing = [q.key for q in family if loc.question_missing(q)]
        assert missing == [], language
        assert not loc.get("title", survey.title).fallback
        assert not loc.get("privacy_notice", survey.privacy_notice).fallback
        assert not loc.get("purpose", survey.purpose).fallback, language
        assert not loc.get("next_steps", survey.next_steps).fallback, language
    # Every German text used by the demo tables belongs to the survey (no stale entries).
    german = {t.german for t in source_texts(survey)}
    for language, table in DEMO_TEXTS.items():
        assert set(table) <= german, language
    assert all(question_texts(q) for q in family)


def test_designer_reports_no_missing_text_in_any_language(session: Session) -> None:
    seed_demo(session, responses=0)
    survey = survey_by_slug(session, CURRENT.slug)
    assert survey is not None
    report = {c.language: c for c in coverage(session, survey)}
    assert set(report) == set(TARGET_LANGUAGES) == {"de-LS", "en", "tr", "ar"}
    for language, row in report.items():
        assert row.total == len(source_texts(survey)), language
        assert row.missing == 0, language


def test_seniors_and_stakeholders_read_their_questions_translated(session: Session) -> None:
    seed_demo(session, responses=0)
    survey = survey_by_slug(session, CURRENT.slug)
    assert survey is not None
    for group in ("senioren", "akteure"):
        questions = [q for q in survey.questions() if q.shown_to(group)]
        assert questions, group
        for language in DEMO_TEXTS:
            loc = localizer(session, survey, language)
            assert [q.key for q in questions if loc.question_missing(q)] == [], (group, language)
    easy = localizer(session, survey, "de-LS")
    treff = next(q for q in survey.questions() if q.key == "seniorentreff_besuch")
    assert easy.get("q/seniorentreff_besuch/text", treff.text) != treff.text
    arabic = localizer(session, survey, "ar").get(
        "q/allein_gefuehl/text", "Ich fühle mich oft allein."
    )
    assert arabic == "أشعر بالوحدة كثيرًا."


def test_seeding_twice_adds_nothing(session: Session) -> None:
    seed_demo(session, responses=0)
    count = session.scalar(select(func.count(SurveyTranslation.id)))
    seed_demo(session, responses=0)
    assert session.scalar(select(func.count(SurveyTranslation.id))) == count
    assert count and count > 400


def test_some_responses_are_in_turkish_and_arabic_with_comments_as_written(
    session: Session,
) -> None:
    seed_demo(session, responses=400)
    survey = survey_by_slug(session, CURRENT.slug)
    assert survey is not None
    languages = dict(
        session.execute(
            select(Response.language, func.count(Response.id))
            .where(Response.survey_id == survey.id)
            .group_by(Response.language)
        ).all()
    )
    assert languages["de"] > 300
    assert languages["tr"] >= 10 and languages["ar"] >= 8
    texts = set(
        session.scalars(
            select(Answer.text)
            .join(Response, Answer.response_id == Response.id)
            .where(Response.survey_id == survey.id, Response.language == "tr")
            .where(Answer.text.is_not(None))
        )
    )
    assert texts & set(COMMENTS["tr"])
    baseline = session.scalar(
        select(func.count(Response.id)).where(
            Response.survey_id != survey.id, Response.language != "de"
        )
    )
    assert baseline == 0


#: Compounds written with a hyphen in standard German too; everything else is split with "·".
STANDARD_HYPHENS = ("Kita-", "Online-", "Eltern-Kind", "E-Mail", "IP-", "Deutsch-Lernen")


def test_leichte_sprache_splits_long_words_with_the_mediopunkt() -> None:
    """The demo's Leichte Sprache writes "Familien·büro" like the interface catalogue, not
    a mix with "Familien-Büro" (a capital after a hyphen reads as two words)."""
    hyphenated = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]+-[A-ZÄÖÜ][a-zäöüß]+\b")
    mixed = sorted(
        {
            word
            for easy in DEMO_TEXTS["de-LS"].values()
            for word in hyphenated.findall(easy)
            if not word.startswith(STANDARD_HYPHENS)
        }
    )
    assert mixed == []
    assert sum("·" in easy for easy in DEMO_TEXTS["de-LS"].values()) >= 20
