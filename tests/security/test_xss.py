"""Stored and reflected XSS, template injection and ``javascript:`` URLs.

Every human-readable text column of the seeded world (survey, questions, options, goals,
measures, accounts, ...) is overwritten with the payload; then every GET route is requested
anonymously and as administrator and every HTML page and export is searched for the raw
payload. New tables and routes are covered automatically.
"""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import Enum, String, Text, update

from app.extensions import db
from surveys.models import Base
from tests.app.citizen_flow import answer_all, page_url, post_page, submission_id
from tests.app.workshop_support import ensure_login_route
from tests.security.world import logged_in, rules, seed, url_for_rule

PAYLOAD = '"><img src=x onerror=alert(1)>{{7*7}}javascript:alert(1)'
RAW = re.compile(r"<img src=x onerror|\"><img", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
#: Columns that are identifiers, codes or hashes, not text people read.
NOT_TEXT = {
    "slug", "key", "code", "email", "password_hash", "session_token", "token_hash",
    "code_hash", "language", "locale", "vote_code", "public_code", "signature",
    "totp_secret",  # Base32 made by the server (surveys.two_factor), never text anyone types
    # the configured OIDC issuer (an https URL); the subject, from the provider, is poisoned
    # (unique together: with the issuer left NULL the same subject everywhere is allowed)
    "oidc_issuer",
}  # fmt: skip


def poison_every_text_column() -> int:
    """Write the payload into every human-readable text column; return the columns changed."""
    changed = 0
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if (
                isinstance(column.type, (String, Text))
                and not isinstance(column.type, Enum)
                and column.name not in NOT_TEXT
                and not column.name.endswith(("_hash", "_code", "_key"))
                and not column.primary_key
                and not column.foreign_keys
            ):
                length = getattr(column.type, "length", None)
                value = PAYLOAD[:length] if length else PAYLOAD
                db.session.execute(update(table).values({column.name: value}))
                changed += 1
    db.session.commit()
    return changed


def assert_escaped(body: str, where: str) -> None:
    """The payload must never appear as markup or as a ``javascript:`` link."""
    assert not RAW.search(body), f"unescaped payload in {where}"
    assert not JS_URL.search(body), f"javascript: URL in {where}"


def test_stored_payload_is_escaped_on_every_page_and_export(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    assert poison_every_text_column() >= 10
    shown = 0
    for client in (app.test_client(), logged_in(app, world.admin)):
        for rule in rules(app, "GET"):
            path = url_for_rule(app, rule, world.values(rule))
            response = client.get(path)
            assert response.status_code < 500, path
            # CSV/JSON downloads carry the text as data (with nosniff); markup matters in HTML/SVG.
            if response.mimetype in ("text/html", "image/svg+xml"):
                body = response.get_data(as_text=True)
                assert_escaped(body, path)
                shown += "{{7*7}}" in body
    assert shown >= 3  # the payload was really displayed (literally) somewhere


def test_free_text_answers_are_shown_escaped_and_literally(app: Flask) -> None:
    seed()
    client = app.test_client()
    answer_all(client, "familien")
    response = post_page(client, "familien", 3, {"q-anmerkungen": PAYLOAD[:190]})
    assert response.status_code == 302
    html = client.get("/s/familienumfrage/familien/pruefen").get_data(as_text=True)
    assert "{{7*7}}" in html
    assert_escaped(html, "check page")
    assert submission_id(client, "familien")
    page = client.get(page_url("familien", 3)).get_data(as_text=True)
    assert_escaped(page, "page 3")
    assert "&#34;&gt;&lt;img" in page or "&quot;&gt;&lt;img" in page


QUERY_PARAMS = ("gruppe", "code", "next", "von", "fehler", "q", "lang", "aktion", "seite")


def test_reflected_payload_in_query_strings_is_escaped(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    query = dict.fromkeys(QUERY_PARAMS, PAYLOAD)
    for client in (app.test_client(), logged_in(app, world.admin)):
        for rule in rules(app, "GET"):
            path = url_for_rule(app, rule, world.values(rule))
            response = client.get(path, query_string=query)
            assert response.status_code < 500, path
            if response.mimetype == "text/html":
                assert_escaped(response.get_data(as_text=True), path)


def test_reflected_payload_in_posted_forms_is_escaped(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    form = {name: PAYLOAD for name in (*QUERY_PARAMS, "title", "name", "email", "q-anmerkungen",
                                       "q-kita", "q-themen-other", "access_code")}  # fmt: skip
    for client in (app.test_client(), logged_in(app, world.admin)):
        for rule in rules(app, "POST"):
            path = url_for_rule(app, rule, world.values(rule))
            response = client.post(path, data=form)
            assert response.status_code < 500, path
            if response.mimetype == "text/html":
                assert_escaped(response.get_data(as_text=True), path)
