"""CSRF on every state-changing route, no state change by GET, and role escalation.

The routes come from ``app.url_map``: every rule that accepts POST must refuse a missing or
forged token (nothing stored, nothing changed), also for a logged-in administrator.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.extensions import db
from surveys.models import Role, User
from tests.app.workshop_support import ensure_login_route
from tests.security.world import (
    logged_in,
    rules,
    seed,
    snapshot,
    url_for_rule,
)

#: Fields a state-changing form might accept, filled with plausible values.
FORM = {
    "title": "Neu",
    "name": "Neu",
    "email": "neu@example.org",
    "role": "admin",
    "password": "ein-langes-passwort-123",
    "aktion": "weiter",
    "q-kita": "4",
    "code": "ABCD-EFGH",
    "confirm": "1",
    "submission_id": "x",
}


def _csrf_app(app_with: Any) -> Flask:
    app: Flask = app_with(WTF_CSRF_ENABLED=True)
    ensure_login_route(app)
    return app


def _post_everywhere(app: Flask, token: str | None) -> list[str]:
    """POST to every rule as the admin; return the rules that changed state or answered 2xx."""
    with app.app_context():
        world = seed()
        client = logged_in(app, world.admin)
        problems = []
        for rule in rules(app, "POST"):
            path = url_for_rule(app, rule, world.values(rule))
            before = snapshot()
            data = dict(FORM)
            if token is not None:
                data["csrf_token"] = token
            response = client.post(path, data=data)
            after = snapshot()
            if before != after:
                changed = [name for name in before if before[name] != after[name]]
                problems.append(f"{rule.rule}: changed {changed}")
            if not rule.endpoint.startswith("citizen.") and response.status_code != 400:
                problems.append(f"{rule.rule}: status {response.status_code}")
        return problems


def test_every_post_route_refuses_a_missing_csrf_token(app_with: Any) -> None:
    assert _post_everywhere(_csrf_app(app_with), None) == []


def test_every_post_route_refuses_a_forged_csrf_token(app_with: Any) -> None:
    assert _post_everywhere(_csrf_app(app_with), "forged.token.value") == []


def test_there_are_post_routes_to_check(app: Flask) -> None:
    # Guards the two tests above against silently checking nothing.
    assert len(rules(app, "POST")) >= 5


def test_no_get_request_changes_state(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    for user in (None, world.admin):
        client = logged_in(app, user) if user else app.test_client()
        for rule in rules(app, "GET"):
            path = url_for_rule(app, rule, world.values(rule))
            before = snapshot()
            response = client.get(path)
            assert response.status_code < 500, path
            after = snapshot()
            # Exports are recorded in the audit log on purpose; nothing else may change.
            before.pop("audit_event"), after.pop("audit_event")
            assert after == before, f"GET {path} changed the database"


def test_posting_role_admin_never_raises_a_role(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    for user in (world.staff, world.moderator):
        client = logged_in(app, user)
        for rule in rules(app, "POST"):
            path = url_for_rule(app, rule, world.values(rule))
            response = client.post(path, data={**FORM, "role": "admin", "is_admin": "1"})
            assert response.status_code < 500, path
    db.session.expire_all()
    roles = {u.email: u.role for u in db.session.query(User)}
    assert roles["staff@example.org"] == Role.STAFF
    assert roles["moderator@example.org"] == Role.MODERATOR
    assert sum(1 for role in roles.values() if role == Role.ADMIN) == 1


def test_staff_routes_refuse_anonymous_visitors(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    client = app.test_client()
    protected = [
        r for r in rules(app, "GET") if r.endpoint.split(".")[0] in {"staff", "workshop", "admin"}
    ]
    assert protected
    for rule in protected:
        path = url_for_rule(app, rule, world.values(rule))
        response = client.get(path)
        assert response.status_code in (302, 401, 403, 404), path
        if response.status_code == 302:
            assert "/anmelden" in response.headers["Location"], path


def test_the_harness_detects_changes_when_csrf_is_off(app_with: Any) -> None:
    # Without CSRF protection the same posts do change state: the checks above can fail.
    app: Flask = app_with(WTF_CSRF_ENABLED=False)
    ensure_login_route(app)
    assert any("changed" in problem for problem in _post_everywhere(app, None))
