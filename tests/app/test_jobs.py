"""Background jobs (app.jobs) on a real Redis: the Workshop-Mappe through the job page.

A moderator's ``mappe.pdf`` starts a job and lands on its page; the worker (an rq
``SimpleWorker`` in burst mode, in this process) makes the PDF and reports progress; only the
person who started the job sees its page, status and file; the result expires; nothing in
Redis names the client. Each test has a queue and Redis keys of its own (parallel runs).
Without Redis the same link sends the PDF at once (``test_workshop_handout.py``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import SimpleWorker

from surveys.models import Role
from tests.app.demo_world import SLUG, DemoWorld, pdf_text

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def queued(demo_world: DemoWorld, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The demo app with the job queue on Redis (a queue name of this test's own)."""
    try:
        Redis.from_url(REDIS_URL).ping()
    except RedisConnectionError:  # pragma: no cover - the project's machines run Redis
        pytest.fail("Redis on 127.0.0.1:6379 is needed for the job tests")
    app = demo_world.app
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    name = f"test-{uuid.uuid4().hex}"
    monkeypatch.setitem(app.config, "JOBS_QUEUE", name)
    app.extensions.pop("job_redis", None)
    yield app
    app.extensions.pop("job_redis", None)
    forget_queue(name)


def forget_queue(name: str) -> None:
    """Delete the test queue's keys (its jobs and their files expire on their own)."""
    redis = Redis.from_url(REDIS_URL)
    keys = list(redis.scan_iter(f"rq:*{name}*"))
    if keys:
        redis.delete(*keys)


def run_worker(app: Flask) -> list[int]:
    """Run every queued job in this process (as ``flask jobs worker --burst``); return the
    progress values the jobs reported, in order."""
    from rq.job import Job

    from app.jobs.queue import connection, queue

    reported: list[int] = []
    original = Job.save_meta

    def spy(job: Job) -> None:
        reported.append(int(job.meta["progress"]))
        original(job)

    with app.app_context():
        redis = connection()
        assert redis is not None
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Job, "save_meta", spy)
            SimpleWorker([queue(redis)], connection=redis).work(burst=True)
    return reported


def test_the_mappe_is_made_by_a_job_with_progress(
    queued: Flask, demo_world: DemoWorld, tmp_path: Path
) -> None:
    client = demo_world.client()
    started = client.get(f"/workshop/{SLUG}/mappe.pdf")
    assert started.status_code == 303
    page_url = started.headers["Location"]
    job_id = page_url.rsplit("/", 1)[-1]
    assert re.fullmatch(r"/auftraege/[0-9a-f-]{36}", page_url)

    page = client.get(page_url).get_data(as_text=True)
    assert "Die Workshop-Mappe (PDF) wird erstellt" in page
    assert '<progress class="job-progress" max="100" value="0"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert f'href="{page_url}">Aktualisieren</a>' in page
    assert 'src="/static/js/job-status.js"' in page
    status = client.get(f"{page_url}/status").get_json()
    assert status == {"state": "queued", "progress": 0, "download": None}
    assert client.get(f"{page_url}/datei").status_code == 404  # not made yet

    # Asking again for the same Mappe of the same data is the same job.
    assert client.get(f"/workshop/{SLUG}/mappe.pdf").headers["Location"] == page_url

    reported = run_worker(queued)
    assert reported == sorted(reported) and reported[0] <= 10 and reported[-1] >= 90
    assert len(set(reported)) >= 5  # the charts count up one by one

    status = client.get(f"{page_url}/status").get_json()
    assert status == {"state": "finished", "progress": 100, "download": f"{page_url}/datei"}
    page = client.get(page_url).get_data(as_text=True)
    assert "Die Workshop-Mappe (PDF) ist fertig" in page and "http-equiv" not in page
    pdf = client.get(f"{page_url}/datei")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert f"workshop-mappe-{SLUG}.pdf" in pdf.headers["Content-Disposition"]
    assert pdf.headers["Cache-Control"] == "no-store"
    text = pdf_text(pdf.data, tmp_path)
    assert "Zusammenfassung über alle Handlungsfelder" in text
    assert "Anhang: Methodenbericht" in text

    redis = Redis.from_url(REDIS_URL)
    job_key = f"rq:job:{job_id}"
    assert 0 < redis.ttl(job_key) <= 3600  # the file is gone after an hour
    stored = b"".join(
        v if isinstance(v, bytes) else b"" for v in redis.hgetall(job_key).values()
    ) + b"".join(redis.hkeys(job_key))
    assert b"Werkzeug/" not in stored  # the test client's user agent
    assert b"127.0.0.1" not in stored and b"localhost" not in stored


def test_only_the_person_who_started_a_job_sees_it(queued: Flask, demo_world: DemoWorld) -> None:
    owner = demo_world.client()
    page_url = owner.get(f"/workshop/{SLUG}/mappe.pdf").headers["Location"]
    run_worker(queued)
    assert owner.get(f"{page_url}/datei").status_code == 200

    colleague = demo_world.client(Role.STAFF)  # may make a Mappe, but did not start this one
    for suffix in ("", "/status", "/datei"):
        assert colleague.get(page_url + suffix).status_code == 404, suffix
    anonymous = queued.test_client().get(page_url)
    assert anonymous.status_code == 302 and "/anmelden" in anonymous.headers["Location"]
    assert owner.get("/auftraege/00000000-0000-0000-0000-000000000000").status_code == 404
    assert owner.get("/auftraege/..%2F..%2Fetc").status_code == 404


def test_a_failed_job_says_so_and_can_be_started_again(
    queued: Flask, demo_world: DemoWorld
) -> None:
    from app.jobs import queue as jobs

    def broken(_params: object, _progress: object) -> jobs.Output:
        raise RuntimeError("the printer is on fire")

    def mended(_params: object, _progress: object) -> jobs.Output:
        # Rendering the real Mappe in a job is the first test's; this one is about the retry.
        return jobs.Output(b"%PDF-1.7", "pdf", f"workshop-mappe-{SLUG}")

    client = demo_world.client()
    url = f"/workshop/{SLUG}/mappe.pdf?gruppe=familien"
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(jobs.TASKS, "workshop.mappe_pdf", broken)
        page_url = client.get(url).headers["Location"]
        run_worker(queued)
    assert client.get(f"{page_url}/status").get_json()["state"] == "failed"
    assert client.get(f"{page_url}/datei").status_code == 404
    page = client.get(page_url).get_data(as_text=True)
    assert "konnte nicht erstellt werden" in page and "printer" not in page
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(jobs.TASKS, "workshop.mappe_pdf", mended)
        again = client.get(url).headers["Location"]
        assert again != page_url  # a failed job is not reused
        run_worker(queued)
    assert client.get(f"{again}/status").get_json()["state"] == "finished"
    assert client.get(f"{again}/datei").data == b"%PDF-1.7"


def test_a_large_surveys_xlsx_is_made_by_the_worker(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from openpyxl import load_workbook

    from tests.app.staff_helpers import logged_in
    from tests.app.test_staff_designer import _respond, build_open_survey

    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    name = f"test-{uuid.uuid4().hex}"
    monkeypatch.setitem(app.config, "JOBS_QUEUE", name)
    app.extensions.pop("job_redis", None)
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    _respond(survey_id)
    _respond(survey_id)
    url = f"/verwaltung/umfragen/{survey_id}/export.xlsx"
    monkeypatch.setitem(app.config, "JOBS_XLSX_MIN_RESPONSES", 3)
    small = client.get(url)  # below the threshold: sent at once
    assert small.status_code == 200 and small.is_streamed  # sent while it is written
    assert small.data.startswith(b"PK")
    monkeypatch.setitem(app.config, "JOBS_XLSX_MIN_RESPONSES", 2)
    started = client.get(url)
    assert started.status_code == 303
    page_url = started.headers["Location"]
    assert "Die Excel-Datei mit den Antworten (XLSX) wird erstellt" in client.get(
        page_url
    ).get_data(as_text=True)
    run_worker(app)
    data = client.get(f"{page_url}/datei")
    assert data.status_code == 200 and "-antworten-" in data.headers["Content-Disposition"]
    answers = list(load_workbook(io.BytesIO(data.data))["Antworten"].values)
    assert len(answers) == 3  # header and both responses
    assert dict(zip(answers[0], answers[1], strict=True))["wunsch"] == "'=HYPERLINK()"
    forget_queue(name)
