"""No column that could identify a respondent; response dates at day precision.

Checked on the SQLAlchemy metadata and on the migrated database, so a new column added by a
model or a migration alone is caught.
"""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import Date, DateTime, inspect

from app.extensions import db
from surveys.models import Base

#: Tables that hold (or are derived from) citizens' answers.
RESPONSE_TABLES = ("response", "answer", "aggregate_snapshot")
#: Tables about the answering process; hashes are allowed, nothing else identifying.
PROCESS_TABLES = ("submission_receipt", "draft", "access_code", "spent_access_code", "code_batch")
IDENTIFYING = {"ip", "addr", "address", "remote", "agent", "ua", "useragent", "referrer",
               "referer", "token", "code", "session", "cookie", "email", "user", "fingerprint",
               "device", "browser", "host"}  # fmt: skip


def parts(name: str) -> set[str]:
    """Words of a column name (``user_agent`` → {"user", "agent"})."""
    return set(re.split(r"[_\W]+", name.lower()))


def forbidden(table: str, column: str) -> bool:
    """Return whether ``column`` of ``table`` could identify a person."""
    words = parts(column)
    if table in PROCESS_TABLES and column.endswith("_hash"):
        return False  # one-way hashes of random codes, never linked to a response
    return bool(words & IDENTIFYING) or column in ("ip", "ua")


def test_metadata_has_no_identifying_columns() -> None:
    for name in RESPONSE_TABLES + PROCESS_TABLES:
        table = Base.metadata.tables[name]
        bad = [c.name for c in table.columns if forbidden(name, c.name)]
        assert bad == [], f"{name}: {bad}"


def test_response_dates_are_days_not_timestamps() -> None:
    for name in (*RESPONSE_TABLES, "submission_receipt"):
        for column in Base.metadata.tables[name].columns:
            assert not isinstance(column.type, DateTime), f"{name}.{column.name} is a timestamp"
    assert isinstance(Base.metadata.tables["response"].c.submitted_on.type, Date)


def test_migrated_database_agrees(app: Flask) -> None:
    inspector = inspect(db.engine)
    for name in RESPONSE_TABLES + PROCESS_TABLES:
        columns = inspector.get_columns(name)
        assert columns, name
        for column in columns:
            assert not forbidden(name, column["name"]), f"{name}.{column['name']}"
            if name in (*RESPONSE_TABLES, "submission_receipt"):
                assert not isinstance(column["type"], DateTime), f"{name}.{column['name']}"


def test_the_check_would_catch_an_ip_column() -> None:
    assert forbidden("response", "client_ip")
    assert forbidden("response", "user_agent")
    assert forbidden("answer", "referrer")
    assert forbidden("draft", "resume_token")
    assert not forbidden("draft", "code_hash")
