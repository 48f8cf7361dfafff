"""Goals and measures: validation, findings, versions and freezing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.errors import Conflict, ValidationError
from surveys.models import Answer, FindingKind, Priority, Question, VersionState
from surveys.workshop.agreements import freeze_version, new_version, period_for, start_agreement
from surveys.workshop.goals import add_goal, add_measure, delete_measure, update_measure
from surveys.workshop.inputs import parse_euros
from tests.surveys.workshop_helpers import (
    agreement_with_measures,
    comment_id,
    field,
    make_survey,
    measure_form,
    visible_comment,
)


def fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {e.field: e.render() for e in exc.value.errors}


def test_period_is_three_years() -> None:
    assert period_for(date(2027, 1, 1)) == (date(2027, 1, 1), date(2029, 12, 31))
    assert period_for(date(2020, 2, 29)) == (date(2020, 2, 29), date(2023, 2, 27))


def test_parse_euros() -> None:
    assert parse_euros("12.500") == 12500
    assert parse_euros("12500 €") == 12500
    assert parse_euros("1.250,00") == 1250
    assert parse_euros("") is None
    with pytest.raises(ValueError):
        parse_euros("zwölf")
    with pytest.raises(ValueError):
        parse_euros("12,5")


def test_goal_and_measure_are_recorded_with_codes_and_findings(session: Session) -> None:
    survey = make_survey(session)
    agreement = start_agreement(session, survey, date(2027, 1, 1))
    bildung = field(session, "bildung")
    goal = add_goal(session, agreement, bildung, {"title": "  Ganztag ausbauen "})
    assert goal.code == "3.1" and goal.title == "Ganztag ausbauen"
    ref, shown = visible_comment(session, survey)
    measure = add_measure(session, goal, measure_form(comment_refs=ref.lower()), shown)
    second = add_measure(session, goal, measure_form(title="Zweite", findings=""))
    assert (measure.code, second.code) == ("3.1.1", "3.1.2")
    assert measure.estimated_cost == 120000
    assert measure.priority == Priority.HIGH
    assert measure.starts_on == date(2027, 8, 1) and measure.ends_on == date(2029, 7, 31)
    kinds = [(f.kind, f.label) for f in measure.findings]
    assert kinds == [
        (FindingKind.ITEM, "kita/oeffnungszeiten"),
        (FindingKind.ITEM, "bildung_kommentar"),
        (FindingKind.COMMENT, "bildung_kommentar (Kommentar)"),
    ]
    assert measure.findings[-1].answer_id == comment_id(session, survey)
    assert add_goal(session, agreement, bildung, {"title": "Zweites Ziel"}).code == "3.2"


def test_measure_validation_reports_every_problem_in_german(session: Session) -> None:
    agreement = agreement_with_measures(session, count=0)
    goal = agreement.current.goals[0]
    with pytest.raises(ValidationError) as exc:
        add_measure(
            session,
            goal,
            measure_form(
                title="",
                responsible_unit="",
                starts_on="31.02.2027",
                ends_on="01.01.2031",
                estimated_cost="viel",
                priority="dringend",
                findings="gibtsnicht",
                comment_refs="abc 17",
            ),
        )
    errors = fields_of(exc)
    assert errors["title"] == "Bitte füllen Sie dieses Feld aus."
    assert errors["responsible_unit"] == "Bitte füllen Sie dieses Feld aus."
    assert "TT.MM.JJJJ" in errors["starts_on"]
    assert "01.01.2027–31.12.2029" in errors["ends_on"]
    assert "ganzen Euro" in errors["estimated_cost"]
    assert errors["priority"] == "Bitte wählen Sie eine Priorität."
    assert "„17“ ist keine Kommentar-Kennung" in errors["comment_refs"]  # no answer ids
    messages = [e.render() for e in exc.value.errors if e.field == "comment_refs"]
    assert messages[0] == "„abc“ ist keine Kommentar-Kennung wie K-3FA9C2D1."
    assert goal.measures == []

    with pytest.raises(ValidationError) as exc:
        add_measure(session, goal, measure_form(starts_on="2028-01-01", ends_on="2027-06-01"))
    assert fields_of(exc) == {"ends_on": "Das Ende darf nicht vor dem Beginn liegen."}

    with pytest.raises(ValidationError) as exc:
        add_measure(
            session, goal, measure_form(findings="gibtsnicht\nkita/xyz", comment_refs="K-00000000")
        )
    messages = [e.render() for e in exc.value.errors]
    assert "Die Frage „gibtsnicht“ gibt es in dieser Umfrage nicht." in messages
    assert "Die Frage „kita“ hat keine Aussage „xyz“." in messages
    assert "Einen Kommentar K-00000000 gibt es in der Kommentarliste nicht." in messages


def test_comment_of_another_survey_is_refused(session: Session) -> None:
    agreement = agreement_with_measures(session, count=0)
    other = make_survey(session, slug="andere")
    comment = session.scalars(
        select(Answer).join(Question).where(Question.survey_id == other.id)
    ).one()
    comment.text = "Nur in der anderen Umfrage"
    ref, shown = visible_comment(session, other)
    with pytest.raises(ValidationError):
        add_measure(session, agreement.current.goals[0], measure_form(comment_refs=ref), shown)


def test_a_comment_the_moderator_cannot_read_is_refused_like_a_missing_one(
    session: Session,
) -> None:
    """Only comments in the visible map can be cited; a hidden one (its group is under
    MIN_TEXT_GROUP) gets word for word the message of a reference that does not exist."""
    survey = make_survey(session)
    agreement = start_agreement(session, survey, date(2027, 1, 1))
    goal = add_goal(session, agreement, field(session, "bildung"), {"title": "Ganztag"})
    hidden, _shown = visible_comment(session, survey)

    def message(ref: str) -> str:
        with pytest.raises(ValidationError) as exc:
            add_measure(session, goal, measure_form(comment_refs=ref))
        return fields_of(exc)["comment_refs"].replace(ref, "<ref>")

    assert message(hidden) == message("K-00000000")
    assert goal.measures == []


def test_a_comment_stays_cited_when_the_measure_is_edited(session: Session) -> None:
    survey = make_survey(session)
    agreement = start_agreement(session, survey, date(2027, 1, 1))
    goal = add_goal(session, agreement, field(session, "bildung"), {"title": "Ganztag"})
    ref, shown = visible_comment(session, survey)
    measure = add_measure(session, goal, measure_form(comment_refs=ref), shown)
    update_measure(session, measure, measure_form(title="Neu", comment_refs=ref))
    assert measure.title == "Neu"
    assert [f.kind for f in measure.findings][-1] == FindingKind.COMMENT


def test_freeze_validates_and_locks_the_version(session: Session) -> None:
    agreement = agreement_with_measures(session)
    version = agreement.current
    with pytest.raises(ValidationError) as exc:
        freeze_version(session, version, "morgen", "", actor="mod@example.org")
    assert set(fields_of(exc)) == {"resolution_date", "paper_number"}
    with pytest.raises(ValidationError) as exc:
        freeze_version(session, version, "01.01.2999", "DS 26/1", actor="mod@example.org")
    assert "Zukunft" in fields_of(exc)["resolution_date"]
    assert version.state == VersionState.DRAFT

    freeze_version(session, version, "10.11.2026", " DS 26/0815 ", actor="mod@example.org")
    assert version.is_frozen and version.paper_number == "DS 26/0815"
    assert version.resolution_date == date(2026, 11, 10) and version.frozen_by == "mod@example.org"
    measure = version.goals[0].measures[0]
    with pytest.raises(Conflict):
        update_measure(session, measure, measure_form())
    with pytest.raises(Conflict):
        add_goal(session, agreement, field(session, "bildung"), {"title": "Neu"})
    with pytest.raises(Conflict):
        delete_measure(session, measure)
    with pytest.raises(Conflict):
        freeze_version(session, version, "10.11.2026", "DS", actor="x")


def test_empty_version_cannot_be_frozen(session: Session) -> None:
    agreement = agreement_with_measures(session, count=0)
    with pytest.raises(ValidationError):
        freeze_version(session, agreement.current, "10.11.2026", "DS 1", actor="x")


def test_new_version_copies_and_leaves_the_frozen_one_untouched(session: Session) -> None:
    agreement = agreement_with_measures(session, count=2)
    v1 = agreement.current
    freeze_version(session, v1, "10.11.2026", "DS 26/0815", actor="x")
    v2 = new_version(session, agreement, "Änderung durch Ratsbeschluss")
    assert (v2.number, v2.state, agreement.current) == (2, VersionState.DRAFT, v2)
    with pytest.raises(Conflict):
        new_version(session, agreement)
    copied = v2.goals[0].measures[0]
    assert copied.id != v1.goals[0].measures[0].id and copied.code == "3.1.1"
    update_measure(session, copied, measure_form(title="Geändert", findings=""))
    assert v1.goals[0].measures[0].title == "Maßnahme 1"
    assert [m.title for m in v2.goals[0].measures] == ["Geändert", "Maßnahme 2"]
    assert add_measure(session, v2.goals[0], measure_form(findings="")).code == "3.1.3"
