"""Submitting: one transaction, PRG, one-time id, honeypot, nothing about the client stored,
rate limit, request size limit, expired CSRF token keeps the answers."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select, text

from app.common.ratelimit import client_bucket
from app.extensions import db
from surveys.models import Answer, Draft, Response, SubmissionReceipt, Survey, SurveyStatus
from tests.app.citizen_flow import (
    BASE,
    answer_all,
    csrf_token,
    page_url,
    post_page,
    response_count,
    submission_id,
    submit,
)
from tests.factories import PAGES, build_survey

CLIENT_TRACES = {
    "REMOTE_ADDR": "203.0.113.77",
    "HTTP_USER_AGENT": "EvilBrowser/9.9 (Fingerprint-4711)",
    "HTTP_REFERER": "https://referrer.example/secret-path",
    "HTTP_X_FORWARDED_FOR": "198.51.100.23",
    "HTTP_ACCEPT_LANGUAGE": "tlh-KLINGON",
}


@pytest.mark.parametrize("group", ["familien", "senioren", "akteure"])
def test_submit_stores_one_response_with_its_answers(
    client: FlaskClient, survey: Survey, group: str
) -> None:
    answer_all(client, group)
    response = submit(client, group, submission_id(client, group))
    assert response.status_code == 303  # Post/Redirect/Get
    assert response.headers["Location"].endswith(f"{BASE}/danke")
    thanks = client.get(f"{BASE}/danke").get_data(as_text=True)
    assert "Vielen Dank" in thanks and "Wie es weitergeht" in thanks
    stored = db.session.scalars(select(Response)).one()
    assert stored.target_group.key == group
    assert isinstance(stored.submitted_on, date)
    assert stored.channel == "online"
    assert db.session.scalar(select(Draft.id)) is None  # the draft went with the submission
    answers = db.session.scalars(select(Answer).where(Answer.response_id == stored.id)).all()
    assert answers
    if group == "familien":
        texts = {a.text for a in answers if a.text}
        assert texts == {"Mehr Spielplätze bitte."}
        # matrix: one row per item; ranking: places 1 and 2
        assert sorted(a.num for a in answers if a.item_id is not None) == [2.0, 3.0, 5.0]


def test_a_repeated_post_stores_nothing_twice_and_shows_thanks(
    client: FlaskClient, survey: Survey
) -> None:
    answer_all(client, "familien")
    token = submission_id(client, "familien")
    first = submit(client, "familien", token)
    again = submit(client, "familien", token)
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"].endswith(f"{BASE}/danke")
    assert response_count() == 1
    assert db.session.scalar(select(SubmissionReceipt.token_hash)) != token  # hash only


def test_a_repeated_post_from_another_session_with_the_same_id_is_ignored(
    client: FlaskClient, app: Flask, survey: Survey
) -> None:
    answer_all(client, "senioren")
    token = submission_id(client, "senioren")
    submit(client, "senioren", token)
    retry = app.test_client()  # e.g. a retry after the cookie was lost
    assert submit(retry, "senioren", token).status_code == 303
    assert response_count() == 1


def test_honeypot_pretends_success_and_stores_nothing(client: FlaskClient, survey: Survey) -> None:
    answer_all(client, "familien")
    token = submission_id(client, "familien")
    response = submit(client, "familien", token, website="http://spam.example")
    assert response.status_code == 303
    assert response_count() == 0
    html = client.get(f"{BASE}/familien/pruefen").get_data(as_text=True)
    assert 'class="honeypot" aria-hidden="true"' in html and 'tabindex="-1"' in html


def test_submission_without_session_keeps_the_person_informed(
    client: FlaskClient, app: Flask, survey: Survey
) -> None:
    fresh = app.test_client()
    response = submit(fresh, "familien", "made-up-token")
    assert response.status_code == 200
    assert "Wir haben noch keine Antworten von Ihnen." in response.get_data(as_text=True)
    assert response_count() == 0


def test_no_column_holds_anything_about_the_client(
    client: FlaskClient, app: Flask, survey: Survey
) -> None:
    client.environ_base.update(CLIENT_TRACES)
    answer_all(client, "familien")
    post_page(client, "familien", 3, PAGES["familien"][2], aktion="speichern")
    assert submit(client, "familien", submission_id(client, "familien")).status_code == 303
    assert response_count() == 1
    inspector = inspect(db.engine)
    suspicious = ("ip", "addr", "agent", "referer", "referrer", "user_agent", "fingerprint")
    for table in inspector.get_table_names():
        columns = [c["name"] for c in inspector.get_columns(table)]
        for column in columns:
            assert not any(
                column == word or column.startswith(word + "_") or column.endswith("_" + word)
                for word in suspicious
            ), f"{table}.{column}"
        rows = db.session.execute(text(f'SELECT * FROM "{table}"')).all()
        dump = " ".join(str(value) for row in rows for value in row)
        for trace in (
            "203.0.113",
            "198.51.100",
            "EvilBrowser",
            "Fingerprint",
            "referrer.example",
            "KLINGON",
        ):
            assert trace not in dump, f"{trace} stored in {table}"
    # the response is dated to the day; no time of day anywhere near it
    response_columns = {c["name"]: c["type"] for c in inspector.get_columns("response")}
    assert set(response_columns) == {
        "id",
        "survey_id",
        "target_group_id",
        "channel",
        "language",
        "submitted_on",
    }
    assert "DATE" in str(response_columns["submitted_on"]).upper()
    assert "TIME" not in str(response_columns["submitted_on"]).upper()


def test_session_cookie_is_small_and_holds_no_answers(client: FlaskClient, survey: Survey) -> None:
    answer_all(client, "familien")
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert len(cookie.value) < 600
    assert "Spielpl" not in cookie.value and "familienbuero" not in cookie.value


def test_submissions_are_rate_limited_without_storing_addresses(app_with: Any) -> None:
    app = app_with(RATELIMIT_ENABLED=True, SUBMIT_RATE_LIMIT="2 per minute")
    with app.app_context():
        build_survey(db.session)
        db.session.commit()
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "192.0.2.10"
        codes = [submit(client, "familien", "x").status_code for _ in range(3)]
        assert codes[:2] == [200, 200] and codes[2] == 429
        assert "Zu viele Anfragen" in submit(client, "familien", "x").get_data(as_text=True)
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = "192.0.2.11"
        assert submit(other, "familien", "x").status_code == 200  # per sender, not global
        with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.10"}):
            key = client_bucket()
        assert "192.0.2.10" not in key and len(key) == len("submit-") + 32


def test_rate_limit_key_is_shared_by_workers_only_with_a_shared_storage(app_with: Any) -> None:
    keys = []
    for _worker in range(2):
        app = app_with(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", RATELIMIT_ENABLED=False)
        with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.10"}):
            keys.append(client_bucket())
    assert keys[0] == keys[1] and "192.0.2" not in keys[0]
    with app_with().test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.10"}):
        assert client_bucket() != keys[0]  # memory storage: a random per-process secret


def test_oversized_requests_are_refused(app_with: Any) -> None:
    app = app_with(MAX_CONTENT_LENGTH=10_000)
    with app.app_context():
        build_survey(db.session)
        db.session.commit()
        response = app.test_client().post(
            page_url("familien", 3), data={"q-anmerkungen": "x" * 20_000}
        )
        assert response.status_code == 413
        assert "Die gesendeten Daten sind zu groß." in response.get_data(as_text=True)


def test_expired_csrf_token_rerenders_the_page_with_the_answers(app_with: Any) -> None:
    app = app_with(WTF_CSRF_ENABLED=True)
    with app.app_context():
        build_survey(db.session)
        db.session.commit()
        client = app.test_client()
        data = {
            "q-prioritaeten-wege": "1",
            "q-kinder": "3",
            "q-anmerkungen": "Bitte mehr Bänke <b>im Park</b>",
            "csrf_token": "expired-or-forged",
        }
        response = client.post(page_url("familien", 3), data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Ihre Sitzung war abgelaufen" in html
        assert 'value="3"' in html and "Bitte mehr Bänke &lt;b&gt;im Park&lt;/b&gt;" in html
        assert '<option value="1" selected>' in html
        assert db.session.scalar(select(Draft.id)) is None  # nothing stored from a bad token
        # the re-rendered form carries a fresh token that works
        data["csrf_token"] = csrf_token(html)
        data["angezeigt"] = "prioritaeten,kinder,anmerkungen"
        assert client.post(page_url("familien", 3), data=data).status_code == 302


def test_expired_csrf_token_on_submit_keeps_the_answers_and_asks_again(app_with: Any) -> None:
    app = app_with(WTF_CSRF_ENABLED=True)
    with app.app_context():
        build_survey(db.session)
        db.session.commit()
        client = app.test_client()
        for step, data in enumerate(PAGES["senioren"], start=1):
            html = client.get(page_url("senioren", step)).get_data(as_text=True)
            form = {**data, "csrf_token": csrf_token(html), "angezeigt": "beratung,stelle"}
            assert client.post(page_url("senioren", step), data=form).status_code == 302
        token = submission_id(client, "senioren")
        response = submit(client, "senioren", token, csrf_token="stale")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "bitte klicken Sie erneut auf „Antworten absenden“" in html
        assert "Stadtbibliothek: sehr zufrieden" in html
        assert response_count() == 0
        final = submit(client, "senioren", token, csrf_token=csrf_token(html))
        assert final.status_code == 303 and response_count() == 1


def test_nothing_about_the_client_is_logged(
    client: FlaskClient, app: Flask, survey: Survey, caplog: pytest.LogCaptureFixture
) -> None:
    client.environ_base.update(CLIENT_TRACES)
    with caplog.at_level(logging.DEBUG):
        answer_all(client, "familien")
        submit(client, "familien", submission_id(client, "familien"))
        client.get(f"{BASE}/danke")
    for trace in ("203.0.113", "198.51.100", "EvilBrowser", "referrer.example"):
        assert trace not in caplog.text


def test_thanks_page_still_shows_after_the_survey_closed(
    client: FlaskClient, survey: Survey
) -> None:
    survey.status = SurveyStatus.CLOSED
    db.session.commit()
    response = client.get(f"{BASE}/danke")
    assert response.status_code == 200
    assert "Vielen Dank" in response.get_data(as_text=True)
    assert client.get("/s/unbekannt/danke").status_code == 404


def test_csrf_failure_outside_the_survey_routes_is_the_normal_400_page(app_with: Any) -> None:
    app = app_with(WTF_CSRF_ENABLED=True)
    app.add_url_rule("/staff-test", "staff_test", lambda: "ok", methods=["POST"])
    response = app.test_client().post("/staff-test", data={"csrf_token": "forged"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Ungültige Anfrage" in html and '<html lang="de"' in html


def test_questionnaire_is_loaded_once_and_a_staff_change_shows_at_once(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    cache = app.extensions["questionnaire_cache"]
    cache.clear()
    loads = cache.loads
    answer_all(client, "familien")
    assert submit(client, "familien", submission_id(client, "familien")).status_code == 303
    assert cache.loads == loads + 1  # answering and submitting do not invalidate it
    assert cache.hits >= len(PAGES["familien"]) + 1

    kita = next(q for q in survey.questions() if q.key == "kita")
    kita.text = "Wie zufrieden sind Sie mit der Kita in Ihrem Stadtteil?"
    db.session.commit()
    reader = app.test_client()  # this client has sent its answers: it sees no questions
    page = reader.get(page_url("familien", 1)).get_data(as_text=True)
    assert "Kita in Ihrem Stadtteil" in page
    survey.status = SurveyStatus.CLOSED
    db.session.commit()
    assert reader.get(page_url("familien", 1)).status_code == 410


SENT = "Ihre Antworten wurden bereits gesendet"


def test_after_submitting_every_questionnaire_page_says_the_answers_were_sent(
    client: FlaskClient, app: Flask, survey: Survey
) -> None:
    answer_all(client, "familien")
    assert submit(client, "familien", submission_id(client, "familien")).status_code == 303
    tables_before = {
        t: db.session.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar()
        for t in inspect(db.engine).get_table_names()
    }
    # the browser's Back button: check page, question pages, landing pages, resume, saving
    for url in (
        f"{BASE}/familien/pruefen",
        page_url("familien", 3),
        page_url("familien", 1),
        BASE,
        f"{BASE}/familien",
        f"{BASE}/start?gruppe=senioren",
        f"{BASE}/weiter",
        f"{BASE}/gespeichert",
    ):
        html = client.get(url).get_data(as_text=True)
        assert SENT in html, url
        assert "Fragebogen beginnen" not in html and "noch keine Antworten" not in html, url
        assert "Neu beginnen" not in html, url
    # an old page sent again stores nothing, an old submit button ends on the thank-you page
    again = post_page(client, "familien", 1, PAGES["familien"][0])
    assert again.status_code == 200 and SENT in again.get_data(as_text=True)
    assert submit(client, "familien", "old-token").headers["Location"].endswith(f"{BASE}/danke")
    tables_after = {
        t: db.session.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar()
        for t in inspect(db.engine).get_table_names()
    }
    assert tables_after == tables_before
    assert db.session.scalar(select(Draft.id)) is None
    # the session holds one flag and nothing that points at the response
    with client.session_transaction() as state:
        own = {k: v for k, v in state.items() if k.endswith(f"-{survey.id}")}
    assert own == {f"sent-{survey.id}": True}
    # another browser (or person) is not affected
    fresh = app.test_client()
    assert "Fragebogen beginnen" in fresh.get(BASE).get_data(as_text=True)


def test_the_resume_code_after_submitting_says_the_answers_were_sent(
    client: FlaskClient, survey: Survey
) -> None:
    post_page(client, "familien", 1, PAGES["familien"][0])
    post_page(client, "familien", 2, PAGES["familien"][1], aktion="speichern")
    with client.session_transaction() as state:
        code = state[f"form-{survey.id}"]
    answer_all(client, "familien")
    submit(client, "familien", submission_id(client, "familien"))
    form = client.get(f"{BASE}/weiter?code={code}").get_data(as_text=True)
    assert SENT in form
    used = client.post(f"{BASE}/weiter", data={"code": code})
    assert used.status_code == 200 and SENT in used.get_data(as_text=True)
    assert response_count() == 1


def test_questionnaire_pages_are_not_kept_by_the_browser(
    client: FlaskClient, survey: Survey
) -> None:
    for url in (BASE, page_url("familien", 1), f"{BASE}/familien/pruefen", f"{BASE}/weiter"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
