"""One seeded demo per test session, read-only, for the dashboard and Workshop-Mappe tests.

Seeding the demo and running the full analysis takes seconds; rendering the Workshop-Mappe
takes more. Tests that only *read* the evidence share one database, seeded once with
``DEMO_RESPONSES`` responses per survey and a few planted comments, and one app whose
analysis cache therefore stays warm from test to test. The Mappe PDF (as text) and XLSX are
fetched once per session, and each test checks what it is about on that data.

The database is made read-only after seeding (SQLite ``PRAGMA query_only``, PostgreSQL
``default_transaction_read_only``): a test that writes by mistake fails loudly instead of
changing what the next test sees. Tests that change data (shrink a group, purge comments)
keep using ``wapp`` and ``tests.app.dashboard_support.seeded`` on their own database.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from openpyxl import Workbook, load_workbook
from sqlalchemy import event, select, update

from app.extensions import db
from demo import seed_demo
from demo.content import CURRENT
from surveys.models import Answer, Question, Response, Role, Survey
from tests.app.dashboard_support import FORMULA, XSS
from tests.app.workshop_support import ensure_login_route, login, make_user
from tests.app_fixtures import make_app
from tests.conftest import DatabaseFactory

DEMO_RESPONSES = 400
SLUG = CURRENT.slug
TURKISH = "Kreşlerde daha fazla yer olmalı"
#: The comments of "bildung_anmerkungen" are overwritten with these, in turn.
PLANTED = (XSS, FORMULA, "Mehr Kitaplätze bitte", TURKISH)
PLANTED_QUESTION = "bildung_anmerkungen"


@dataclass
class DemoWorld:
    """The seeded, read-only demo: its app, the current survey and a user per role."""

    app: Flask
    survey_id: int
    users: dict[Role, int]
    _clients: dict[Role, FlaskClient] = field(default_factory=dict)

    def client(self, role: Role = Role.MODERATOR) -> FlaskClient:
        """A test client logged in with ``role`` (one per role, kept for the session)."""
        if role not in self._clients:
            from surveys.models import User

            client = self.app.test_client()
            with self.app.app_context():
                user = db.session.get(User, self.users[role])
                assert user is not None
                login(client, user)
            self._clients[role] = client
        return self._clients[role]

    def survey(self) -> Survey:
        """The current demo survey (call inside the ``demo`` fixture's app context)."""
        survey = db.session.get(Survey, self.survey_id)
        assert survey is not None
        return survey


def _plant_comments(survey: Survey) -> None:
    """Overwrite the Bildung comments with ``PLANTED``; the Turkish ones are in Turkish.

    Four distinct texts: the Mappe prints up to eight per field, so each of them appears.
    Their writers answered in German or, for the Turkish text, in Turkish: every language of
    the cell then has enough writers for the comments to carry their language.
    """
    question_id = db.session.scalar(
        select(Question.id).where(Question.survey_id == survey.id, Question.key == PLANTED_QUESTION)
    )
    answers = db.session.scalars(
        select(Answer)
        .join(Response)
        .where(Answer.question_id == question_id, Answer.text.is_not(None))
        .order_by(Answer.id)
    ).all()
    languages: dict[str, list[int]] = {"de": [], "tr": []}
    for n, answer in enumerate(answers):
        text = PLANTED[n % len(PLANTED)]
        answer.text = text
        languages["tr" if text == TURKISH else "de"].append(answer.response_id)
    for language, ids in languages.items():
        db.session.execute(update(Response).where(Response.id.in_(ids)).values(language=language))


def _read_only(app: Flask) -> None:
    """Make every new connection of ``app`` refuse writes."""
    engine = db.engine
    engine.dispose()
    postgres = engine.dialect.name == "postgresql"

    @event.listens_for(engine, "connect")
    def refuse_writes(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if postgres:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            dbapi_connection.commit()
        else:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()


@pytest.fixture(scope="session")
def demo_world(fresh_database: DatabaseFactory) -> Iterator[DemoWorld]:
    """Seed the demo once per session into its own database and serve it read-only."""
    app = make_app(fresh_database("demo"))
    ensure_login_route(app)
    with app.app_context():
        upgrade()
        seed_demo(db.session, responses=DEMO_RESPONSES)
        survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
        assert survey is not None
        _plant_comments(survey)
        users = {role: make_user(role).id for role in (Role.MODERATOR, Role.STAFF, Role.ADMIN)}
        db.session.commit()
        world = DemoWorld(app=app, survey_id=survey.id, users=users)
        db.session.remove()
        _read_only(app)
    yield world
    with app.app_context():
        db.engine.dispose()


@pytest.fixture()
def demo(demo_world: DemoWorld) -> Iterator[DemoWorld]:
    """The shared demo, with an app context for queries in the test."""
    with demo_world.app.app_context():
        yield demo_world
        db.session.remove()


def pdf_text(pdf: bytes, folder: Path) -> str:
    """The text of a PDF (poppler's ``pdftotext``), whitespace collapsed."""
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class Mappe:
    """The demo's Workshop-Mappe, fetched once: the PDF file and text, and the workbook."""

    pdf_path: Path
    text: str
    workbook: Workbook
    pdf_headers: dict[str, str]


@pytest.fixture(scope="session")
def demo_mappe(demo_world: DemoWorld, tmp_path_factory: pytest.TempPathFactory) -> Mappe:
    """The unfiltered Workshop-Mappe of the demo as a moderator downloads it."""
    folder = tmp_path_factory.mktemp("mappe")
    client = demo_world.client()
    pdf = client.get(f"/workshop/{SLUG}/mappe.pdf")
    assert pdf.status_code == 200, pdf.status_code
    xlsx = client.get(f"/workshop/{SLUG}/mappe.xlsx")
    assert xlsx.status_code == 200, xlsx.status_code
    text = pdf_text(pdf.data, folder)
    return Mappe(
        pdf_path=folder / "document.pdf",
        text=text,
        workbook=load_workbook(io.BytesIO(xlsx.data)),
        pdf_headers={"Content-Type": pdf.mimetype, **dict(pdf.headers)},
    )
