"""Helpers of the citizen HTTP tests: build the test survey, answer pages, read tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from surveys.models import Response, Survey
from tests.app_fixtures import empty_tables, make_app
from tests.factories import PAGES, build_survey

SLUG = "familienumfrage"
BASE = f"/s/{SLUG}"
#: Every question key, posted as "angezeigt" so that no question counts as newly shown.
ALL_SHOWN = "kita,angebote,beratung,stelle,themen,prioritaeten,kinder,anmerkungen,vernetzung"


@pytest.fixture(name="survey")
def survey_fixture(app: Flask) -> Survey:
    """The open test survey with every question type."""
    created = build_survey(db.session)
    db.session.commit()
    return created


def page_url(group: str, step: int) -> str:
    """URL of one question page."""
    return f"{BASE}/{group}/seite/{step}"


def post_page(
    client: FlaskClient, group: str, step: int, data: dict[str, Any], **extra: Any
) -> Any:
    """Post one page with "Weiter" (every question counted as already shown)."""
    form = {"angezeigt": ALL_SHOWN, "aktion": "weiter", **data, **extra}
    return client.post(page_url(group, step), data=form)


def answer_all(client: FlaskClient, group: str) -> None:
    """Answer every page of ``group`` with the valid answers of ``tests.factories.PAGES``."""
    for step, data in enumerate(PAGES[group], start=1):
        response = post_page(client, group, step, data)
        assert response.status_code == 302, response.get_data(as_text=True)[-2000:]


def submission_id(client: FlaskClient, group: str) -> str:
    """Open the check page and return its one-time submission id."""
    html = client.get(f"{BASE}/{group}/pruefen").get_data(as_text=True)
    match = re.search(r'name="submission_id" value="([^"]*)"', html)
    assert match, html[-2000:]
    return match.group(1)


def submit(client: FlaskClient, group: str, token: str, **extra: Any) -> Any:
    """Post the check page."""
    return client.post(f"{BASE}/{group}/pruefen", data={"submission_id": token, **extra})


def response_count() -> int:
    """Number of stored responses."""
    return int(db.session.scalar(select(func.count(Response.id))) or 0)


def csrf_token(html: str) -> str:
    """Return the CSRF token of the first form in ``html``."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


@pytest.fixture(name="app_with")
def app_with_fixture(app_database: str) -> Iterator[Any]:
    """Factory of apps with extra settings on the test database (tables emptied after)."""
    made: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        application = make_app(app_database, **overrides)
        made.append(application)
        return application

    yield build
    for application in made:
        with application.app_context():
            db.session.rollback()
            empty_tables()
            db.session.remove()
            db.engine.dispose()
