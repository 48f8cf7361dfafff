"""The database's own bookkeeping does not link an access code to its response.

PostgreSQL stamps every row version with the transaction that wrote it (``xmin``). When a
code was marked used (or deleted) in the transaction that stored the response, the code's row
carried that transaction, and whoever handed out the code could find its answers. Redeeming
now adds an opaque keyed mark and leaves the code's row alone; this test looks at every table
for a row written by the submit transaction. ``test_code_linkage.py`` attacks it live.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text

import surveys.db
from app.extensions import db
from surveys.access_codes import generate_access_codes
from surveys.models import AccessCode, AccessMode, Base, SpentCode
from surveys.random_codes import hash_code
from tests.app.citizen_flow import answer_all, submission_id, submit
from tests.factories import build_survey

BASE = "/s/familienumfrage"
#: Rows the submit transaction writes and that are the response itself (or carry no link:
#: the receipt holds a hash of a random id, the spent mark a keyed hash nobody can match to a
#: code without the application's key).
RESPONSE_ROWS = {"response", "answer", "submission_receipt", "spent_access_code"}


def _submit_with_code(app: Flask) -> str:
    survey = build_survey(db.session, access_mode=AccessMode.CODE)
    codes = generate_access_codes(db.session, survey, 3)
    db.session.commit()
    client = app.test_client()
    client.post(f"{BASE}/zugang?gruppe=akteure", data={"access_code": codes[1]})
    answer_all(client, "akteure")
    assert submit(client, "akteure", submission_id(client, "akteure")).status_code == 303
    return codes[1]


def test_a_redeemed_code_leaves_no_trace_in_any_table(app: Flask) -> None:
    """Its hash stays in ``access_code`` among the unused ones (the row is never written
    again) and is in no other table, neither plain nor as a plain SHA-256 of it."""
    code = _submit_with_code(app)
    digest = hash_code(code)
    assert digest in set(db.session.scalars(select(AccessCode.code_hash)))
    unkeyed = hashlib.sha256(digest.encode()).hexdigest()
    assert unkeyed not in set(db.session.scalars(select(SpentCode.mark_hash)))
    for table in Base.metadata.sorted_tables:
        if table.name == "access_code":
            continue
        for column in table.columns:
            if column.type.python_type is not str:
                continue
            hits = db.session.scalar(
                select(text("count(*)")).select_from(table).where(column == digest)
            )
            assert hits == 0, f"{table.name}.{column.name} holds the redeemed code's hash"


def test_no_other_row_shares_the_response_transaction(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("xmin is PostgreSQL's; SQLite has no transaction stamp on rows")
    _submit_with_code(app)
    xmin = db.session.scalar(text("SELECT xmin::text FROM response"))
    assert xmin is not None
    written = {
        table.name
        for table in Base.metadata.sorted_tables
        if db.session.scalar(
            text(f'SELECT count(*) FROM "{table.name}" WHERE xmin::text = :x'),  # noqa: S608
            {"x": xmin},
        )
    }
    assert written <= RESPONSE_ROWS, written - RESPONSE_ROWS


def test_sqlite_overwrites_deleted_rows(tmp_path: Path) -> None:
    """A deleted code's hash is not left in the database file's free pages: the connection
    hook turns on ``secure_delete`` even where SQLite was built without it by default."""
    raw = sqlite3.connect(tmp_path / "raw.db")
    raw.execute("PRAGMA secure_delete=OFF")
    surveys.db._sqlite_pragmas(raw, None)
    assert raw.execute("PRAGMA secure_delete").fetchone() == (1,)
    raw.close()

    engine = create_engine(f"sqlite:///{tmp_path / 'forensic.db'}")
    digest = "c0ffee" * 10
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE code (id INTEGER PRIMARY KEY, code_hash TEXT)"))
        conn.execute(text("INSERT INTO code (code_hash) VALUES (:h)"), {"h": digest})
        conn.execute(text("INSERT INTO code (code_hash) VALUES ('kept')"))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM code WHERE code_hash = :h"), {"h": digest})
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert digest.encode() not in data
