"""The question library: filled from surveys (and by the demo), browsed per field, inserted."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from surveys.demo import seed_demo
from surveys.errors import Conflict
from surveys.library import fill_from_surveys, insert_into_section, library_questions
from surveys.models import AuditEvent, LibraryQuestion
from tests.surveys.designer_helpers import add_question, make_section, make_survey


def test_demo_ships_a_starter_library_per_handlungsfeld(session: Session) -> None:
    summary = seed_demo(session, responses=0)
    assert "Fragenbibliothek" in summary
    entries = library_questions(session)
    assert len(entries) > 20
    fields = {e.handlungsfeld.key for e in entries if e.handlungsfeld}
    assert len(fields) == 6
    assert all(e.definition["key"] == e.key for e in entries)
    assert library_questions(session, "bildung")
    assert fill_from_surveys(session) == 0  # idempotent
    assert "Fragenbibliothek" not in seed_demo(session, responses=0)


def test_insert_keeps_key_and_limits_groups_to_the_survey(session: Session) -> None:
    source = make_survey(session, slug="quelle")
    add_question(session, make_section(session, source), "kita", "matrix", dont_know=True)
    assert fill_from_surveys(session) == 1
    assert session.query(AuditEvent).filter_by(action="library.change").count() == 1
    entry = session.query(LibraryQuestion).filter_by(key="kita").one()
    target = make_survey(session, slug="ziel", target_groups=["senioren"])
    section = make_section(session, target)
    question = insert_into_section(session, entry, section, None)
    assert question.key == "kita"
    assert [g.key for g in question.target_groups] == ["senioren"]
    assert question.settings["dont_know"] is True
    assert [i.key for i in question.items] == ["kita", "schule"]
    with pytest.raises(Conflict):
        insert_into_section(session, entry, section, None)
