"""Storing responses: visibility, conditions, one transaction, duplicates, deletion rules."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from surveys.access_codes import (
    CodeState,
    check_access_code,
    code_counts,
    code_state,
    generate_access_codes,
    mark_key,
    redeem_access_code,
    spent_mark,
)
from surveys.errors import Conflict, ValidationError
from surveys.lifecycle import delete_survey
from surveys.models import AccessCode, Answer, Channel, Response, SpentCode, SubmissionReceipt
from surveys.random_codes import hash_code, normalize_code
from surveys.responses import (
    DuplicateSubmission,
    effective_answers,
    missing_required,
    parse_section,
    sections_for,
    store_response,
)
from tests.surveys.builders import groups, small_survey

TODAY = date(2026, 11, 25)


def test_questions_follow_group_and_condition(session: Session) -> None:
    survey = small_survey(session)
    section = survey.sections[0]
    values, errors = parse_section(
        section,
        "familien",
        {
            "q-zufriedenheit-kita": ["4"],
            "q-zufriedenheit-schule": ["dk"],
            "q-ganztag": ["nein"],
            "q-ganztag_warum": ["zu teuer"],
        },
        {},
    )
    assert errors == []
    assert values == {
        "zufriedenheit": {"kita": 4, "schule": "dk"},
        "ganztag": "nein",
        "ganztag_warum": "zu teuer",
    }
    # Seniors are not asked about Ganztag: their posted value is ignored.
    values, _ = parse_section(
        section,
        "senioren",
        {"q-zufriedenheit-kita": ["4"], "q-zufriedenheit-schule": ["3"], "q-ganztag": ["nein"]},
        {},
    )
    assert "ganztag" not in values


def test_required_matrix_reports_each_missing_item(session: Session) -> None:
    survey = small_survey(session)
    _, errors = parse_section(survey.sections[0], "akteure", {"q-zufriedenheit-kita": ["2"]}, {})
    assert [e.field for e in errors] == ["q-zufriedenheit-schule"]


def test_hidden_follow_up_answer_is_dropped(session: Session) -> None:
    survey = small_survey(session)
    answers = {
        "zufriedenheit": {"kita": 1, "schule": 2},
        "ganztag": "ja",
        "ganztag_warum": "stale answer",
    }
    assert "ganztag_warum" not in effective_answers(survey, "familien", answers)
    assert missing_required(survey, "familien", {}) == [survey.sections[0].questions[0]]


def test_store_response_writes_long_rows(session: Session) -> None:
    survey = small_survey(session)
    tg = groups(session)
    response = store_response(
        session,
        survey,
        tg["familien"],
        {
            "zufriedenheit": {"kita": 4, "schule": "dk"},
            "ganztag": "nein",
            "ganztag_warum": "zu teuer",
        },
        today=TODAY,
        channel=Channel.PAPER,
    )
    rows = session.execute(
        select(Answer.num, Answer.dont_know, Answer.text)
        .where(Answer.response_id == response.id)
        .order_by(Answer.id)
    ).all()
    assert [tuple(r) for r in rows] == [
        (4.0, False, None),
        (None, True, None),
        (None, False, None),
        (None, False, "zu teuer"),
    ]
    assert response.submitted_on == TODAY and response.channel == Channel.PAPER


def test_repeated_submission_token_stores_nothing_twice(session: Session) -> None:
    survey = small_survey(session)
    tg = groups(session)
    answers = {"zufriedenheit": {"kita": 4, "schule": 5}}
    store_response(
        session, survey, tg["senioren"], answers, today=TODAY, submission_token="token-1"
    )
    with pytest.raises(DuplicateSubmission):
        store_response(
            session, survey, tg["senioren"], answers, today=TODAY, submission_token="token-1"
        )
    assert session.scalar(select(func.count(Response.id))) == 1
    receipt = session.scalar(select(SubmissionReceipt))
    assert receipt is not None and "token-1" not in receipt.token_hash


def test_sections_for_group(session: Session) -> None:
    survey = small_survey(session)
    assert sections_for(survey, "senioren") == survey.sections


def test_survey_with_responses_cannot_be_deleted(session: Session) -> None:
    survey = small_survey(session)
    store_response(
        session,
        survey,
        groups(session)["akteure"],
        {"zufriedenheit": {"kita": 1, "schule": 1}},
        today=TODAY,
    )
    with pytest.raises(Conflict) as info:
        delete_survey(session, survey)
    assert "bereits Antworten" in str(info.value)


def test_survey_without_responses_can_be_deleted(session: Session) -> None:
    survey = small_survey(session)
    delete_survey(session, survey)
    assert session.get(type(survey), survey.id) is None


KEY = mark_key("test-secret")


def test_access_codes_are_single_use_and_hashed(session: Session) -> None:
    survey = small_survey(session)
    codes = generate_access_codes(session, survey, 3)
    assert len(set(codes)) == 3
    stored = set(session.scalars(select(AccessCode.code_hash)))
    assert stored == {hash_code(c) for c in codes}
    assert not any(normalize_code(c) in h for c in codes for h in stored)
    assert code_state(session, survey, codes[0].lower(), KEY) == CodeState.VALID
    redeem_access_code(session, survey, codes[0], KEY)
    assert code_state(session, survey, codes[0], KEY) == CodeState.UNKNOWN
    # the code's row stays as it was; only an opaque keyed mark is added
    assert set(session.scalars(select(AccessCode.code_hash))) == stored
    marks = set(session.scalars(select(SpentCode.mark_hash)))
    assert marks == {spent_mark(KEY, hash_code(codes[0]))}
    assert not marks & stored
    with pytest.raises(ValidationError):
        redeem_access_code(session, survey, codes[0], KEY)
    with pytest.raises(ValidationError) as info:
        check_access_code(session, survey, "NICHT-DABEI", KEY)
    assert info.value.errors[0].field == "access_code"
    with pytest.raises(ValidationError):
        redeem_access_code(session, survey, "NICHT-DABEI", KEY)
    assert code_counts(session, survey) == (3, 1)
    # with another key (another installation) the mark means nothing
    assert code_state(session, survey, codes[0], mark_key("other")) == CodeState.VALID
    with pytest.raises(ValidationError):
        generate_access_codes(session, survey, 0)
