"""Fixtures for tests that need the Flask app: a migrated database, app, client, logins.

Imported by the conftest of tests/app and tests/browser. Every test starts with the
reference data only: tables are emptied after each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import delete, update

from app import create_app
from app.extensions import db
from surveys.models import Base
from tests.conftest import DatabaseFactory

KEEP_TABLES = {"handlungsfeld", "target_group", "alembic_version"}


@pytest.fixture(scope="session")
def app_database(fresh_database: DatabaseFactory) -> str:
    """A database migrated to the newest revision once per test session."""
    url = fresh_database("app")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def make_app(database_url: str, **overrides: Any) -> Flask:
    """Create a test app on ``database_url`` (CSRF off unless ``WTF_CSRF_ENABLED=True``)."""
    config: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "DASHBOARD_WARM_UP": False,  # no background threads racing the emptied tables
        # password logins, whatever the shell exports; the two-factor tests switch it on
        "TWO_FACTOR_REQUIRED_ROLES": "",
        "SECRET_KEY": "test-secret-key-with-enough-length-0123456789",
    }
    config.update(overrides)
    return create_app(config)


def empty_tables() -> None:
    """Delete every row except the reference data (custom target groups go too), and put the
    reference data back as it was: a test may rename a built-in group (the attack suite posts
    payloads to every admin form), and the next test must find "Familie" again."""
    from surveys.models import HANDLUNGSFELDER, TARGET_GROUPS, Handlungsfeld, TargetGroup

    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in KEEP_TABLES:
            db.session.execute(delete(table))
    db.session.execute(delete(TargetGroup).where(TargetGroup.builtin.is_(False)))
    for key, position, label, respondent_label in TARGET_GROUPS:
        db.session.execute(
            update(TargetGroup)
            .where(TargetGroup.key == key)
            .values(position=position, label=label, respondent_label=respondent_label)
        )
    for key, number, title in HANDLUNGSFELDER:
        db.session.execute(
            update(Handlungsfeld).where(Handlungsfeld.key == key).values(number=number, title=title)
        )
    db.session.commit()


def app_in_context(database_url: str, **overrides: Any) -> Iterator[Flask]:
    """Yield a test app (:func:`make_app`) inside its app context; tables are emptied after.

    For fixtures of apps with other settings: ``yield from app_in_context(url, X=...)``.
    """
    application = make_app(database_url, **overrides)
    with application.app_context():
        yield application
        db.session.rollback()
        empty_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture()
def app(app_database: str) -> Iterator[Flask]:
    """The app on the migrated test database; tables are emptied afterwards."""
    yield from app_in_context(app_database)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()
