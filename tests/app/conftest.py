"""Fixtures of the HTTP-layer tests."""

from tests.app_fixtures import app, app_database, client  # noqa: F401
