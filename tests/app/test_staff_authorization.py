"""Authorization matrix: every staff route × (anonymous, moderator, staff, admin).

Routes are collected from ``app.url_map``, so a new staff route is covered automatically.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from app.extensions import db
from surveys.models import LibraryQuestion, Role, User
from tests.app.staff_helpers import login, make_user
from tests.surveys.designer_helpers import add_question, make_section, make_survey

ADMIN_ONLY = {
    "staff.users",
    "staff.user_active",
    "staff.user_delete",
    "staff.user_reset_two_factor",
    "staff.audit",
}
LOGIN_ONLY = {"auth.password"}  # every logged-in account, its own password only
PUBLIC = {"auth.login", "auth.logout"}
CONVERTER_SAMPLES = {"direction": "hoch", "fmt": "csv", "change": "deaktivieren"}


def staff_rules(app: Flask) -> list[Rule]:
    """Every rule of the staff and auth blueprints."""
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("staff.") or r.endpoint in LOGIN_ONLY
    ]


def build_url(rule: Rule, ids: dict[str, int]) -> str:
    """Fill a rule's arguments with ids of existing objects or sample converter values."""
    values: dict[str, Any] = {}
    for arg in rule.arguments:
        values[arg] = ids.get(arg, CONVERTER_SAMPLES.get(arg, 1))
    return rule.build(values)[1]  # type: ignore[index]


@pytest.fixture()
def world(app: Flask) -> dict[str, int]:
    """A survey with a section and question, a library entry and a spare account."""
    survey = make_survey(db.session)
    section = make_section(db.session, survey)
    question = add_question(db.session, section, "q1")
    entry = LibraryQuestion(key="bib", type="text", text="Frage", definition={}, source="x")
    db.session.add(entry)
    db.session.commit()
    spare = make_user(Role.STAFF, "spare@example.org")
    return {
        "survey_id": survey.id,
        "section_id": section.id,
        "question_id": question.id,
        "entry_id": entry.id,
        "user_id": spare.id,
    }


def test_every_staff_view_is_protected_by_role_required(app: Flask) -> None:
    for rule in staff_rules(app):
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "__wrapped__"), f"{rule.endpoint} has no role check"


def test_matrix_covers_a_meaningful_number_of_routes(app: Flask) -> None:
    assert len(staff_rules(app)) >= 25


def _requests(app: Flask, ids: dict[str, int]) -> list[tuple[str, str, str]]:
    result = []
    for rule in staff_rules(app):
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            result.append((rule.endpoint, method, build_url(rule, ids)))
    return result


def test_anonymous_gets_login_redirect_everywhere(app: Flask, world: dict[str, int]) -> None:
    client = app.test_client()
    for endpoint, method, url in _requests(app, world):
        response = client.open(url, method=method)
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert response.headers["Location"].startswith("/anmelden"), endpoint


def test_moderator_gets_403_on_every_staff_route(app: Flask, world: dict[str, int]) -> None:
    make_user(Role.MODERATOR)
    client = login(app.test_client(), Role.MODERATOR)
    for endpoint, method, url in _requests(app, world):
        response = client.open(url, method=method)
        if endpoint in LOGIN_ONLY:
            assert response.status_code in (200, 422), endpoint
            continue
        assert response.status_code == 403, (endpoint, method, response.status_code)
        body = response.get_data(as_text=True)
        assert "Bilanz 2026" not in body and "spare@example.org" not in body


def test_staff_reaches_staff_routes_but_not_admin_routes(app: Flask, world: dict[str, int]) -> None:
    make_user(Role.STAFF)
    client = login(app.test_client(), Role.STAFF)
    for endpoint, method, url in _requests(app, world):
        response = client.open(url, method=method)
        if endpoint in ADMIN_ONLY:
            assert response.status_code == 403, (endpoint, method)
        else:
            assert response.status_code not in (401, 403), (endpoint, method, response.status_code)
            assert response.status_code < 500, (endpoint, method)


def test_admin_reaches_every_route(app: Flask, world: dict[str, int]) -> None:
    make_user(Role.ADMIN)
    client = login(app.test_client(), Role.ADMIN)
    for endpoint, method, url in _requests(app, world):
        response = client.open(url, method=method)
        assert response.status_code not in (401, 403), (endpoint, method, response.status_code)
        assert response.status_code < 500, (endpoint, method)
        if response.status_code == 302:
            assert not response.headers["Location"].startswith("/anmelden"), endpoint


def test_disabled_account_loses_access_immediately(app: Flask, world: dict[str, int]) -> None:
    make_user(Role.STAFF)
    client = login(app.test_client(), Role.STAFF)
    user = db.session.query(User).filter_by(email="staff@example.org").one()
    user.active = False
    db.session.commit()
    assert client.get("/verwaltung/").status_code == 302
