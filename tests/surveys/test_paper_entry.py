"""Parsing a whole paper form: online validation, blanks allowed, conditions respected."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from surveys.lifecycle import open_survey
from surveys.models import Channel
from surveys.paper_entry import accepts_paper, paper_count, parse_paper_form, store_paper_form
from surveys.queries import target_group_by_key
from surveys.responses import DuplicateSubmission
from tests.surveys.designer_helpers import add_question, make_section, make_survey


@pytest.fixture()
def survey(session: Session):  # type: ignore[no-untyped-def]
    """An open survey: a required yes/no, a conditional number, a text on a second page."""
    survey = make_survey(session)
    first = make_section(session, survey, "Eins")
    add_question(session, first, "kita", "yesno", required=True)
    add_question(
        session,
        first,
        "kinder",
        "number",
        min="0",
        max="9",
        condition_question="kita",
        condition_value="ja",
    )
    add_question(session, make_section(session, survey, "Zwei"), "notiz", "text")
    open_survey(session, survey, None)
    return survey


def test_valid_form_across_sections(survey) -> None:  # type: ignore[no-untyped-def]
    answers, errors = parse_paper_form(
        survey, "familien", {"q-kita": ["ja"], "q-kinder": ["2"], "q-notiz": ["Danke"]}
    )
    assert errors == []
    assert answers == {"kita": True, "kinder": 2, "notiz": "Danke"}


def test_blank_required_question_is_allowed_on_paper(survey) -> None:  # type: ignore[no-untyped-def]
    answers, errors = parse_paper_form(survey, "familien", {"q-notiz": ["nur das"]})
    assert errors == [] and answers == {"notiz": "nur das"}


def test_values_are_validated_like_online(survey) -> None:  # type: ignore[no-untyped-def]
    _, errors = parse_paper_form(survey, "familien", {"q-kita": ["ja"], "q-kinder": ["12"]})
    assert [e.field for e in errors] == ["q-kinder"]


def test_answers_behind_an_unmet_condition_are_dropped(survey) -> None:  # type: ignore[no-untyped-def]
    answers, errors = parse_paper_form(survey, "familien", {"q-kita": ["nein"], "q-kinder": ["x"]})
    assert errors == [] and answers == {"kita": False}


def test_store_counts_and_refuses_duplicates(session: Session, survey) -> None:  # type: ignore[no-untyped-def]
    assert accepts_paper(survey)
    group = target_group_by_key(session, "familien")
    assert group is not None
    response = store_paper_form(
        session, survey, group, {"kita": True}, today=date(2026, 5, 4), submission_token="abc"
    )
    assert response.channel == Channel.PAPER
    assert paper_count(session, survey) == 1
    with pytest.raises(DuplicateSubmission):
        store_paper_form(session, survey, group, {}, today=date(2026, 5, 4), submission_token="abc")
