"""Live prioritisation: budget, one vote set per device, results; and the DOCX annex."""

from __future__ import annotations

import io

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.errors import Conflict, ValidationError
from surveys.models import Handlungsfeld, VoteSet
from surveys.workshop.agreements import freeze_version
from surveys.workshop.annex import build_annex
from surveys.workshop.docx_export import annex_docx
from surveys.workshop.voting import (
    ballot_of,
    cast_votes,
    close_vote,
    hash_token,
    new_token,
    parse_ballot,
    results,
    start_vote,
    vote_by_code,
)
from tests.surveys.workshop_helpers import agreement_with_measures, field


def test_start_vote_needs_a_budget_and_two_measures(session: Session) -> None:
    agreement = agreement_with_measures(session, count=3)
    with pytest.raises(ValidationError):
        start_vote(session, agreement, field(session, "bildung"), "0")
    with pytest.raises(ValidationError):
        start_vote(session, agreement, field(session, "bildung"), "zehn")
    with pytest.raises(Conflict):
        start_vote(session, agreement, field(session, "senioren"), 10)
    vote = start_vote(session, agreement, field(session, "bildung"), " 10 ")
    assert vote.budget == 10 and len(vote.measures) == 3 and len(vote.code) == 6
    assert vote_by_code(session, vote.code.lower()) is vote


def test_budget_is_enforced(session: Session) -> None:
    agreement = agreement_with_measures(session, count=3)
    vote = start_vote(session, agreement, field(session, "bildung"), 10)
    a, b, c = (f"m_{m.id}" for m in vote.measures)
    assert parse_ballot(vote, {a: "6", b: "4", c: ""}) == {
        vote.measures[0].id: 6,
        vote.measures[1].id: 4,
        vote.measures[2].id: 0,
    }
    with pytest.raises(ValidationError) as exc:
        parse_ballot(vote, {a: "6", b: "5"})
    assert exc.value.errors[0].render() == (
        "Sie haben 11 Punkte verteilt, erlaubt sind höchstens 10."
    )
    with pytest.raises(ValidationError) as exc:
        parse_ballot(vote, {a: "-1", b: "2,5"})
    assert [e.field for e in exc.value.errors] == [a, b]
    with pytest.raises(ValidationError):
        parse_ballot(vote, {})


def test_one_vote_set_per_device_and_results(session: Session) -> None:
    agreement = agreement_with_measures(session, count=3)
    vote = start_vote(session, agreement, field(session, "bildung"), 10)
    m1, m2, m3 = vote.measures
    phone, tablet = new_token(), new_token()
    cast_votes(session, vote, phone, {m1.id: 10})
    cast_votes(session, vote, phone, {m1.id: 3, m2.id: 7})  # replaces the first set
    cast_votes(session, vote, tablet, {m2.id: 5, m3.id: 5})
    sets = session.scalars(select(VoteSet).where(VoteSet.vote_session_id == vote.id)).all()
    assert len(sets) == 2
    assert {s.token_hash for s in sets} == {hash_token(phone), hash_token(tablet)}
    assert phone not in {s.token_hash for s in sets}
    assert ballot_of(session, vote, phone) == {m1.id: 3, m2.id: 7}
    assert ballot_of(session, vote, None) == {}
    outcome = results(vote)
    assert (outcome.participants, outcome.total_points) == (2, 20)
    assert [(r.measure.id, r.points, r.supporters, r.rank) for r in outcome.rows] == [
        (m2.id, 12, 2, 1),
        (m3.id, 5, 1, 2),
        (m1.id, 3, 1, 3),
    ]
    assert outcome.rows[0].share == pytest.approx(0.6)
    close_vote(session, vote)
    with pytest.raises(Conflict):
        cast_votes(session, vote, new_token(), {m1.id: 1})


def test_tied_measures_share_a_rank(session: Session) -> None:
    agreement = agreement_with_measures(session, count=3)
    vote = start_vote(session, agreement, field(session, "bildung"), 4)
    m1, m2, _ = vote.measures
    cast_votes(session, vote, new_token(), {m1.id: 2, m2.id: 2})
    assert [r.rank for r in results(vote).rows] == [1, 1, 3]


def test_docx_annex_lists_fields_goals_and_measures_as_plain_text(session: Session) -> None:
    agreement = agreement_with_measures(session, count=2)
    measure = agreement.current.goals[0].measures[0]
    measure.title = "<script>alert(1)</script> & Co"
    freeze_version(session, agreement.current, "10.11.2026", "DS 26/0815", "x")
    fields = list(session.scalars(select(Handlungsfeld).order_by(Handlungsfeld.number)))
    annex = build_annex(agreement.current, fields, "Stadt Delmenhorst")
    document = Document(io.BytesIO(annex_docx(annex)))
    texts = [p.text for p in document.paragraphs]
    assert "Handlungsfeld 3: Bildung und Erziehung" in texts
    assert "Ziel 3.1: Ganztag ausbauen" in texts
    assert "Maßnahme 3.1.1: <script>alert(1)</script> & Co" in texts
    assert any("Anlage zur Drucksache DS 26/0815, beschlossen am 10.11.2026" in t for t in texts)
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert ["Verantwortlich", "Fachdienst Schule"] in cells
    assert ["Geschätzte Kosten", "120.000 €"] in cells
    assert ["Zeitraum", "08/2027 – 07/2029"] in cells
    footer_xml = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml


@given(st.lists(st.integers(min_value=0, max_value=30), min_size=3, max_size=3))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_accepted_ballots_never_exceed_the_budget(session: Session, points: list[int]) -> None:
    agreement = agreement_with_measures(session, count=3)
    vote = start_vote(session, agreement, field(session, "bildung"), 10)
    form = {f"m_{m.id}": str(p) for m, p in zip(vote.measures, points, strict=True)}
    try:
        ballot = parse_ballot(vote, form)
    except ValidationError:
        assert sum(points) > 10 or sum(points) == 0
    else:
        assert 0 < sum(ballot.values()) <= 10 and list(ballot.values()) == points
    session.rollback()


def test_annex_names_findings_by_their_wording_not_by_keys(session: Session) -> None:
    from demo import seed_demo
    from surveys.models import GoalAgreement, MeasureFinding, Question
    from surveys.workshop.queries import finding_labels

    seed_demo(session, responses=0)
    agreement = session.scalars(select(GoalAgreement)).first()
    assert agreement is not None
    measures = [m for g in agreement.current.goals for m in g.measures]
    finding = next(f for m in measures for f in m.findings if f.item_key)
    question = session.scalar(
        select(Question).where(
            Question.survey_id == agreement.survey_id, Question.key == finding.question_key
        )
    )
    assert question is not None
    item = next(i for i in question.items if i.key == finding.item_key)
    labels = finding_labels(session, agreement.survey_id, measures)
    assert labels[finding.id] == f"{question.text} – {item.text}"
    comment = MeasureFinding(kind="comment", question_key=question.key, measure=measures[0])
    session.add(comment)
    session.flush()
    labels = finding_labels(session, agreement.survey_id, measures)
    assert labels[comment.id] == f"Kommentar zu „{question.text}“"
    fields = list(session.scalars(select(Handlungsfeld).order_by(Handlungsfeld.number)))
    annex = build_annex(agreement.current, fields, "Stadt Delmenhorst", finding_labels=labels)
    document = Document(io.BytesIO(annex_docx(annex)))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    basis = [c for c in cells if " – " in c and item.text in c]
    assert basis, "the finding's wording is in the annex"
    assert not any(f"{finding.question_key}/" in c for c in cells)  # no internal keys
