"""The production stack for the tests in this folder: nginx (TLS) → 2 gunicorn nodes →
a throw-away PostgreSQL database (``TEST_DATABASE_URL``'s server) and a private Redis.

Run by ``make test-production`` (part of ``make test``); the demo is seeded with a few
responses so that the dashboard has figures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.production.stack import Stack


@pytest.fixture(scope="session")
def stack(fresh_database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.fail("the production stack runs on PostgreSQL: set TEST_DATABASE_URL")
    production = Stack(folder=tmp_path_factory.mktemp("stack"), database_url=fresh_database("prod"))
    production.flask("db", "upgrade")
    production.flask("seed-demo", "--responses", "60")
    production.flask("users", "demo-accounts")
    production.start()
    try:
        yield production
    finally:
        production.stop()
