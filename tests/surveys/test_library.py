"""The question library: filled from surveys (and by the demo), browsed per field, inserted."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from demo import seed_demo
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


def test_insert_keeps_reversed_items_and_the_breakdown_within_the_limit(session: Session) -> None:
    source = make_survey(session, slug="quelle")
    section = make_section(session, source)
    add_question(session, section, "kita", "matrix", reversed_items=["schule"])
    add_question(session, section, "stadtteil", "single", breakdown=True)
    assert fill_from_surveys(session) == 2
    matrix = session.query(LibraryQuestion).filter_by(key="kita").one()
    place = session.query(LibraryQuestion).filter_by(key="stadtteil").one()

    target = make_survey(session, slug="ziel")
    inserted = insert_into_section(session, matrix, make_section(session, target), None)
    assert {i.key: i.reversed for i in inserted.items} == {"kita": False, "schule": True}
    assert insert_into_section(session, place, make_section(session, target), None).breakdown

    full = make_survey(session, slug="voll")
    full_section = make_section(session, full)
    for key in ("a", "b", "c"):
        add_question(session, full_section, key, "single", breakdown=True)
    extra = insert_into_section(session, place, full_section, None)
    assert extra.breakdown is False  # the survey has three already: inserted as a plain question
