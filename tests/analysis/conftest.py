"""Fixtures of the analysis tests: a plain SQLAlchemy session for end-to-end runs; no Flask."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

import surveys.db  # noqa: F401  - SQLite pragmas
from surveys.models import Base
from surveys.services import ensure_reference_data
from tests.conftest import DatabaseFactory


@pytest.fixture(scope="session")
def engine(fresh_database: DatabaseFactory) -> Iterator[Engine]:
    """An engine on a fresh database with every table and the reference data."""
    engine = create_engine(fresh_database("analysis"))
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        ensure_reference_data(session)
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture()
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        db_session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield db_session
        finally:
            db_session.close()
            transaction.rollback()
