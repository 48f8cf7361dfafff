"""Fixtures of the privacy checks."""

from tests.app_fixtures import app, app_database, client  # noqa: F401
