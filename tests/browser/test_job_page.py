"""The job page in headless Chromium: a large survey's XLSX made by the worker.

With JavaScript the page polls its JSON status and swaps in the download button (focus on the
heading); without JavaScript it reloads itself (meta refresh in ``<noscript>``). axe-core on
both states. The worker runs in the test (rq burst mode) against a real Redis, on a queue of
the test's own. Set ``FK_SCREENSHOTS=/dir`` to keep screenshots.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from rq import SimpleWorker

from app.extensions import db
from surveys.accounts import create_user
from surveys.queries import target_group_by_key
from surveys.responses import store_response
from tests.app.test_jobs import REDIS_URL, forget_queue
from tests.browser.screens import shot
from tests.factories import build_survey

pytestmark = pytest.mark.browser

PASSWORD = "Auftrags-Werkstatt 2026"
READY = "Die Excel-Datei mit den Antworten (XLSX) ist fertig"


@pytest.fixture
def queued_app(db_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setitem(db_app.config, "REDIS_URL", REDIS_URL)
    name = f"test-{uuid.uuid4().hex}"
    monkeypatch.setitem(db_app.config, "JOBS_QUEUE", name)
    monkeypatch.setitem(db_app.config, "JOBS_XLSX_MIN_RESPONSES", 1)
    db_app.extensions.pop("job_redis", None)
    yield db_app
    db_app.extensions.pop("job_redis", None)
    forget_queue(name)


def _survey_url(app: Flask, live_server: str) -> str:
    create_user(db.session, "staff@example.org", PASSWORD, "staff")
    survey = build_survey(db.session)
    families = target_group_by_key(db.session, "familien")
    assert families is not None
    store_response(db.session, survey, families, {"kita": 4}, today=date(2026, 5, 4))
    db.session.commit()
    return f"{live_server}/verwaltung/umfragen/{survey.id}/export.xlsx"


def _log_in(page: Any, url: str) -> None:
    page.goto(url)
    page.get_by_label("E-Mail-Adresse").fill("staff@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def _work(app: Flask) -> None:
    from app.jobs.queue import connection, queue

    redis = connection()
    assert redis is not None
    SimpleWorker([queue(redis)], connection=redis).work(burst=True)


def test_the_job_page_shows_progress_then_the_download(
    page: Any, axe: Any, live_server: str, queued_app: Flask
) -> None:
    url = _survey_url(queued_app, live_server)
    _log_in(page, url)  # the login returns to the export, which starts the job
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Die Excel-Datei mit den Antworten (XLSX) wird erstellt")
    expect(page.get_by_role("status")).to_contain_text("Fortschritt: 0 %")
    expect(page.get_by_role("progressbar", name="Fortschritt:")).to_be_visible()
    shot(page, "job-running")
    axe(page, "job page while the file is made")

    _work(queued_app)
    expect(heading).to_have_text(READY, timeout=15_000)  # the script polled the status
    expect(heading).to_be_focused()
    expect(page.get_by_role("status")).to_be_hidden()
    shot(page, "job-finished")
    axe(page, "job page with the finished file")
    with page.expect_download() as info:
        page.get_by_role("link", name="Herunterladen").click()
    assert info.value.suggested_filename.endswith(".xlsx")


def test_without_javascript_the_page_reloads_itself(
    browser: Any, live_server: str, queued_app: Flask
) -> None:
    url = _survey_url(queued_app, live_server)
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    try:
        page = context.new_page()
        _log_in(page, url)
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Die Excel-Datei mit den Antworten (XLSX) wird erstellt")
        expect(page.get_by_role("link", name="Aktualisieren")).to_be_visible()
        _work(queued_app)
        expect(heading).to_have_text(READY, timeout=15_000)  # the meta refresh reloaded it
        expect(page.get_by_role("link", name="Herunterladen")).to_be_visible()
    finally:
        context.close()
