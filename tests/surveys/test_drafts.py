"""Drafts: saving, loading, expiry, purge, merging pages; redisplay of invalid input."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.drafts import (
    draft_answers,
    expiry,
    load_draft,
    merge_page,
    new_draft_code,
    purge_expired,
    save_draft,
    submission_token,
)
from surveys.models import Draft, TargetGroup, utcnow
from surveys.random_codes import hash_code
from surveys.redisplay import page_values, redisplay_value
from tests.factories import build_survey

TTL = timedelta(days=30)


def group(session: Session, key: str) -> TargetGroup:
    return session.scalars(select(TargetGroup).where(TargetGroup.key == key)).one()


def test_save_and_load_by_code_only(session: Session) -> None:
    survey = build_survey(session)
    code = new_draft_code()
    now = utcnow()
    save_draft(
        session, survey, code, group(session, "familien"), {"kita": 3}, step=2, now=now, ttl=TTL
    )
    loaded = load_draft(session, survey, code.lower().replace("-", ""), now)
    assert loaded is not None and draft_answers(loaded) == {"kita": 3}
    assert loaded.code_hash == hash_code(code) and loaded.step == 2
    assert loaded.expires_at == expiry(now, TTL)
    assert now + TTL <= loaded.expires_at < now + TTL + timedelta(days=1)
    assert loaded.expires_at.hour == loaded.expires_at.minute == loaded.expires_at.second == 0
    assert load_draft(session, survey, new_draft_code(), now) is None
    assert load_draft(session, survey, "", now) is None


def test_step_never_goes_back_and_expiry_is_renewed(session: Session) -> None:
    survey = build_survey(session)
    code = new_draft_code()
    start = utcnow()
    fam = group(session, "familien")
    save_draft(session, survey, code, fam, {}, step=3, now=start, ttl=TTL)
    later = start + timedelta(days=10)
    draft = save_draft(session, survey, code, fam, {"kinder": 2}, step=1, now=later, ttl=TTL)
    assert draft.step == 3 and draft.expires_at == expiry(later, TTL)


def test_expired_draft_is_neither_loaded_nor_revived(session: Session) -> None:
    survey = build_survey(session)
    code = new_draft_code()
    start = utcnow()
    fam = group(session, "familien")
    save_draft(session, survey, code, fam, {"kita": 1}, step=2, now=start, ttl=TTL)
    after = expiry(start, TTL) + timedelta(seconds=1)
    assert load_draft(session, survey, code, after) is None
    draft = save_draft(session, survey, code, fam, {"kinder": 1}, step=1, now=after, ttl=TTL)
    assert draft_answers(draft) == {"kinder": 1} and draft.step == 1


def test_purge_deletes_only_expired_drafts(session: Session) -> None:
    survey = build_survey(session)
    now = utcnow()
    fam = group(session, "familien")
    old, fresh = new_draft_code(), new_draft_code()
    save_draft(session, survey, old, fam, {}, step=1, now=now - timedelta(days=32), ttl=TTL)
    save_draft(session, survey, fresh, fam, {}, step=1, now=now, ttl=TTL)
    assert purge_expired(session, now) == 1
    assert session.scalars(select(Draft.code_hash)).all() == [hash_code(fresh)]


def test_submission_token_is_created_once(session: Session) -> None:
    survey = build_survey(session)
    draft = save_draft(
        session,
        survey,
        new_draft_code(),
        group(session, "senioren"),
        {},
        step=1,
        now=utcnow(),
        ttl=TTL,
    )
    token = submission_token(session, draft)
    assert len(token) >= 32 and submission_token(session, draft) == token


def test_merge_page_replaces_only_the_pages_answers(session: Session) -> None:
    survey = build_survey(session)
    beratung = survey.sections[1]
    answers = {"kita": 2, "beratung": True, "stelle": "andere"}
    merged = merge_page(answers, beratung, {"beratung": False})
    assert merged == {"kita": 2, "beratung": False}


def test_redisplay_keeps_invalid_input_as_typed(session: Session) -> None:
    survey = build_survey(session)
    questions = {q.key: q for q in survey.questions()}
    raw = {
        "q-kinder": ["zwei"],
        "q-prioritaeten-wege": ["1"],
        "q-prioritaeten-gruen": ["1"],
        "q-themen": ["erziehung", "pflege", "finanzen"],
        "q-themen-other": ["  mit Leerzeichen "],
        "q-angebote-schule": ["9"],
        "q-anmerkungen": ["  Text  "],
    }
    assert redisplay_value(questions["kinder"], raw) == "zwei"
    assert redisplay_value(questions["prioritaeten"], raw) == {"wege": "1", "gruen": "1"}
    assert redisplay_value(questions["themen"], raw) == {
        "choices": ["erziehung", "pflege", "finanzen"],
        "other": "  mit Leerzeichen ",
    }
    assert redisplay_value(questions["angebote"], raw) == {"schule": "9"}
    assert redisplay_value(questions["anmerkungen"], raw) == "  Text  "
    assert redisplay_value(questions["kita"], raw) is None
    combined = page_values(
        list(questions.values()), {"anmerkungen": "Text"}, raw, {"kinder", "kita"}
    )
    assert combined == {"anmerkungen": "Text", "kinder": "zwei"}
