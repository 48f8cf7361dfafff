"""Engine set-up shared by the web app, the CLI, tests and benchmarks."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, scoped_session

SQLITE_BUSY_TIMEOUT_MS = 10_000

#: What domain functions accept: a plain session or a scoped one (as Flask-SQLAlchemy's).
SessionLike = Session | scoped_session[Any]


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Make every SQLite connection durable and safe for concurrent readers.

    WAL lets readers work while one writer commits; ``synchronous=FULL`` makes a commit
    survive power loss; foreign keys are off in SQLite unless asked for. ``secure_delete``
    overwrites deleted rows (redeemed access codes, submitted drafts) instead of leaving
    them readable in free pages of the file.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgres://`` and ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
