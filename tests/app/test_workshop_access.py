"""Every workshop route needs login and the moderator/staff role; the ballot is public."""

from __future__ import annotations

import pytest
from flask import Flask

from surveys.models import Role, User
from tests.app.workshop_support import login, make_user, seeded_agreement

VALUES = {
    "slug": "bilanz-2026",
    "key": "bildung",
    "goal_id": 1,
    "measure_id": 1,
    "code": "ABCDEF",
    "kind": "likert",
    "subject": "bildung_zufriedenheit",
    "group": "total",
}


def workshop_requests(app: Flask) -> list[tuple[str, str]]:
    """(method, url) of every rule of the workshop blueprint."""
    requests = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("workshop."):
            continue
        url = rule.build({k: VALUES[k] for k in rule.arguments})[1]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            requests.append((method, url))
    return requests


def test_every_workshop_route_is_listed(wapp: Flask) -> None:
    endpoints = {method + " " + url for method, url in workshop_requests(wapp)}
    assert len(endpoints) >= 25
    assert "GET /workshop/bilanz-2026/feld/bildung" in endpoints
    assert "POST /workshop/abstimmung/ABCDEF/beenden" in endpoints


def test_anonymous_is_sent_to_login(wapp: Flask) -> None:
    client = wapp.test_client()
    for method, url in workshop_requests(wapp):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert (
            "/anmelden" in response.headers["Location"] or "login" in response.headers["Location"]
        ), (method, url)


def test_logged_in_without_the_role_gets_403(
    wapp: Flask,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = make_user(Role.STAFF)
    client = wapp.test_client()
    login(client, user)
    monkeypatch.setattr(User, "has_role", lambda self, *roles: False)
    for method, url in workshop_requests(wapp):
        assert client.open(url, method=method).status_code == 403, (method, url)


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.STAFF, Role.ADMIN])
def test_moderator_staff_and_admin_may_enter(wapp: Flask, role: Role) -> None:
    seeded_agreement()
    client = wapp.test_client()
    login(client, make_user(role))
    assert client.get("/workshop/").status_code == 200
    assert client.get("/workshop/bilanz-2026/feld/bildung").status_code == 200


def test_has_role_gate_is_the_one_from_app_auth(wapp: Flask) -> None:
    """A real user record whose role check fails: an inactive user is simply not logged in."""
    user = make_user(Role.MODERATOR)
    user.active = False
    from app.extensions import db

    db.session.commit()
    client = wapp.test_client()
    login(client, user)
    assert client.get("/workshop/").status_code == 302


def test_public_ballot_needs_no_login(wapp: Flask) -> None:
    assert wapp.test_client().get("/v/NOPE99").status_code == 404
