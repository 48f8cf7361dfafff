"""Benchmark of the raw response export: 100,000 responses x 40 answers as CSV and XLSX.

Run ``python -m bench.export`` (``make bench-export``). It reads the database that
``bench.analysis`` generates once into ``bench/.cache/`` (generated here if missing). Each
contender runs in its own child process, so that its peak RSS is its own:

* the baseline: a raw cursor fetch of the same responses and answers, pivoted to one row per
  response and written with ``csv.writer`` (the least any CSV export has to do);
* the project's CSV export (:func:`surveys.exports.csv_chunks`, what the download streams);
* the project's XLSX export (:func:`surveys.exports.xlsx_chunks`, the streaming writer of
  :mod:`surveys.xlsx_stream`, what the download streams).

The contenders alternate for three rounds and the best time of each counts. The last line reads
``RESULT export_responses=<n> export_rss_mb=<n> export_vs_raw=<ratio> xlsx_vs_raw=<ratio>``:
``export_rss_mb`` is the larger peak of the two exports, ``export_vs_raw`` the CSV export's
time over the baseline's (targets: RSS under 300 MB, at most 2x).
"""

from __future__ import annotations

import csv
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.analysis import DB, RESPONSES, prepared

ROUNDS = 3
RAW_RESPONSES = (
    "SELECT r.id, r.submitted_on, g.key, r.channel, r.language FROM response r "
    "JOIN target_group g ON g.id = r.target_group_id WHERE r.survey_id = 1 ORDER BY r.id"
)
RAW_ANSWERS = (
    "SELECT a.response_id, a.question_id, a.item_id, a.option_id, a.num, a.text, a.dont_know "
    "FROM answer a ORDER BY a.response_id"
)


def _peak_mb() -> float:
    """Peak RSS of this process since it started (``VmHWM``; ``ru_maxrss`` would carry the
    parent's peak over a fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw(out: Path) -> None:
    """Baseline: cursor fetch, one row per response, ``csv.writer``."""
    conn = sqlite3.connect(DB)
    columns = {
        (qid, item): n
        for n, (qid, item) in enumerate(
            conn.execute(
                "SELECT DISTINCT question_id, coalesce(item_id, option_id) FROM answer "
                "ORDER BY 1, 2"
            )
        )
    }
    answers = conn.execute(RAW_ANSWERS)
    pending = next(answers, None)
    with out.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        for rid, day, group, channel, language in conn.execute(RAW_RESPONSES):
            cells: list[object] = [""] * len(columns)
            while pending is not None and pending[0] == rid:
                _, qid, item, option, num, text, dont_know = pending
                value = "dk" if dont_know else text if text is not None else num
                cells[columns[(qid, item if item is not None else option)]] = value
                pending = next(answers, None)
            writer.writerow([rid, day, group, channel, language, *cells])


def project(kind: str, out: Path) -> None:
    """The project's export of the benchmark survey, written to ``out``."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from surveys import exports
    from surveys.models import Survey

    engine = create_engine(f"sqlite:///{DB}")
    with Session(engine) as session:
        survey = session.get(Survey, 1)
        assert survey is not None
        if kind == "csv":
            with out.open("w", newline="", encoding="utf-8") as handle:
                for piece in exports.csv_chunks(session, survey):
                    handle.write(piece)
        else:  # as the download sends it: piece by piece, never the whole file in memory
            with out.open("wb") as handle:
                for chunk in exports.xlsx_chunks(session, survey):
                    handle.write(chunk)


def child(kind: str) -> None:
    """Run one contender in this process and print its time, peak RSS and file size."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"export.{'csv' if kind != 'xlsx' else 'xlsx'}"
        start = time.perf_counter()
        raw(out) if kind == "raw" else project(kind, out)
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "rss_mb": _peak_mb(), "bytes": out.stat().st_size}))


def run(kind: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.export", "--child", kind],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    """Generate (once) and measure."""
    if "--child" in sys.argv:
        child(sys.argv[-1])
        return
    prepared()
    best: dict[str, dict[str, float]] = {}
    for round_no in range(1, ROUNDS + 1):
        line = []
        for kind in ("raw", "csv", "xlsx"):
            measured = run(kind)
            peak = max(measured["rss_mb"], best.get(kind, {}).get("rss_mb", 0.0))
            if kind not in best or measured["seconds"] < best[kind]["seconds"]:
                best[kind] = measured
            best[kind]["rss_mb"] = peak  # the time is the best, the memory the worst
            line.append(f"{kind} {measured['seconds']:.2f} s / {measured['rss_mb']:.0f} MB")
        print(f"round {round_no}: " + ", ".join(line), flush=True)
    raw_s = best["raw"]["seconds"]
    labels = {"raw": "raw fetch + csv.writer", "csv": "CSV export", "xlsx": "XLSX export"}
    for kind, label in labels.items():
        b = best[kind]
        print(
            f"{label:24} {b['seconds']:6.2f} s  ({b['seconds'] / raw_s:.2f}x raw)  "
            f"peak {b['rss_mb']:.0f} MB  {b['bytes'] / 1e6:.0f} MB file"
        )
    rss = max(best["csv"]["rss_mb"], best["xlsx"]["rss_mb"])
    csv_ratio = best["csv"]["seconds"] / raw_s
    xlsx_ratio = best["xlsx"]["seconds"] / raw_s
    print(
        f"CSV export {csv_ratio:.2f}x raw (target <= 2), peak RSS {rss:.0f} MB (target < 300); "
        f"XLSX {xlsx_ratio:.2f}x raw; best of {ROUNDS} rounds"
    )
    print(
        f"RESULT export_responses={RESPONSES} export_rss_mb={rss:.0f} "
        f"export_vs_raw={csv_ratio:.2f} xlsx_vs_raw={xlsx_ratio:.2f}"
    )


if __name__ == "__main__":
    main()
