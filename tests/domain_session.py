"""A plain SQLAlchemy session on a schema made from the models; no Flask involved.

Used by the domain, demo and analysis tests (registered in ``tests/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.conftest import DatabaseFactory, domain_engine, rollback_session


@pytest.fixture(scope="session")
def engine(fresh_database: DatabaseFactory) -> Iterator[Engine]:
    """An engine on a fresh database with every table and the reference data."""
    engine = domain_engine(fresh_database("domain"))
    yield engine
    engine.dispose()


@pytest.fixture()
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test."""
    with rollback_session(engine) as db_session:
        yield db_session
