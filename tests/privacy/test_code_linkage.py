"""An administrator watching the database live cannot link a used access code to its response.

The attacker has the mailing list (who got which code, so every code's hash) and read access
to every table with PostgreSQL's system columns (``xmin``, ``xmax``, ``ctid``), and takes a
snapshot after every single submission. Two attacks are run:

* **snapshot diff**: between two snapshots exactly one response appeared; whichever code row
  vanished or changed in that interval is its code;
* **order**: told who answered, sort their code rows by id, ``ctid`` or ``xmin`` and the
  responses by id, ``ctid`` or ``xmin``, and pair them off.

A control run stores responses the way main did before 0012 (the code row deleted in the
submit transaction): the same diff attack then links every submission, so the attack has teeth.
"""

from __future__ import annotations

import random
from datetime import date
from itertools import product
from typing import Any

from flask import Flask
from sqlalchemy import delete, text

from app.extensions import db
from surveys.access_codes import generate_access_codes
from surveys.models import AccessCode, AccessMode, Survey
from surveys.random_codes import hash_code
from surveys.responses import store_response
from tests.app.citizen_flow import answer_all, submission_id, submit
from tests.factories import build_survey

BASE = "/s/familienumfrage"
CODES = 40
SUBMISSIONS = 16
#: For a random pairing the number of correct pairs is about Poisson(1); P(X > 6) < 1e-4.
CHANCE_BOUND = 6

Snapshot = dict[str, dict[str, tuple[Any, ...]]]


def _system_columns() -> str:
    if db.engine.dialect.name == "postgresql":
        return "ctid::text, xmin::text, xmax::text"
    return "rowid, NULL, NULL"


def snapshot() -> Snapshot:
    """Everything an attacker with read access sees of codes, marks and responses."""
    db.session.rollback()  # a fresh view, like a separate monitoring connection
    cols = _system_columns()
    tables = {
        "code": f"SELECT code_hash, id, {cols} FROM access_code",  # noqa: S608
        "response": f"SELECT CAST(id AS TEXT), id, {cols} FROM response",  # noqa: S608
        "mark": f"SELECT mark_hash, id, {cols} FROM spent_access_code",  # noqa: S608
    }
    return {
        name: {str(row[0]): tuple(row[1:]) for row in db.session.execute(text(sql))}
        for name, sql in tables.items()
    }


def diff_attack(snapshots: list[Snapshot]) -> dict[str, str]:
    """Link code hash → response id where one response and one code change share an interval."""
    links: dict[str, str] = {}
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        new_responses = set(after["response"]) - set(before["response"])
        changed_codes = {h for h, row in before["code"].items() if after["code"].get(h) != row}
        if len(new_responses) == 1 and len(changed_codes) == 1:
            links[changed_codes.pop()] = new_responses.pop()
    return links


def order_attacks(final: Snapshot, answered: list[str]) -> list[dict[str, str]]:
    """Pair the answering codes with the responses by every order the attacker can see."""
    keys = {
        "id": lambda row: row[0],
        "ctid": lambda row: (
            tuple(int(x) for x in str(row[1]).strip("()").split(","))
            if "," in str(row[1])
            else row[1]
        ),
        "xmin": lambda row: int(row[2]) if row[2] is not None else 0,
    }
    guesses = []
    for code_key, response_key in product(keys.values(), keys.values()):
        codes = sorted(answered, key=lambda h: code_key(final["code"][h]))
        responses = sorted(final["response"], key=lambda r: response_key(final["response"][r]))
        guesses.append(dict(zip(codes, responses, strict=True)))
    return guesses


def _code_survey(count: int) -> tuple[Survey, list[str]]:
    survey = build_survey(db.session, access_mode=AccessMode.CODE)
    codes = generate_access_codes(db.session, survey, count)
    db.session.commit()
    return survey, codes


def _answer_with(app: Flask, code: str) -> str:
    """Answer the survey with ``code``; return the new response's id."""
    before = set(db.session.scalars(text("SELECT CAST(id AS TEXT) FROM response")))
    client = app.test_client()
    client.post(f"{BASE}/zugang?gruppe=akteure", data={"access_code": code})
    answer_all(client, "akteure")
    assert submit(client, "akteure", submission_id(client, "akteure")).status_code == 303
    db.session.rollback()
    (new,) = set(db.session.scalars(text("SELECT CAST(id AS TEXT) FROM response"))) - before
    return str(new)


def test_live_observer_links_no_more_than_chance(app: Flask) -> None:
    _survey, codes = _code_survey(CODES)
    order = random.Random(19).sample(codes, SUBMISSIONS)  # noqa: S311 - test data
    truth: dict[str, str] = {}
    snapshots = [snapshot()]
    for code in order:
        truth[hash_code(code)] = _answer_with(app, code)
        snapshots.append(snapshot())

    # no code row is written while the survey runs: every snapshot sees the same rows,
    # with the same ctid/xmin/xmax, so nothing derived from them depends on who answered
    assert all(s["code"] == snapshots[0]["code"] for s in snapshots)
    assert len(snapshots[-1]["response"]) == SUBMISSIONS
    assert len(snapshots[-1]["mark"]) == SUBMISSIONS
    assert diff_attack(snapshots) == {}

    # xmin equality (the flaw of issue 19) finds nothing
    response_xmins = {row[2] for row in snapshots[-1]["response"].values()}
    if db.engine.dialect.name == "postgresql":
        assert not response_xmins & {row[2] for row in snapshots[-1]["code"].values()}
        assert not response_xmins & {row[3] for row in snapshots[-1]["code"].values()} - {"0"}

    # marks are not a plain function of the code: none equals the code's hash
    assert not set(snapshots[-1]["mark"]) & set(snapshots[-1]["code"])

    # pairing by order is a random pairing
    # (the attacker knows who answered, but not in which order: hand them over sorted)
    best = 0
    for guess in order_attacks(snapshots[-1], sorted(truth)):
        correct = sum(guess[h] == truth[h] for h in truth)
        assert correct <= CHANCE_BOUND, (correct, SUBMISSIONS)
        best = max(best, correct)
    print(f"order attacks: at best {best} of {SUBMISSIONS} pairs right")


def test_control_the_old_design_is_linked_by_the_same_attack(app: Flask) -> None:
    """Deleting the code's row in the submit transaction (main before 0012) is caught."""
    survey, codes = _code_survey(12)
    group = next(g for g in survey.target_groups if g.key == "akteure")
    truth: dict[str, str] = {}
    snapshots = [snapshot()]
    for code in codes[:8]:
        survey = db.session.get(Survey, survey.id)
        assert survey is not None
        db.session.execute(delete(AccessCode).where(AccessCode.code_hash == hash_code(code)))
        response = store_response(db.session, survey, group, {}, today=date(2026, 5, 4))
        db.session.commit()
        truth[hash_code(code)] = str(response.id)
        snapshots.append(snapshot())
    assert diff_attack(snapshots) == truth
