"""Load benchmark: complete survey submissions against gunicorn on SQLite and PostgreSQL.

``python -m bench.load`` (``make bench-load``). Per database:

1. *mixed* – ``BENCH_CLIENTS`` clients answer the whole survey (fresh session, CSRF token of
   every form, every page, check page, submit) for ``BENCH_SECONDS``; ~10 % send the final
   submit twice;
2. *burst* – ``BENCH_BURST`` prepared questionnaires are submitted at once: the final
   submit's throughput, compared with a minimal Flask + SQLAlchemy Core endpoint
   (``bench/baseline_app.py``) inserting the same rows under the same gunicorn settings;
3. *steady* – prepared questionnaires submitted at ``BENCH_RATE`` per second for
   ``BENCH_STEADY_SECONDS``: the p99 latency target.

Then the database must hold exactly the acknowledged submissions, no duplicates, no orphaned
or partial answers, and gunicorn's output must not contain the client address.
Arguments: ``sqlite``/``postgresql`` to run one database only.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests
from sqlalchemy import create_engine, select

from bench.common import (
    GROUPS,
    Outcome,
    RawPost,
    Server,
    database,
    fill,
    inspect,
    percentile,
    prepare,
    prepared_submit,
    send_raw,
)
from bench.common import submit as post_submit

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
BURST = int(os.environ.get("BENCH_BURST", "600"))
RATE = float(os.environ.get("BENCH_RATE", "50"))
STEADY_SECONDS = float(os.environ.get("BENCH_STEADY_SECONDS", "10"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str((os.cpu_count() or 2) * 2 + 1)))
DOUBLE_SHARE = 0.10


@dataclass
class Tally:
    """Thread-safe counters of one phase."""

    latencies: list[float] = field(default_factory=list)
    acknowledged: int = 0
    completed: int = 0
    errors_5xx: int = 0
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, outcome: Outcome, first: bool = True) -> None:
        """Count one final submit (only the first of a doubled pair is acknowledged)."""
        with self.lock:
            if outcome.status >= 500:
                self.errors_5xx += 1
            if first:
                self.latencies.append(outcome.seconds)
                self.completed += 1
                self.acknowledged += int(outcome.acknowledged)

    def failed(self, error: Exception) -> None:
        """Count a flow that broke before its final submit."""
        with self.lock:
            self.failures += 1
            if "50" in str(error)[:20] or " 5" in str(error):
                self.errors_5xx += 1


def one_flow(base: str, tally: Tally, rng: random.Random) -> None:
    """Answer and submit once (sometimes twice)."""
    group = rng.choice(GROUPS)
    try:
        http, csrf, token = fill(base, group)
    except (RuntimeError, requests.RequestException) as error:
        tally.failed(error)
        return
    tally.record(post_submit(http, base, group, csrf, token))
    if rng.random() < DOUBLE_SHARE:
        tally.record(post_submit(http, base, group, csrf, token), first=False)


def mixed(base: str) -> Tally:
    """Phase 1: complete flows from ``CLIENTS`` clients for ``SECONDS``."""
    tally = Tally()
    stop = time.monotonic() + SECONDS

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop:
            one_flow(base, tally, rng)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def prepared(base: str, count: int) -> list[RawPost]:
    """Answer ``count`` questionnaires up to the check page; return their final submits."""

    def one(i: int) -> RawPost:
        group = GROUPS[i % len(GROUPS)]
        http, csrf, token = fill(base, group)
        return prepared_submit(http, group, csrf, token)

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, range(count)))


def burst(port: int, posts: list[RawPost]) -> tuple[Tally, float]:
    """Phase 2: send every prepared submit with ``CLIENTS`` concurrent clients."""
    tally = Tally()
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for outcome in pool.map(lambda post: send_raw(port, post), posts):
            tally.record(outcome)
    return tally, len(posts) / (time.perf_counter() - started)


def steady(port: int, posts: list[RawPost]) -> Tally:
    """Phase 3: send the prepared submits at ``RATE`` per second (open loop)."""
    tally = Tally()
    start = time.perf_counter()

    def send(post: RawPost) -> None:
        tally.record(send_raw(port, post))

    with ThreadPoolExecutor(64) as pool:
        for i, post in enumerate(posts):
            delay = start + i / RATE - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, post)
    return tally


def baseline(url: str, app_rate_forms: int) -> tuple[float, float, int]:
    """Run the minimal endpoint on ``url``; return (responses/s, p99 ms, 5xx)."""
    from surveys.models import Answer, Response, TargetGroup

    engine = create_engine(url)
    with engine.connect() as conn:
        first = conn.execute(
            select(Response.id, Response.survey_id, Response.target_group_id)
            .join(TargetGroup)
            .where(TargetGroup.key == "familien")
            .limit(1)
        ).one()
        columns = [Answer.question_id, Answer.item_id, Answer.option_id, Answer.num,
                   Answer.text, Answer.dont_know]  # fmt: skip
        answers = [
            dict(r._mapping)
            for r in conn.execute(select(*columns).where(Answer.response_id == first.id))
        ]
    engine.dispose()
    rows = {
        "survey_id": first.survey_id,
        "target_group_id": first.target_group_id,
        "answers": answers,
    }
    rows_file = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
    json.dump(rows, rows_file)
    rows_file.close()
    os.environ["BENCH_ROWS"] = rows_file.name
    server = Server("bench.baseline_app:app", url, workers=WORKERS)
    server.start()
    try:
        tally, rate = burst(server.port, [RawPost("/insert", b"")] * app_rate_forms)
    finally:
        server.stop()
        os.unlink(rows_file.name)
    return rate, percentile(tally.latencies, 0.99), tally.errors_5xx


def run(kind: str) -> str:
    """Benchmark one database and return its RESULT line."""
    with database(kind) as url:
        prepare(url)
        server = Server("wsgi:app", url, workers=WORKERS)
        server.start()
        try:
            print(f"== {kind}: {WORKERS} sync workers, {CLIENTS} clients", flush=True)
            phase1 = mixed(server.base)
            flows = phase1.completed / SECONDS
            print(
                f"mixed   {phase1.completed} complete submissions in {SECONDS:.0f} s "
                f"= {flows:.1f}/s; "
                f"final submit p50 {percentile(phase1.latencies, 0.5):.0f} ms, "
                f"p95 {percentile(phase1.latencies, 0.95):.0f} ms, "
                f"p99 {percentile(phase1.latencies, 0.99):.0f} ms; failed flows {phase1.failures}",
                flush=True,
            )
            phase2, app_rate = burst(server.port, prepared(server.base, BURST))
            print(
                f"burst   {BURST} final submits: {app_rate:.0f}/s, "
                f"p99 {percentile(phase2.latencies, 0.99):.0f} ms",
                flush=True,
            )
            phase3 = steady(server.port, prepared(server.base, int(RATE * STEADY_SECONDS)))
            p99 = percentile(phase3.latencies, 0.99)
            print(
                f"steady  {RATE:.0f}/s for {STEADY_SECONDS:.0f} s: p50 "
                f"{percentile(phase3.latencies, 0.5):.0f} ms, p99 {p99:.0f} ms",
                flush=True,
            )
        finally:
            server.stop()
        phases = (phase1, phase2, phase3)
        acknowledged = sum(p.acknowledged for p in phases)
        errors = sum(p.errors_5xx for p in phases)
        stored = inspect(url)
        lost = max(0, acknowledged - stored.responses)
        duplicates = max(0, stored.responses - acknowledged) + max(
            0, stored.responses - stored.receipts
        )
        log = server.log.read_text(errors="replace")
        leaked = "127.0.0.1" in "\n".join(
            line for line in log.splitlines() if "Listening at" not in line
        )
        print(
            f"check   acknowledged {acknowledged}, stored {stored.responses}, receipts "
            f"{stored.receipts}, orphaned answers {stored.orphans}, partial {stored.partial}, "
            f"client address in server log: {'YES' if leaked else 'no'}",
            flush=True,
        )
        base_rate, base_p99, base_errors = baseline(url, BURST)
        print(f"baseline {base_rate:.0f}/s (p99 {base_p99:.0f} ms, 5xx {base_errors})", flush=True)
        server.log.unlink()
        ratio = app_rate / base_rate if base_rate else 0.0
        lost += stored.orphans + stored.partial
        return (
            f"RESULT db={kind} ratio={ratio:.2f} p99_ms={p99:.0f} lost={lost} "
            f"duplicates={duplicates} errors_5xx={errors}"
        )


def main(argv: list[str]) -> int:
    """Run the benchmark on the databases named in ``argv`` (default: both)."""
    kinds = [a for a in argv if a in ("sqlite", "postgresql")] or ["sqlite", "postgresql"]
    results = [run(kind) for kind in kinds]
    for line in results:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
