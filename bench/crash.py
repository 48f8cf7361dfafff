"""Crash benchmark: kill -9 gunicorn workers (and, on SQLite, the whole server) under load.

``python -m bench.crash`` (``make bench-crash``). A draft is saved before the first kill;
then ``BENCH_CLIENTS`` clients submit complete questionnaires for ``BENCH_SECONDS`` while a
worker is killed every ``BENCH_KILL_EVERY`` seconds (on SQLite every third kill takes the
whole server down, which is then restarted). Afterwards:

* every acknowledged submission (303 to the thank-you page) has its receipt and response
  (receipts are written in the same transaction as the response);
* no response has missing answers, no answer lost its response;
* ``PRAGMA integrity_check`` says ok (SQLite); PostgreSQL reports ok when its catalogue and
  the tables can be read;
* the draft saved before the kills still resumes with its resume code.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sys
import threading
import time

import requests
from sqlalchemy import create_engine, select, text

from bench.common import (
    CODE_RE,
    GROUPS,
    SLUG,
    TOKEN_RE,
    Server,
    database,
    fill,
    inspect,
    prepare,
    submit,
)
from surveys.random_codes import hash_token

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
KILL_EVERY = float(os.environ.get("BENCH_KILL_EVERY", "1.5"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))


def save_draft(base: str) -> str:
    """Answer page 1 and press "Später weitermachen"; return the resume code."""
    from tests.factories import PAGES

    http = requests.Session()
    html = http.get(f"{base}/s/{SLUG}/familien/seite/1", timeout=30).text
    match = TOKEN_RE.search(html)
    assert match
    form = {
        "csrf_token": match.group(1),
        "aktion": "speichern",
        "angezeigt": "",
        **PAGES["familien"][0],
    }
    reply = http.post(f"{base}/s/{SLUG}/familien/seite/1", data=form, timeout=30)
    code = CODE_RE.search(reply.text)
    if code is None:
        raise RuntimeError("no resume code on the saved page")
    return code.group(1).strip()


def resumes(base: str, code: str) -> bool:
    """Return whether ``code`` still opens the saved draft with its answers."""
    http = requests.Session()
    html = http.get(f"{base}/s/{SLUG}/weiter", timeout=30).text
    match = TOKEN_RE.search(html)
    assert match
    reply = http.post(
        f"{base}/s/{SLUG}/weiter", data={"csrf_token": match.group(1), "code": code}, timeout=30
    )
    return (
        "/seite/" in reply.url and 'value="4"' in http.get(f"{base}/s/{SLUG}/familien/seite/1").text
    )


def run(kind: str) -> tuple[int, int, int, int, str]:
    """Crash-test one database; return kills, acknowledged, stored, partial, integrity."""
    with database(kind) as url:
        prepare(url)
        server = Server("wsgi:app", url, workers=WORKERS)
        server.start()
        code = save_draft(server.base)
        acknowledged: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + SECONDS
        kills = 0

        def client(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < stop:
                group = rng.choice(GROUPS)
                try:
                    http, csrf, token = fill(server.base, group, timeout=10)
                    outcome = submit(http, server.base, group, csrf, token, timeout=10)
                except (RuntimeError, requests.RequestException):
                    time.sleep(0.05)
                    continue
                if outcome.acknowledged:
                    with lock:
                        acknowledged.append(token)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        rng = random.Random(0)
        while time.monotonic() < stop - KILL_EVERY:
            time.sleep(KILL_EVERY)
            kills += 1
            if kind == "sqlite" and kills % 3 == 0:
                server.kill_hard()
                server.start()
                continue
            pids = server.workers_pids()
            if pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(rng.choice(pids), signal.SIGKILL)
        for thread in threads:
            thread.join()
        server.kill_hard()
        server.start()
        resumed = resumes(server.base, code)
        server.stop()
        server.log.unlink()

        stored = inspect(url)
        engine = create_engine(url)
        from surveys.models import SubmissionReceipt

        with engine.connect() as conn:
            receipts = set(conn.scalars(select(SubmissionReceipt.token_hash)))
            if kind == "sqlite":
                integrity = str(conn.execute(text("PRAGMA integrity_check")).scalar())
            else:
                conn.execute(text("SELECT count(*) FROM response")).scalar()
                integrity = "ok"
        engine.dispose()
        missing = sum(1 for token in acknowledged if hash_token(token) not in receipts)
        print(
            f"== {kind}: {kills} kills, {len(acknowledged)} acknowledged, {stored.responses} "
            f"stored, {missing} acknowledged but missing, {stored.receipts} receipts, "
            f"{stored.orphans} orphaned answers, {stored.partial} partial, integrity {integrity}, "
            f"draft resumes: {'yes' if resumed else 'NO'}",
            flush=True,
        )
        ok = (
            missing == 0 and stored.receipts == stored.responses and stored.orphans == 0 and resumed
        )
        return (
            kills,
            len(acknowledged),
            stored.responses,
            stored.partial,
            (integrity if ok else f"{integrity}-but-lost-{missing}"),
        )


def main(argv: list[str]) -> int:
    """Run on the databases named in ``argv`` (default both); print one RESULT line per database
    and a last line with the totals."""
    kinds = [a for a in argv if a in ("sqlite", "postgresql")] or ["sqlite", "postgresql"]
    totals = [0, 0, 0, 0]
    states = []
    for kind in kinds:
        kills, acked, stored, partial, integrity = run(kind)
        print(
            f"RESULT db={kind} kills={kills} acknowledged={acked} stored={stored} "
            f"partial={partial} integrity={integrity}"
        )
        for i, value in enumerate((kills, acked, stored, partial)):
            totals[i] += value
        states.append(integrity)
    integrity = "ok" if all(s == "ok" for s in states) else ",".join(states)
    print(
        f"RESULT kills={totals[0]} acknowledged={totals[1]} stored={totals[2]} "
        f"partial={totals[3]} integrity={integrity}"
    )
    return 0 if integrity == "ok" and totals[3] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
