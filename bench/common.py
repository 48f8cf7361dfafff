"""Shared parts of the load and crash benchmarks: databases, gunicorn servers, the survey client.

Everything runs on the loopback interface. The survey is the test survey of
``tests.factories`` (four pages, every question type); clients answer it exactly like a
browser: fresh session, CSRF token from each form, every page, the check page, then submit.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests
from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SLUG = "familienumfrage"
GROUPS = ("familien", "senioren", "akteure")
ALL_SHOWN = "kita,angebote,beratung,stelle,themen,prioritaeten,kinder,anmerkungen,vernetzung"
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SUBMISSION_RE = re.compile(r'name="submission_id" value="([^"]*)"')
CODE_RE = re.compile(r'class="code-box__code"[^>]*><strong>([^<]+)</strong>')


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def database(kind: str) -> Iterator[str]:
    """Yield the URL of a throw-away database (SQLite file or PostgreSQL database), then drop it."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="fk-bench-") as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    name = "fk_bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepare(url: str) -> None:
    """Migrate ``url`` and create the open test survey (in a subprocess-free app context)."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from tests.factories import build_survey

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})
    with app.app_context():
        upgrade()
        build_survey(db.session)
        db.session.commit()
        db.engine.dispose()


def server_env(url: str) -> dict[str, str]:
    """Environment of a benchmark server: the database, a secret, no rate limit."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        SECRET_KEY="bench-secret-key-0123456789abcdef0123456789",
        RATELIMIT_ENABLED="0",
        APP_ENV="development",
        PYTHONPATH=str(ROOT),
    )
    return env


@dataclass
class Server:
    """A gunicorn server (sync workers, no control socket) on a loopback port."""

    app: str
    url: str
    workers: int = 4
    port: int = field(default_factory=free_port)
    log: Path = field(default_factory=lambda: Path(tempfile.mkstemp(suffix=".log")[1]))
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        """Base URL of the server."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start gunicorn and wait until it answers."""
        cmd = [
            sys.executable, "-m", "gunicorn", "--no-control-socket", "-k", "sync",
            "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "60",
            "--error-logfile", "-", "--log-level", "info", self.app,
        ]  # fmt: skip
        handle = self.log.open("ab")
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=server_env(self.url), stdout=handle, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(self.base + "/", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def workers_pids(self) -> list[int]:
        """Return the pids of the worker processes."""
        assert self.proc is not None
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        )
        return [int(p) for p in out.stdout.split()]

    def kill_hard(self) -> None:
        """kill -9 the master and its workers (a crash of the whole server)."""
        assert self.proc is not None
        pids = self.workers_pids()
        os.kill(self.proc.pid, signal.SIGKILL)
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        """Stop gracefully."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill_hard()


def _token(html: str) -> str:
    match = TOKEN_RE.search(html)
    if not match:
        raise RuntimeError("no CSRF token in page")
    return match.group(1)


class Outcome:
    """Result of one final submit: HTTP status, latency, whether it was acknowledged."""

    def __init__(self, status: int, seconds: float, acknowledged: bool) -> None:
        self.status = status
        self.seconds = seconds
        self.acknowledged = acknowledged


def fill(base: str, group: str, timeout: float = 30) -> tuple[requests.Session, str, str]:
    """Answer every page of ``group`` like a browser; return the session and the check form.

    Returns ``(session, csrf_token, submission_id)`` of the check page.
    """
    from tests.factories import PAGES

    http = requests.Session()
    page = f"{base}/s/{SLUG}/{group}/seite/1"
    html = http.get(page, timeout=timeout).text
    for step, data in enumerate(PAGES[group], start=1):
        form: dict[str, Any] = {
            "csrf_token": _token(html),
            "angezeigt": ALL_SHOWN,
            "aktion": "weiter",
            **data,
        }
        reply = http.post(f"{base}/s/{SLUG}/{group}/seite/{step}", data=form, timeout=timeout)
        if reply.status_code >= 400 or "seite" not in reply.url and "pruefen" not in reply.url:
            raise RuntimeError(f"page {step} failed: {reply.status_code}")
        html = reply.text
    match = SUBMISSION_RE.search(html)
    if not match:
        raise RuntimeError("no submission id on the check page")
    return http, _token(html), match.group(1)


def submit(
    http: requests.Session, base: str, group: str, csrf: str, token: str, timeout: float = 30
) -> Outcome:
    """Post the check page once; acknowledged means the 303 to the thank-you page."""
    started = time.perf_counter()
    reply = http.post(
        f"{base}/s/{SLUG}/{group}/pruefen",
        data={"csrf_token": csrf, "submission_id": token},
        allow_redirects=False,
        timeout=timeout,
    )
    seconds = time.perf_counter() - started
    ok = reply.status_code == 303 and reply.headers.get("Location", "").endswith("/danke")
    return Outcome(reply.status_code, seconds, ok)


@dataclass(frozen=True)
class RawPost:
    """A POST prepared to the byte, sent by :func:`send_raw` without an HTTP library.

    The timed phases use it so that the load generator costs little CPU: the client runs on
    the same two cores as the server, and ``requests`` spends about a millisecond of CPU per
    request, which would cap the baseline and the app alike and flatter their ratio.
    """

    path: str
    body: bytes
    cookie: str = ""
    expect_location: str = ""


def prepared_submit(http: requests.Session, group: str, csrf: str, token: str) -> RawPost:
    """Return the final submit of a filled questionnaire as a :class:`RawPost`."""
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    body = urlencode({"csrf_token": csrf, "submission_id": token}).encode()
    return RawPost(f"/s/{SLUG}/{group}/pruefen", body, cookie, "/danke")


def send_raw(port: int, post: RawPost, timeout: float = 30) -> Outcome:
    """Send one prepared POST on a fresh loopback connection (gunicorn sync workers close
    every connection anyway); acknowledged means a 303 to the expected location."""
    head = (
        f"POST {post.path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(post.body)}\r\nConnection: close\r\n"
        + (f"Cookie: {post.cookie}\r\n" if post.cookie else "")
        + "\r\n"
    ).encode()
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(head + post.body)
            reply = b""
            while b"\r\n\r\n" not in reply:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
    except OSError:
        return Outcome(599, time.perf_counter() - started, False)
    seconds = time.perf_counter() - started
    lines = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 599
    headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
    location = next((v.strip() for k, v in headers.items() if k.lower() == "location"), "")
    return Outcome(status, seconds, status == 303 and location.endswith(post.expect_location))


@dataclass
class Stored:
    """What the database holds after a run."""

    responses: int
    receipts: int
    orphans: int
    partial: int


def inspect(url: str, survey_only: bool = True) -> Stored:
    """Count responses, receipts, orphaned answers and partial responses in ``url``."""
    from surveys.models import Answer, Response, SubmissionReceipt

    engine = create_engine(url)
    with engine.connect() as conn:
        responses = conn.scalar(select(func.count(Response.id))) or 0
        receipts = conn.scalar(select(func.count(SubmissionReceipt.id))) or 0
        orphans = (
            conn.scalar(
                select(func.count(Answer.id)).where(~Answer.response_id.in_(select(Response.id)))
            )
            or 0
        )
        per_response = (
            select(Response.id, Response.target_group_id, func.count(Answer.id).label("answers"))
            .outerjoin(Answer, Answer.response_id == Response.id)
            .group_by(Response.id, Response.target_group_id)
        ).subquery()
        rows = conn.execute(select(per_response.c.target_group_id, per_response.c.answers)).all()
    engine.dispose()
    expected: dict[int, int] = {}
    for group_id, count in rows:
        expected[group_id] = max(expected.get(group_id, 0), count)
    partial = sum(1 for group_id, count in rows if count == 0 or count < expected[group_id])
    return Stored(responses, receipts, orphans, partial)


def percentile(values: list[float], share: float) -> float:
    """Return the ``share`` percentile (0..1) of ``values`` in milliseconds."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index] * 1000
