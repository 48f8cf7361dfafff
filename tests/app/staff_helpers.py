"""Helpers of the staff-area tests: accounts and logged-in clients."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from surveys.accounts import create_user
from surveys.models import Role, User

PASSWORDS = {
    Role.ADMIN: "Rathaus-Admin-Schlüssel 7",
    Role.STAFF: "Fragebogen-Werkstatt 2026",
    Role.MODERATOR: "Workshop-Moderation 2026",
}


def make_user(role: Role, email: str | None = None) -> User:
    """Create and commit an account with the role's test password."""
    user = create_user(db.session, email or f"{role.value}@example.org", PASSWORDS[role], role)
    db.session.commit()
    return user


def login(client: FlaskClient, role: Role, email: str | None = None) -> FlaskClient:
    """Log ``client`` in as the account of ``role`` (created beforehand)."""
    response = client.post(
        "/anmelden",
        data={"email": email or f"{role.value}@example.org", "password": PASSWORDS[role]},
    )
    assert response.status_code == 302, response.data[:500]
    return client


def logged_in(app: Flask, role: Role) -> FlaskClient:
    """Create the account of ``role`` and return a client logged in with it."""
    make_user(role)
    return login(app.test_client(), role)
