"""Fixtures shared by every test package.

The database is SQLite in a temporary folder, or PostgreSQL when ``TEST_DATABASE_URL`` is
set: each test session (each pytest-xdist worker) then creates its own databases on that
server and drops them at the end, so parallel runs never see each other's data.

The fixture modules below are registered once here as plugins, so that no test module
imports fixtures by hand: ``tests.domain_session`` (``engine``, ``session`` without Flask),
``tests.app_fixtures`` (a migrated database, ``app``, ``client``),
``tests.app.citizen_flow`` (``survey``), ``tests.app.workshop_support`` (``wapp``),
``tests.app.demo_world`` (the shared read-only ``demo``) and ``tests.security.world``;
``tests.scheduling`` marks the tests that use a database (``database``, the PostgreSQL run
selects them) and groups the files for the pytest-xdist workers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session

from surveys import passwords
from tests import url_builders

# argon2id at production cost takes ~50 ms a hash; the suite hashes hundreds of passwords.
# The parameters themselves are argon2-cffi's business; tests only need hashing to work.
passwords.configure_hasher(time_cost=1, memory_cost=1024, parallelism=1)
# Hundreds of fresh apps: compile each URL rule's builder once (see tests/url_builders.py).
url_builders.install()

pytest_plugins = (
    "tests.domain_session",
    "tests.app_fixtures",
    "tests.app.citizen_flow",
    "tests.app.workshop_support",
    "tests.app.demo_world",
    "tests.security.world",
    "tests.oidc_provider",
    "tests.scheduling",
)

DatabaseFactory = Callable[[str], str]


@pytest.fixture(scope="session")
def fresh_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    """Return a factory ``name -> URL`` of new, empty databases, dropped after the session."""
    base = os.environ.get("TEST_DATABASE_URL")
    created: list[str] = []
    folder: Path = tmp_path_factory.mktemp("db")

    def make(name: str) -> str:
        if not base:
            return f"sqlite:///{folder / (name + '-' + uuid.uuid4().hex[:6])}.db"
        db_name = f"fk_test_{name}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{db_name}"'))
        admin.dispose()
        created.append(db_name)
        return make_url(base).set(database=db_name).render_as_string(hide_password=False)

    yield make

    if base and created:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for db_name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        admin.dispose()


def is_postgres(url: str) -> bool:
    """Return whether ``url`` points at PostgreSQL."""
    return url.startswith("postgresql")


def domain_engine(url: str) -> Engine:
    """An engine on ``url`` with every table made from the models and the reference data."""
    import surveys.db  # noqa: F401  - SQLite pragmas
    from surveys.models import Base
    from surveys.reference_data import ensure_reference_data

    engine = create_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        ensure_reference_data(session)
        session.commit()
    return engine


@contextmanager
def rollback_session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back at the end (commits become savepoints)."""
    with engine.connect() as connection:
        transaction = connection.begin()
        db_session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield db_session
        finally:
            db_session.close()
            transaction.rollback()
