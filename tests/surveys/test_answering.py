"""The answering use case without Flask: page posts, drafts and the one-time submission."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from surveys.answering import (
    PageResult,
    SubmitResult,
    answer_page,
    page_answers,
    pending_input,
    submit,
)
from surveys.drafts import draft_typed, load_draft, submission_token
from surveys.models import Draft, Response, Survey
from surveys.pages import pages_for
from tests.surveys.builders import groups, small_survey

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)
CODE = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23"
COMPLETE = {"q-zufriedenheit-kita": ["4"], "q-zufriedenheit-schule": ["dk"]}


def post(session: Session, survey: Survey, raw: dict[str, list[str]], action: str = "weiter", **kw):
    """Post page 1 as a family, with the page having shown everything but the follow-up."""
    codes: list[str] = []

    def code() -> str:
        codes.append(CODE)
        return CODE

    outcome = answer_page(
        session,
        survey,
        groups(session)["familien"],
        1,
        raw,
        action=action,
        shown=kw.pop("shown", ["zufriedenheit", "ganztag", "kommentar"]),
        draft=kw.pop("draft", None),
        code=code,
        now=NOW,
        ttl=timedelta(days=7),
        language="de",
    )
    return outcome, codes


def draft_of(session: Session, survey: Survey) -> Draft | None:
    return load_draft(session, survey, CODE, NOW)


def test_weiter_with_a_missing_required_answer_saves_nothing(session: Session) -> None:
    survey = small_survey(session)
    outcome, codes = post(session, survey, {"q-kommentar": ["Mehr Spielplätze"]})
    assert outcome.result == PageResult.INVALID
    assert {e.field for e in outcome.errors} == {
        "q-zufriedenheit-kita",
        "q-zufriedenheit-schule",
    }
    assert outcome.values == {"kommentar": "Mehr Spielplätze"}  # what was typed comes back
    assert codes == [] and draft_of(session, survey) is None  # no code, no draft


def test_weiter_saves_the_page_and_goes_to_the_check_page(session: Session) -> None:
    survey = small_survey(session)
    outcome, codes = post(session, survey, {**COMPLETE, "q-ganztag": ["ja"]})
    assert (outcome.result, outcome.step) == (PageResult.FORWARD, None)  # one page only
    draft = draft_of(session, survey)
    assert draft is not None and codes == [CODE]
    assert draft.data["answers"] == {
        "zufriedenheit": {"kita": 4, "schule": "dk"},
        "ganztag": "ja",
    }
    assert draft.step == len(pages_for(survey, "familien")) + 1


def test_an_answer_that_reveals_a_question_shows_the_page_again(session: Session) -> None:
    survey = small_survey(session)
    outcome, _codes = post(session, survey, {**COMPLETE, "q-ganztag": ["nein"]})
    assert outcome.result == PageResult.REVEALED and outcome.errors == []
    assert draft_of(session, survey) is not None  # saved meanwhile
    # Posted again with the follow-up shown, the page moves on.
    again, _ = post(
        session,
        survey,
        {**COMPLETE, "q-ganztag": ["nein"], "q-ganztag_warum": ["zu teuer"]},
        shown=["zufriedenheit", "ganztag", "ganztag_warum", "kommentar"],
        draft=draft_of(session, survey),
    )
    assert again.result == PageResult.FORWARD
    assert draft_of(session, survey).data["answers"]["ganztag_warum"] == "zu teuer"


def test_zurueck_keeps_invalid_input_as_typed(session: Session) -> None:
    survey = small_survey(session)
    raw = {"q-zufriedenheit-kita": ["7"], "q-kommentar": ["gut"]}
    outcome, _codes = post(session, survey, raw, action="zurueck")
    assert (outcome.result, outcome.step) == (PageResult.BACK, None)  # to the landing page
    draft = draft_of(session, survey)
    assert draft.data["answers"] == {"kommentar": "gut"}
    assert draft_typed(draft) == {"zufriedenheit": {"kita": "7"}}
    # The page shows it again as typed, and the check page lists it as pending.
    own, _earlier = page_answers(pages_for(survey, "familien")[0], draft)
    assert own["zufriedenheit"] == {"kita": "7"}
    assert [q.key for q, _page in pending_input(survey, "familien", {}, draft_typed(draft))] == [
        "zufriedenheit"
    ]


def test_speichern_saves_an_incomplete_page(session: Session) -> None:
    survey = small_survey(session)
    outcome, codes = post(session, survey, {"q-kommentar": ["später"]}, action="speichern")
    assert outcome.result == PageResult.SAVED and codes == [CODE]
    assert draft_of(session, survey).data["answers"] == {"kommentar": "später"}


def test_an_unknown_action_counts_as_weiter(session: Session) -> None:
    survey = small_survey(session)
    outcome, _codes = post(session, survey, {}, action="<script>")
    assert outcome.result == PageResult.INVALID


def count_responses(session: Session, survey: Survey) -> int:
    """Count stored responses in plain SQL, not through the code under test."""
    return session.execute(
        text("SELECT count(*) FROM response WHERE survey_id = :id"), {"id": survey.id}
    ).scalar_one()


def submit_as_family(session: Session, survey: Survey, token: str) -> SubmitResult:
    return submit(
        session,
        survey,
        groups(session)["familien"],
        draft_of(session, survey),
        token,
        access_code="",
        code_mark_key=b"k" * 32,
        today=TODAY,
        language="de",
    )


def test_submit_stores_once_and_recognises_the_repeated_click(session: Session) -> None:
    survey = small_survey(session)
    post(session, survey, {**COMPLETE, "q-ganztag": ["ja"]})
    token = submission_token(session, draft_of(session, survey))
    assert submit_as_family(session, survey, "an-old-page") == SubmitResult.STALE
    assert submit_as_family(session, survey, token) == SubmitResult.STORED
    assert count_responses(session, survey) == 1
    assert draft_of(session, survey) is None  # the draft went with it
    # The same click again: no draft, but the receipt says it arrived.
    assert submit_as_family(session, survey, token) == SubmitResult.RECEIVED_BEFORE
    assert submit_as_family(session, survey, "never-seen") == SubmitResult.LOST
    assert count_responses(session, survey) == 1
    assert session.scalar(select(func.count()).select_from(Response)) >= 1


def test_submit_refuses_an_incomplete_draft(session: Session) -> None:
    survey = small_survey(session)
    post(session, survey, {"q-zufriedenheit-kita": ["9"]}, action="speichern")
    token = submission_token(session, draft_of(session, survey))
    assert submit_as_family(session, survey, token) == SubmitResult.INCOMPLETE
    assert count_responses(session, survey) == 0
