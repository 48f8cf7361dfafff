"""Browser-test fixtures: a live server, Playwright on Debian's Chromium, and an axe check.

* ``live_app`` / ``live_server``: the Flask app (CSRF on, as in production) served by
  werkzeug's ``make_server`` on a free port in a background thread, on the migrated test
  database of ``tests/app_fixtures.py``. One server per test session.
* ``db_app``: an app context on the same database for arranging data; every table except the
  reference data is emptied after each test.
* ``browser`` (one per test module) and ``page`` (a fresh context per test, 1280 px wide);
  ``mobile_page`` is 360 px wide.
* ``survey_url``: the landing page of a fresh test survey with every question type.
* ``axe``: ``axe(page, "what")`` runs axe-core and fails on any serious or critical violation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from tests.app_fixtures import empty_tables, make_app
from tests.browser.wsgi import serve
from tests.factories import build_survey

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def live_app(app_database: str) -> Flask:
    """The app under test, with CSRF protection switched on."""
    return make_app(app_database, WTF_CSRF_ENABLED=True, SERVER_NAME=None)


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve ``live_app`` on a free local port; yields the base URL."""
    yield from serve(live_app)


@pytest.fixture()
def db_app(live_app: Flask) -> Iterator[Flask]:
    """An app context for arranging data; tables are emptied after the test."""
    with live_app.app_context():
        yield live_app
        db.session.rollback()
        empty_tables()
        db.session.remove()


@pytest.fixture()
def survey_url(db_app: Flask, live_server: str) -> str:
    """The landing page URL of a fresh test survey (``tests.factories.build_survey``)."""
    survey = build_survey(db.session)
    db.session.commit()
    return f"{live_server}/s/{survey.slug}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module (about a second to start).

    Not per session: Playwright's sync API allows one instance per thread at a time, and a
    module that starts its own (e.g. ``test_workshop_flow.py``) must find none running.
    """
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_page(browser: Any, width: int, height: int) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="de-DE")
    # Generous: a loaded 2-core CI machine can take seconds for a page with the demo survey.
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab (own cookies) at desktop width."""
    yield from _new_page(browser, 1280, 900)


@pytest.fixture()
def mobile_page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab 360 px wide, like a small phone."""
    yield from _new_page(browser, 360, 740)


def blocking_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on ``page`` and return its serious and critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


@pytest.fixture()
def axe() -> Callable[[Any, str], None]:
    """Return ``check(page, label)`` that fails on serious or critical axe violations."""

    def check(page: Any, label: str) -> None:
        violations = blocking_violations(page)
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} – "
            + "; ".join(str(n.get("target")) for n in v.get("nodes", [])[:3])
            for v in violations
        )
        assert not violations, f"axe violations on {label} ({page.url}):\n{details}"

    return check
