"""A small seeded world for the attack suite and helpers that reach every route of the app.

Routes are taken from ``app.url_map``, so routes added later (staff area, results, ...) are
attacked automatically: URL parameters are filled with ids and keys that exist here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from app.extensions import db
from surveys.models import Base, Goal, Measure, Question, Role, User
from surveys.postal import create_batch
from tests.app.workshop_support import login, make_user, seeded_agreement
from tests.factories import build_survey

CITIZEN_SLUG = "familienumfrage"
WORKSHOP_SLUG = "bilanz-2026"
#: Values of URL parameters by name; ids are filled in from the seeded world.
STATIC_VALUES = {
    "group_key": "familien",
    "gruppe": "familien",
    "step": 1,
    "key": "bildung",
    "filename": "css/main.css",
    "page": "impressum",
    "code": "ABCD-EFGH",
    "lang": "de",
    "language": "de",
}
#: Endpoints that only exist for tooling (static files are not application state).
SKIP_ENDPOINTS = {"static"}


@dataclass
class World:
    """What the seeded database holds (ids, so that the world outlives its session)."""

    citizen_id: int
    agreement_id: int
    goal_id: int
    measure_id: int
    question_id: int
    section_id: int
    admin: User
    staff: User
    moderator: User

    @property
    def staff_id(self) -> int:
        """Id of the staff account (a target for IDOR checks)."""
        return int(self.staff.id)

    def values(self, rule: Rule) -> dict[str, Any]:
        """Return values for every URL parameter of ``rule`` that point at existing rows."""
        workshop = rule.endpoint.startswith("workshop.")
        ids: dict[str, Any] = {
            "slug": WORKSHOP_SLUG if workshop else CITIZEN_SLUG,
            "survey_id": self.citizen_id,
            "user_id": self.staff_id,
            "goal_id": self.goal_id,
            "measure_id": self.measure_id,
            "agreement_id": self.agreement_id,
            "version_id": self.agreement_id,
            "question_id": self.question_id,
            "section_id": self.section_id,
        }
        values: dict[str, Any] = {}
        for name in rule.arguments:
            if name in ids:
                values[name] = ids[name]
            elif hasattr(rule._converters[name], "items"):  # any(...): its first choice
                values[name] = sorted(rule._converters[name].items)[0]
            elif name in STATIC_VALUES:
                values[name] = STATIC_VALUES[name]
            elif name.endswith("_id") or rule._converters[name].__class__.__name__ in (
                "IntegerConverter",
            ):
                values[name] = 1
            else:
                values[name] = "x"
        return values


@pytest.fixture(name="world")
def world_fixture(app: Flask) -> Iterator[World]:
    """The citizen test survey, a workshop agreement and one account per role."""
    yield seed()


def seed() -> World:
    """Create the world in the current app context (committed)."""
    citizen = build_survey(db.session)
    # a mailing, so that its stratum is attacked too (staff postal page, paper entry)
    create_batch(
        db.session, citizen, stratum="Mitte", target_group=None, count=2, letters_sent=2,
        today=date(2026, 5, 4),
    )  # fmt: skip
    agreement = seeded_agreement()
    admin = make_user(Role.ADMIN, "admin@example.org")
    staff = make_user(Role.STAFF, "staff@example.org")
    moderator = make_user(Role.MODERATOR, "moderator@example.org")
    db.session.commit()
    goal_id = db.session.scalar(select(Goal.id).order_by(Goal.id)) or 1
    measure_id = db.session.scalar(select(Measure.id).order_by(Measure.id)) or 1
    question = db.session.scalar(
        select(Question).where(Question.survey_id == citizen.id).order_by(Question.id)
    )
    assert question is not None
    return World(
        citizen.id,
        agreement.id,
        goal_id,
        measure_id,
        question.id,
        question.section_id,
        admin,
        staff,
        moderator,
    )


def rules(app: Flask, method: str) -> list[Rule]:
    """Every rule of ``app`` that accepts ``method`` (tool endpoints left out)."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if method in (rule.methods or set()) and rule.endpoint not in SKIP_ENDPOINTS
    ]


def url_for_rule(app: Flask, rule: Rule, values: dict[str, Any]) -> str:
    """Build the path of ``rule`` with ``values``."""
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, values, method=next(iter(rule.methods or {"GET"})))


def all_paths(app: Flask, rule: Rule, world: World) -> list[str]:
    """Paths of ``rule`` for every choice of its ``any(...)`` parameters (e.g. csv and xlsx)."""
    base = world.values(rule)
    choices = {
        name: sorted(converter.items)
        for name, converter in rule._converters.items()
        if hasattr(converter, "items")
    }
    paths = []
    for combination in itertools.product(*choices.values()):
        values = {**base, **dict(zip(choices, combination, strict=True))}
        paths.append(url_for_rule(app, rule, values))
    return paths


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the seeded world is small), to prove nothing changed."""
    db.session.expire_all()
    state: dict[str, list[tuple[Any, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        state[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    db.session.rollback()
    return state


def logged_in(app: Flask, user: User) -> FlaskClient:
    """A test client logged in as ``user``."""
    client = app.test_client()
    login(client, user)
    return client


TAG_RE = re.compile(r"<img[^>]*onerror", re.IGNORECASE)
