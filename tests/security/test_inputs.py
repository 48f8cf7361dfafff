"""SQL injection, open redirects, IDOR, oversized/malformed/random bodies, hostile imports,
formula injection in exports and brute-force login."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from surveys.models import Measure, Response, User
from tests.app.workshop_support import ensure_login_route
from tests.security.world import (
    all_paths,
    logged_in,
    rules,
    seed,
    snapshot,
    url_for_rule,
)

SQLI = (
    "' OR '1'='1",
    "1; DROP TABLE response;--",
    '" OR 1=1 --',
    "1' UNION SELECT password_hash FROM user_account--",
)
#: What a spreadsheet runs as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
EVIL_NEXT = ("//evil.example", "\\\\evil.example", "https:evil.example", "https://evil.example/x",
             "/\\evil.example", "javascript:alert(1)")  # fmt: skip


def test_sql_injection_in_every_url_parameter_and_field(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    client = logged_in(app, world.admin)
    for rule in rules(app, "GET"):
        for payload in SQLI[:2]:
            values = world.values(rule)
            # Every string parameter gets the payload (integers are refused by the converter).
            values = {
                k: (payload if isinstance(v, str) and k != "filename" else v)
                for k, v in values.items()
            }
            try:
                path = url_for_rule(app, rule, values)
            except ValueError:
                continue  # a converter (any(...)) refuses the value before the view runs
            response = client.get(
                path, query_string=dict.fromkeys(("gruppe", "code", "q", "von"), payload)
            )
            assert response.status_code < 500, path
    for rule in rules(app, "POST"):
        path = url_for_rule(app, rule, world.values(rule))
        form = dict.fromkeys(
            ("title", "name", "email", "code", "q-anmerkungen", "q-kita", "gruppe", "password"),
            SQLI[3],
        )
        assert client.post(path, data=form).status_code < 500, path
    tables = snapshot()
    assert "response" in tables and tables["user_account"], "tables still there"


def assert_local(location: str, where: object) -> None:
    """A redirect target must stay on this site (a ``next=`` inside its query is fine)."""
    if not location:
        return
    parts = urlsplit(location.replace("\\", "/"))
    assert parts.scheme in ("", "http", "https"), where
    assert parts.netloc in ("", "localhost"), where
    assert not location.startswith(("//", "\\", "/\\")), where


def test_next_parameter_never_redirects_off_site(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    client = logged_in(app, world.admin)
    for rule in [*rules(app, "GET"), *rules(app, "POST")]:
        path = url_for_rule(app, rule, world.values(rule))
        for target in EVIL_NEXT:
            method = (
                client.post
                if "POST" in (rule.methods or ()) and "GET" not in (rule.methods or ())
                else client.get
            )
            response = method(path, query_string={"next": target})
            assert_local(response.headers.get("Location", ""), (path, target))


def test_login_ignores_foreign_next_targets(app: Flask) -> None:
    if "auth.login" not in app.view_functions:
        return  # the staff area is not merged yet; the generic test above still runs
    from surveys.passwords import hash_password

    world = seed()
    world.admin.password_hash = hash_password("ein-sehr-langes-passwort-2026")
    db.session.commit()
    for target in EVIL_NEXT:
        client = app.test_client()
        response = client.post(
            "/anmelden",
            query_string={"next": target},
            data={
                "email": "admin@example.org",
                "password": "ein-sehr-langes-passwort-2026",
                "next": target,
            },
        )
        assert response.status_code in (302, 303), target  # logged in
        assert_local(response.headers.get("Location", ""), target)


def test_workshop_ids_of_another_survey_are_not_found(app: Flask) -> None:
    from tests.app.workshop_support import seeded_agreement

    ensure_login_route(app)
    world = seed()
    other = seeded_agreement(slug="andere-umfrage")
    foreign_measure = db.session.scalar(select(Measure.id).order_by(Measure.id.desc()))
    client = logged_in(app, world.admin)
    before = snapshot()
    for path in (f"/workshop/bilanz-2026/massnahmen/{foreign_measure}",
                 f"/workshop/bilanz-2026/massnahmen/{foreign_measure}/loeschen"):  # fmt: skip
        assert client.get(path).status_code == 404, path
        assert client.post(path, data={"title": "x"}).status_code == 404, path
    assert snapshot() == before
    assert other.id != world.agreement_id


def test_a_draft_of_one_survey_cannot_be_resumed_in_another(app: Flask) -> None:
    from tests.factories import build_survey

    seed()
    build_survey(db.session, slug="zweite-umfrage", title="Zweite")
    db.session.commit()
    client = app.test_client()
    reply = client.post(
        "/s/familienumfrage/familien/seite/1", data={"aktion": "speichern", "q-kita": "4"}
    )
    html = client.get(reply.headers["Location"]).get_data(as_text=True)
    code = re.search(r'class="code-box__code"[^>]*><strong>([^<]+)</strong>', html)
    assert code
    other = app.test_client().post("/s/zweite-umfrage/weiter", data={"code": code.group(1)})
    assert other.status_code == 200 and "keine gespeicherten Antworten" in other.get_data(
        as_text=True
    )
    same = app.test_client().post("/s/familienumfrage/weiter", data={"code": code.group(1)})
    assert same.status_code == 303


def test_oversized_body_is_refused_without_error(app: Flask) -> None:
    seed()
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    client = app.test_client()
    big = {"q-anmerkungen": "x" * (200 * 1024)}
    response = client.post("/s/familienumfrage/familien/seite/3", data=big)
    assert response.status_code == 413
    assert "Traceback" not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Response.id))) == 0


def test_malformed_bodies_never_fail(app: Flask) -> None:
    seed()
    client = app.test_client()
    path = "/s/familienumfrage/familien/seite/1"
    bodies: list[tuple[bytes, str]] = [
        (b"\xff\xfe\x00garbage=\xc3\x28", "application/x-www-form-urlencoded"),
        (
            b'--x\r\nContent-Disposition: form-data; name="q-kita"\r\n\r\n4',
            "multipart/form-data; boundary=x",
        ),
        (b'{"q-kita": [1, {"a": null}]}', "application/json"),
        (b"q-kita=4&q-kita=5&q-kita[]=6&" + b"a=" * 5000, "application/x-www-form-urlencoded"),
        (b"", "multipart/form-data"),
    ]
    for body, content_type in bodies:
        response = client.post(path, data=body, content_type=content_type)
        assert response.status_code < 500, body[:40]


FIELD_NAMES = st.sampled_from(
    [
        "q-kita",
        "q-angebote-spielplatz",
        "q-beratung",
        "q-stelle",
        "q-themen",
        "q-themen-other",
        "q-prioritaeten-wege",
        "q-kinder",
        "q-anmerkungen",
        "aktion",
        "angezeigt",
        "von",
        "submission_id",
        "website",
        "code",
        "access_code",
    ]  # fmt: skip
)
VALUES = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "0", "-1", "1e309", "NaN", "ja", "99999999999999999999"]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(form=st.lists(st.tuples(FIELD_NAMES, VALUES), max_size=12), step=st.integers(1, 4))
def test_random_form_data_never_gives_a_server_error(
    app: Flask, form: list[tuple[str, str]], step: int
) -> None:
    if db.session.scalar(select(func.count(User.id))) == 0:
        seed()
    client = app.test_client()
    data: dict[str, list[str]] = {}
    for name, value in form:
        data.setdefault(name, []).append(value)
    for path in (f"/s/familienumfrage/familien/seite/{step}", "/s/familienumfrage/familien/pruefen",
                 "/s/familienumfrage/weiter", "/s/familienumfrage/zugang"):  # fmt: skip
        assert client.post(path, data=data).status_code < 500, path


def test_hostile_import_files_are_refused_cleanly(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    client = logged_in(app, world.admin)
    import_rules = [r for r in rules(app, "POST") if "import" in r.endpoint]
    assert import_rules
    zip_bomb_header = b"PK\x03\x04" + b"\x00" * 26 + b"A" * 1000
    hostile: list[tuple[bytes, str]] = [
        (b"\x00\x01\x02\xff" * 1000, "binary.csv"),
        (zip_bomb_header, "fake.xlsx"),
        (b'code;status;notiz\n=HYPERLINK("http://evil");erledigt;=1+1\n', "formula.csv"),
        (b"a;b\n" + b'"unterminated\n' * 100, "quotes.csv"),
        (b"code;status\n" + b"M1;erledigt\n" * 150_000, "many-rows.csv"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
            "xxe.xml",
        ),
    ]
    for rule in import_rules:
        path = url_for_rule(app, rule, world.values(rule))
        for content, name in hostile:
            before = snapshot()
            # Encoded in memory: the test client would spool a large body to an unclosed file.
            boundary, body = encode_multipart(
                {"file": FileStorage(stream=io.BytesIO(content), filename=name)}
            )
            response = client.post(
                path, data=body, content_type=f"multipart/form-data; boundary={boundary}"
            )
            assert response.status_code < 500, (path, name)
            body = response.get_data(as_text=True)
            assert "root:" not in body
            if name != "formula.csv":
                assert snapshot() == before, (path, name)


def test_exports_neutralise_formulas(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    formulas = ('=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")
    measures = db.session.scalars(select(Measure)).all()
    for measure, formula in zip(measures * 2, formulas, strict=False):
        measure.title = formula
    # Free-text answers and "Sonstiges" texts reach the response exports.
    from datetime import date

    from surveys.models import Survey, TargetGroup
    from surveys.responses import store_response

    survey = db.session.get(Survey, world.citizen_id)
    group = db.session.scalar(select(TargetGroup).where(TargetGroup.key == "familien"))
    assert survey is not None and group is not None
    for formula in formulas:
        answers = {"kita": 4, "anmerkungen": formula, "themen": {"choices": [], "other": formula}}
        store_response(db.session, survey, group, answers, today=date(2026, 11, 1))
    db.session.commit()
    client = logged_in(app, world.admin)
    checked = 0
    paths = [path for rule in rules(app, "GET") for path in all_paths(app, rule, world)]
    for path in paths:
        response = client.get(path)
        if response.mimetype == "text/csv":
            text = response.get_data(as_text=True).lstrip("\ufeff")
            for row in csv.reader(io.StringIO(text), delimiter=";"):
                for cell in row:
                    assert not cell.startswith(FORMULA_START), cell
            checked += 1
        elif "spreadsheetml" in response.mimetype:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(response.data))
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    for value in row:
                        assert not (isinstance(value, str) and value.startswith(("=", "+", "@"))), (
                            value
                        )
            checked += 1
    assert checked >= 3  # workshop status CSV, response CSV and XLSX


def test_brute_force_login_is_slowed_down(app_with: Any) -> None:
    app: Flask = app_with(RATELIMIT_ENABLED=True)
    if "auth.login" not in app.view_functions:
        return  # arrives with the staff area; then this test takes effect
    with app.app_context():
        world = seed()
        client = app.test_client()
        statuses = [
            client.post(
                "/anmelden", data={"email": world.admin.email, "password": f"falsch{i}"}
            ).status_code
            for i in range(12)
        ]
        assert 429 in statuses or statuses[-1] in (423, 403)
        assert all(status < 500 for status in statuses)


STAFF_FIELDS = st.sampled_from(
    [
        "title",
        "slug",
        "intro",
        "text",
        "key",
        "type",
        "required",
        "email",
        "name",
        "role",
        "password",
        "status",
        "opens_on",
        "closes_on",
        "count",
        "position",
        "options",
        "items",
        "settings",
        "condition",
        "group",
        "target_groups",
        "next",
        "aktion",
        "confirm",
    ]  # fmt: skip
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), form=st.lists(st.tuples(STAFF_FIELDS, VALUES), max_size=10))
def test_random_form_data_on_staff_routes_never_gives_a_server_error(
    app: Flask, data: st.DataObject, form: list[tuple[str, str]]
) -> None:
    from tests.app_fixtures import empty_tables
    from tests.security.world import World

    ensure_login_route(app)
    ids = _ids()
    world_admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    if ids is None or world_admin is None:  # first example, or an example deleted part of it
        empty_tables()
        world_admin = seed().admin
        ids = _ids()
    assert ids is not None
    rule = data.draw(st.sampled_from(rules(app, "POST")))
    path = url_for_rule(app, rule, World(*ids, world_admin, world_admin, world_admin).values(rule))
    body: dict[str, list[str]] = {}
    for name, value in form:
        body.setdefault(name, []).append(value)
    response = logged_in(app, world_admin).post(path, data=body)
    assert response.status_code < 500, (path, body)


def _ids() -> tuple[int, int, int, int, int, int] | None:
    """Ids of the seeded world, read back from the database (``None`` when incomplete)."""
    from surveys.models import Goal, GoalAgreement, Question, Survey

    citizen = db.session.scalar(select(Survey.id).where(Survey.slug == "familienumfrage"))
    agreement = db.session.scalar(select(GoalAgreement.id))
    goal = db.session.scalar(select(Goal.id).order_by(Goal.id))
    measure = db.session.scalar(select(Measure.id).order_by(Measure.id))
    question = db.session.scalar(
        select(Question).where(Question.survey_id == citizen).order_by(Question.id)
    )
    if not (citizen and agreement and goal and measure and question):
        return None
    return citizen, agreement, goal, measure, question.id, question.section_id


def test_a_huge_id_in_any_url_is_not_found(app: Flask) -> None:
    """Every ``<int:…>`` route: an id beyond the database's integer is a 404, not a 500."""
    ensure_login_route(app)
    world = seed()
    client = logged_in(app, world.admin)
    huge = 99999999999999999999
    assert client.get(f"/verwaltung/umfragen/{huge}").status_code == 404
    checked = 0
    for rule in rules(app, "GET"):
        ints = [
            name
            for name, conv in rule._converters.items()
            if getattr(conv, "num_convert", None) is int
        ]
        if not ints:
            continue
        values = world.values(rule) | dict.fromkeys(ints, huge)
        path = url_for_rule(app, rule, values)
        assert client.get(path).status_code == 404, path
        checked += 1
    assert checked > 10
