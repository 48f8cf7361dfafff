"""Helpers of the workshop HTTP tests: users, logins, a seeded agreement."""

from __future__ import annotations

import secrets
from datetime import date

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier

from app.extensions import db
from surveys.models import GoalAgreement, Role, Survey, User
from surveys.workshop.agreements import start_agreement
from surveys.workshop.goals import add_goal, add_measure
from tests.surveys.workshop_helpers import field, measure_form


def ensure_login_route(app: Flask) -> None:
    """Give ``login_required`` a login page until the staff blueprint provides ``auth.login``."""
    if "auth.login" not in app.view_functions:
        stub = Blueprint("auth", __name__)
        stub.add_url_rule("/anmelden", "login", lambda: "login")
        app.register_blueprint(stub)


@pytest.fixture()
def wapp(app: Flask) -> Flask:
    """The app, with a stand-in login page until the staff blueprint provides ``auth.login``."""
    ensure_login_route(app)
    return app


def make_user(role: Role | None, email: str = "") -> User:
    """Create a user; ``None`` makes a deactivated staff account (logged in, no role)."""
    user = User(
        email=email or f"{secrets.token_hex(4)}@example.org",
        name="Test",
        password_hash="x",
        role=role or Role.STAFF,
        active=True,
        session_token=secrets.token_hex(16),
    )
    db.session.add(user)
    db.session.commit()
    return user


def login(client: FlaskClient, user: User) -> None:
    """Log ``user`` in through the Flask-Login session keys.

    Session protection is "strong", so the session also carries Flask-Login's identifier of
    the test client (computed, never stored anywhere else).
    """
    with client.application.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["_id"] = identifier


def seeded_agreement(measures: int = 3, slug: str = "bilanz-2026") -> GoalAgreement:
    """A committed survey with an agreement (2027–2029), a Bildung goal and measures."""
    survey = Survey(slug=slug, title="Bilanz 2026")
    db.session.add(survey)
    db.session.flush()
    agreement = start_agreement(db.session, survey, date(2027, 1, 1))
    goal = add_goal(db.session, agreement, field(db.session, "bildung"), {"title": "Ganztag"})
    for n in range(measures):
        add_measure(db.session, goal, measure_form(title=f"Maßnahme {n + 1}", findings=""))
    db.session.commit()
    return agreement
