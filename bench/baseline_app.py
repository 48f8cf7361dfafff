"""Baseline of the load benchmark: a minimal Flask endpoint inserting one response with its
answers through SQLAlchemy Core in one transaction (no forms, no session, no templates).

Run by ``bench.load`` under the same gunicorn settings as the app. ``BENCH_ROWS`` names a
JSON file with ``survey_id``, ``target_group_id`` and the ``answers`` to insert.
"""

from __future__ import annotations

import json
import os
from datetime import date

from flask import Flask
from sqlalchemy import create_engine, insert

import surveys.db  # noqa: F401  - the same SQLite pragmas (WAL, synchronous=FULL) as the app
from surveys.models import Answer, Channel, Response

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)
with open(os.environ["BENCH_ROWS"], encoding="utf-8") as handle:
    ROWS = json.load(handle)


@app.get("/")
def alive() -> str:
    """Health check used while starting."""
    return "ok"


@app.post("/insert")
def insert_response() -> tuple[str, int]:
    """Insert one response and its answers; 303 like the app's submit."""
    with engine.begin() as conn:
        response_id = conn.execute(
            insert(Response).returning(Response.id),
            {
                "survey_id": ROWS["survey_id"],
                "target_group_id": ROWS["target_group_id"],
                "channel": Channel.ONLINE,
                "language": "de",
                "submitted_on": date.today(),
            },
        ).scalar_one()
        conn.execute(
            insert(Answer), [{**row, "response_id": response_id} for row in ROWS["answers"]]
        )
    return "", 303
