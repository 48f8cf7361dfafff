""" "Später weitermachen" (resume codes, expiry, purge) and single-use access codes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select

from app.extensions import db
from surveys.access_codes import generate_access_codes
from surveys.models import AccessCode, AccessMode, Draft, Response, Survey, utcnow
from surveys.random_codes import hash_code
from tests.app.citizen_flow import (
    BASE,
    answer_all,
    page_url,
    post_page,
    response_count,
    submission_id,
    submit,
)
from tests.factories import PAGES, build_survey


def save_for_later(client: FlaskClient) -> str:
    """Answer page 1, save on page 2 and return the resume code shown."""
    post_page(client, "familien", 1, PAGES["familien"][0])
    saved = post_page(client, "familien", 2, {"q-beratung": "ja"}, aktion="speichern")
    # "ja" makes the follow-up appear; saving does not need it answered
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{BASE}/gespeichert")
    html = client.get(f"{BASE}/gespeichert").get_data(as_text=True)
    match = re.search(r'class="code-box__code"[^>]*><strong>([A-Z0-9-]+)</strong>', html)
    assert match, html
    assert f"{BASE}/weiter?code={match.group(1)}" in html  # the link to continue
    assert "30 Tage" in html
    assert f'class="button" href="{page_url("familien", 2)}"' in html  # continue right here
    return match.group(1)


def test_resume_code_is_long_random_and_stored_only_as_hash(
    client: FlaskClient, survey: Survey
) -> None:
    code = save_for_later(client)
    assert len(code.replace("-", "")) == 28  # 28 × 5 bits = 140 bits
    draft = db.session.scalars(select(Draft)).one()
    assert draft.code_hash == hash_code(code)
    for column in inspect(db.engine).get_columns("draft"):
        assert code not in str(getattr(draft, column["name"]))
        assert code.replace("-", "") not in str(getattr(draft, column["name"]))
    assert timedelta(days=30) <= draft.expires_at - utcnow() <= timedelta(days=31)


def test_resume_in_another_browser_after_a_server_restart(
    client: FlaskClient, app_with: Any, survey: Survey
) -> None:
    code = save_for_later(client)
    restarted = app_with()  # a new app on the same database: nothing shared in memory
    other = restarted.test_client()
    form = other.get(f"{BASE}/weiter?code={code}").get_data(as_text=True)
    assert f'value="{code}"' in form  # the link fills the field
    response = other.post(f"{BASE}/weiter", data={"code": code.lower().replace("-", " ")})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(page_url("familien", 2))
    page1 = other.get(page_url("familien", 1)).get_data(as_text=True)
    assert 'name="q-kita" value="4" checked' in page1
    assert 'name="q-angebote-schule" value="3" checked' in page1
    page2 = other.get(page_url("familien", 2)).get_data(as_text=True)
    assert 'name="q-beratung" value="ja" checked' in page2
    # finishing on the other device submits the same draft once
    other.post(page_url("familien", 2), data={"q-beratung": "nein", "angezeigt": "beratung"})
    other.post(page_url("familien", 3), data={"angezeigt": "prioritaeten"})
    assert submit(other, "familien", submission_id(other, "familien")).status_code == 303
    assert response_count() == 1
    assert db.session.scalar(select(Draft.id)) is None


def test_unknown_or_empty_code_gets_a_message_at_the_field(
    client: FlaskClient, survey: Survey
) -> None:
    empty = client.post(f"{BASE}/weiter", data={"code": ""}).get_data(as_text=True)
    assert "Bitte geben Sie Ihren Code zum Weitermachen ein." in empty
    wrong = client.post(f"{BASE}/weiter", data={"code": "ABCD-EFGH"}).get_data(as_text=True)
    assert 'href="#code">Zu diesem Code finden wir keine gespeicherten Antworten.' in wrong
    assert 'value="ABCD-EFGH"' in wrong and 'aria-invalid="true"' in wrong


def test_expired_drafts_cannot_be_resumed_and_are_purged(
    client: FlaskClient, app: Flask, survey: Survey
) -> None:
    code = save_for_later(client)
    draft = db.session.scalars(select(Draft)).one()
    draft.expires_at = utcnow() - timedelta(minutes=1)
    fresh = Draft(
        survey_id=survey.id, code_hash="f" * 64, data={}, expires_at=utcnow() + timedelta(days=3)
    )
    db.session.add(fresh)
    db.session.commit()
    other = app.test_client()
    html = other.post(f"{BASE}/weiter", data={"code": code}).get_data(as_text=True)
    assert "Zu diesem Code finden wir keine gespeicherten Antworten." in html
    result = app.test_cli_runner().invoke(args=["purge-drafts"])
    assert result.exit_code == 0 and "1 abgelaufener Entwurf gelöscht." in result.output
    assert db.session.scalars(select(Draft.code_hash)).all() == ["f" * 64]


def test_draft_lifetime_follows_the_setting(app_with: Any) -> None:
    app = app_with(DRAFT_TTL_DAYS=3)
    with app.app_context():
        build_survey(db.session)
        db.session.commit()
        client = app.test_client()
        post_page(client, "familien", 1, PAGES["familien"][0])
        draft = db.session.scalars(select(Draft)).one()
        assert timedelta(days=3) <= draft.expires_at - utcnow() <= timedelta(days=4)
        assert "höchstens 3 Tage" in client.get(BASE).get_data(as_text=True)


def code_survey() -> tuple[Survey, list[str]]:
    survey = build_survey(db.session, access_mode=AccessMode.CODE)
    codes = generate_access_codes(db.session, survey, 3)
    db.session.commit()
    return survey, codes


def test_access_code_is_asked_before_the_questions(client: FlaskClient, app: Flask) -> None:
    _survey, codes = code_survey()
    assert "Zugangscode" in client.get(BASE).get_data(as_text=True)
    response = client.get(page_url("akteure", 1))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{BASE}/zugang?gruppe=akteure")
    wrong = client.post(f"{BASE}/zugang?gruppe=akteure", data={"access_code": "XXXX-YYYY-ZZZZ"})
    html = wrong.get_data(as_text=True)
    assert "Diesen Zugangscode kennen wir nicht, oder" in html and 'value="XXXX-YYYY-ZZZZ"' in html
    ok = client.post(f"{BASE}/zugang?gruppe=akteure", data={"access_code": codes[0].lower()})
    assert ok.status_code == 303 and ok.headers["Location"].endswith(page_url("akteure", 1))
    assert client.get(page_url("akteure", 1)).status_code == 200


def test_access_code_is_single_use_and_never_linked_to_the_response(
    client: FlaskClient, app: Flask
) -> None:
    _survey, codes = code_survey()
    client.post(f"{BASE}/zugang?gruppe=akteure", data={"access_code": codes[1]})
    answer_all(client, "akteure")
    assert submit(client, "akteure", submission_id(client, "akteure")).status_code == 303
    assert response_count() == 1
    # the code rows are untouched (a keyed mark is added instead, see docs/privacy.md)
    left = set(db.session.scalars(select(AccessCode.code_hash)))
    assert left == {hash_code(c) for c in codes}
    # no column links codes and responses: no foreign key, no time, no order
    code_columns = {c["name"] for c in inspect(db.engine).get_columns("access_code")}
    assert code_columns == {"id", "survey_id", "code_hash", "batch_id"}
    response_columns = {c["name"] for c in inspect(db.engine).get_columns("response")}
    assert not any("code" in name for name in response_columns)
    assert all(
        fk["referred_table"] != "access_code"
        for table in inspect(db.engine).get_table_names()
        for fk in inspect(db.engine).get_foreign_keys(table)
    )
    # the same code cannot be used a second time
    again = app.test_client()
    html = again.post(f"{BASE}/zugang?gruppe=akteure", data={"access_code": codes[1]}).get_data(
        as_text=True
    )
    assert "Diesen Zugangscode kennen wir nicht, oder er wurde schon verwendet." in html


def test_code_used_elsewhere_meanwhile_stops_the_submit(client: FlaskClient, app: Flask) -> None:
    _survey, codes = code_survey()
    client.post(f"{BASE}/zugang?gruppe=akteure", data={"access_code": codes[2]})
    answer_all(client, "akteure")
    token = submission_id(client, "akteure")
    db.session.execute(
        AccessCode.__table__.delete().where(AccessCode.code_hash == hash_code(codes[2]))
    )
    db.session.commit()
    response = submit(client, "akteure", token)
    assert response.status_code == 302
    assert "fehler=verwendet" in response.headers["Location"]
    assert db.session.scalar(select(Response.id)) is None
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dieser Zugangscode wurde bereits verwendet." in follow
    # the answers are still there for a new code
    assert db.session.scalar(select(Draft.id)) is not None


def test_the_letters_qr_link_prefills_the_code_without_using_it(
    client: FlaskClient, app: Flask
) -> None:
    _survey, codes = code_survey()
    page = client.get(f"{BASE}/zugang?gruppe=akteure&code={codes[0]}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'value="{codes[0]}"' in html
    # the form posts to the page without the code in its address; GET checked nothing
    assert 'action="/s/familienumfrage/zugang?gruppe=akteure"' in html
    assert "Diesen Zugangscode kennen wir nicht" not in html
    with client.session_transaction() as state:
        assert not any(key.startswith("access-") for key in state)
    assert client.get(page_url("akteure", 1)).status_code == 302  # not let in by the GET
    # an unknown code in the link is shown for correction, still without a check
    wrong = client.get(f"{BASE}/zugang?code=%3Cb%3EXX").get_data(as_text=True)
    assert 'value="&lt;b&gt;XX"' in wrong and "kennen wir nicht" not in wrong
    ok = client.post(f"{BASE}/zugang?gruppe=akteure", data={"access_code": codes[0]})
    assert ok.status_code == 303
