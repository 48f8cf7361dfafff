"""Stored paper forms read back, listed neutrally, changed and deleted (plain session)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.audit import Action
from surveys.errors import Conflict
from surveys.models import Answer, AuditEvent, Channel, Response, Survey, TargetGroup
from surveys.paper_entry import sheet_layout
from surveys.paper_forms import (
    correct_paper_form,
    delete_paper_form,
    find_paper_form,
    form_ref,
    paper_forms,
    ref_key,
    stored_answers,
)
from surveys.question_types import spec_for
from surveys.responses import store_response
from tests.factories import build_survey

KEY = ref_key("test secret of the paper form references")
#: One value of every question type of the factory survey (families' version).
EVERY_TYPE: dict[str, Any] = {
    "kita": "dk",
    "angebote": {"spielplatz": 2, "bibliothek": 5},
    "beratung": False,
    "themen": {"choices": ["erziehung", "finanzen"], "other": ""},
    "prioritaeten": ["bus", "wege"],
    "kinder": 3,
    "anmerkungen": "Mehr Bänke",
}


def _group(session: Session, key: str) -> TargetGroup:
    return session.scalars(select(TargetGroup).where(TargetGroup.key == key)).one()


def _paper(session: Session, survey: Survey, group: str, answers: dict[str, Any]) -> Response:
    return store_response(
        session, survey, _group(session, group), answers, today=date(2026, 5, 4),
        channel=Channel.PAPER,
    )  # fmt: skip


def test_every_type_reads_its_stored_rows_back(session: Session) -> None:
    survey = build_survey(session)
    values = {**EVERY_TYPE, "themen": {"choices": ["pflege"], "other": "Schulweg"}}
    for key, value in {**values, "kita": 4, "beratung": True, "kinder": 2.5}.items():
        question = next(q for q in survey.questions() if q.key == key)
        spec = spec_for(question.type)
        rows = [Answer(**row) for row in spec.to_rows(question, value)]
        assert spec.from_rows(question, rows) == value, key
        assert spec.from_rows(question, []) is None, key
    response = _paper(session, survey, "familien", values)
    assert stored_answers(session, survey, response) == values


def test_the_list_is_by_group_then_reference_never_by_id(session: Session) -> None:
    survey = build_survey(session)
    made = [_paper(session, survey, g, {"kita": 1} if g == "familien" else {})
            for g in ("senioren", "familien", "familien", "senioren", "familien")]  # fmt: skip
    online = store_response(
        session, survey, _group(session, "familien"), {"kita": 2}, today=date(2026, 5, 4)
    )
    forms = paper_forms(session, survey, KEY)
    assert [f.number for f in forms] == [1, 2, 3, 4, 5]
    assert [f.group_key for f in forms] == ["familien"] * 3 + ["senioren"] * 2
    assert [f.ref for f in forms[:3]] == sorted(f.ref for f in forms[:3])
    assert {f.response_id for f in forms} == {r.id for r in made}
    assert online.id not in {f.response_id for f in forms}
    assert {(f.answered, f.asked) for f in forms} == {(1, 8), (0, 6)}
    assert find_paper_form(session, survey, KEY, form_ref(KEY, online.id)) is None
    assert find_paper_form(session, survey, KEY, str(made[0].id)) is None
    found = find_paper_form(session, survey, KEY, forms[0].ref)
    assert found is not None and found[1].id == forms[0].response_id


def test_a_correction_replaces_the_answers_and_keeps_the_response(session: Session) -> None:
    survey = build_survey(session)
    response = _paper(session, survey, "familien", EVERY_TYPE)
    day, group = response.submitted_on, response.target_group_id
    correct_paper_form(session, survey, response, {"kita": 2, "anmerkungen": "Neu"}, None)
    assert stored_answers(session, survey, response) == {"kita": 2, "anmerkungen": "Neu"}
    kept = session.get(Response, response.id)
    assert kept is not None and (kept.submitted_on, kept.target_group_id) == (day, group)
    event = session.scalars(select(AuditEvent)).one()
    assert (event.action, event.details) == (Action.PAPER_CHANGE, "")


def test_deleting_removes_the_form_and_only_its_answers(session: Session) -> None:
    survey = build_survey(session)
    gone = _paper(session, survey, "familien", EVERY_TYPE)
    other = _paper(session, survey, "familien", {"kita": 1})
    gone_id = gone.id
    delete_paper_form(session, survey, gone, None)
    assert session.get(Response, gone_id) is None
    assert not session.scalars(select(Answer).where(Answer.response_id == gone_id)).all()
    assert stored_answers(session, survey, other) == {"kita": 1}
    assert session.scalars(select(AuditEvent.action)).all() == [Action.PAPER_DELETE]


def test_online_responses_are_refused(session: Session) -> None:
    survey = build_survey(session)
    online = store_response(
        session, survey, _group(session, "familien"), {"kita": 2}, today=date(2026, 5, 4)
    )
    with pytest.raises(Conflict):
        correct_paper_form(session, survey, online, {"kita": 5}, None)
    with pytest.raises(Conflict):
        delete_paper_form(session, survey, online, None)
    assert session.get(Response, online.id) is not None


def test_the_sheet_layout_numbers_the_groups_questions_through(session: Session) -> None:
    survey = build_survey(session)
    families = sheet_layout(survey, "familien")
    numbers = [(n, q.key) for block in families for n, q in block.questions]
    assert numbers == [
        (1, "kita"), (2, "angebote"), (3, "beratung"), (4, "stelle"), (5, "themen"),
        (6, "prioritaeten"), (7, "kinder"), (8, "anmerkungen"),
    ]  # fmt: skip
    stakeholders = sheet_layout(survey, "akteure")
    assert [q.key for block in stakeholders for _, q in block.questions][0] == "beratung"
    assert [n for block in stakeholders for n, _ in block.questions][0] == 1
