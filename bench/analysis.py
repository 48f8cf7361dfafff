"""Benchmark of the analysis: 100,000 responses x 40 answers (4 M rows, with free text).

Run ``python -m bench.analysis`` (``make bench-analysis``). The SQLite file is generated once
into ``bench/.cache/``. One run measures, against a baseline taken in the same run:

* the raw cursor fetch of the same answer rows (in a child process, so its memory does not
  count against the project),
* the full analysis on aggregates (:func:`analysis.report.run_full_analysis`),
* peak RSS of this process, and all word clouds per Handlungsfeld x target group.

The contenders alternate for three rounds and the best time of each counts, so that other
load on the machine does not decide the ratio.

At 1,000,000 responses x 40 items (:mod:`bench.analysis_data`, cached under
``~/.cache/familienkompass-bench/`` and in the PostgreSQL database ``fk_bench``) a child
process per database measures one ``GROUP BY`` scan of the answer table, then the full
analysis on aggregates (:func:`analysis.report.run_full_analysis`, word frequencies
included) and the word cloud images, and its own peak RSS.

It prints ``RESULT responses=100000 analysis_vs_raw=... rss_mb=... wordclouds_s=...`` and
last ``RESULT responses=1000000 rss_mb=... analysis_vs_groupby=... wordclouds_s=...`` (the
worse of the two databases, then each one's figures).
"""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

import surveys.db  # noqa: F401  - SQLite pragmas
from surveys.models import (
    Base,
    Handlungsfeld,
    Item,
    Option,
    Question,
    QuestionRole,
    QuestionType,
    Section,
    Survey,
    SurveyStatus,
    TargetGroup,
)
from surveys.reference_data import ensure_reference_data

CACHE = Path(__file__).parent / ".cache"
RESPONSES = 100_000
ROUNDS = 3
VERSION = 2
DB = CACHE / f"analysis-{RESPONSES}-v{VERSION}.sqlite"
RAW_SQL = (
    "SELECT a.response_id, a.question_id, a.item_id, a.option_id, a.num, a.dont_know, a.text "
    "FROM answer a JOIN response r ON r.id = a.response_id WHERE r.survey_id = ?"
)
SCALE = ["sehr unzufrieden", "unzufrieden", "teils/teils", "zufrieden", "sehr zufrieden"]
WORDS = {
    "steuerung": "beteiligung verwaltung information transparenz netzwerk stadtrat bürgerbüro",
    "arbeitswelt": "arbeitszeit homeoffice teilzeit betreuungszeiten arbeitgeber pendeln job",
    "bildung": "kita kitaplätze schule schulen ganztag lehrer erzieherinnen betreuung hort",
    "beratung": "beratung familienzentrum hebamme kinderarzt ärzte wartezeit unterstützung",
    "wohnumfeld": "spielplatz spielplätze radwege radweg park grünflächen miete wohnungen bus",
    "senioren": "pflege nachbarschaft treffpunkt barrierefreiheit bänke einsamkeit ehrenamt",
}
FILLER = [
    "mehr",
    "gut",
    "besser",
    "schlecht",
    "zu",
    "wenig",
    "die",
    "der",
    "und",
    "ist",
    "sind",
    "wäre",
    "schon",
    "sehr",
    "nicht",
]


def build(path: Path) -> None:
    """Create the database with the questionnaire and 100,000 synthetic responses."""
    CACHE.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{tmp}")
    survey_id, questions, group_ids = questionnaire(engine)
    engine.dispose()
    _fill(tmp, survey_id, questions, group_ids)
    tmp.rename(path)


def questionnaire(engine: Engine) -> tuple[int, dict[str, Spec], list[int]]:
    """Create the tables and the benchmark questionnaire; return the survey id, what the
    generator needs of each question (by key) and the target group ids."""
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        ensure_reference_data(session)
        groups = list(session.scalars(select(TargetGroup).order_by(TargetGroup.position)))
        survey = Survey(
            slug="bench", title="Benchmark", status=SurveyStatus.CLOSED, target_groups=groups
        )
        session.add(survey)
        for field in session.scalars(select(Handlungsfeld).order_by(Handlungsfeld.number)):
            survey.sections.append(Section(title=field.title, handlungsfeld=field))
        session.flush()
        for section in survey.sections:
            field_key = section.handlungsfeld.key if section.handlungsfeld else "x"
            sat = Question(
                survey_id=survey.id,
                key=f"zufr_{field_key}",
                type=QuestionType.MATRIX,
                role=QuestionRole.SATISFACTION,
                text="Wie zufrieden sind Sie?",
                settings={"scale": SCALE, "dont_know": True},
                target_groups=groups,
            )
            sat.items = [Item(key=f"{field_key}_{i}", text=f"Aussage {i}") for i in range(4)]
            imp = Question(
                survey_id=survey.id,
                key=f"wicht_{field_key}",
                type=QuestionType.MATRIX,
                role=QuestionRole.IMPORTANCE,
                text="Wie wichtig ist Ihnen?",
                settings={"scale": SCALE},
                target_groups=groups,
            )
            imp.items = [Item(key=f"{field_key}_{i}", text=f"Aussage {i}") for i in range(2)]
            comment = Question(
                survey_id=survey.id,
                key=f"kommentar_{field_key}",
                type=QuestionType.TEXT,
                role=QuestionRole.COMMENT,
                text="Was sollte besser werden?",
                target_groups=groups,
            )
            section.questions.extend([sat, imp, comment])
        ranking = Question(
            survey_id=survey.id,
            key="prioritaeten",
            type=QuestionType.RANKING,
            role=QuestionRole.PRIORITY,
            text="Was zuerst?",
            settings={"rank_count": 3},
            target_groups=groups,
        )
        ranking.options = [Option(code=k, label=k.title()) for k in WORDS]
        survey.sections[0].questions.append(ranking)
        session.commit()
        questions = {
            q.key: Spec(
                q.id,
                q.role == QuestionRole.SATISFACTION,
                [i.id for i in q.items],
                [o.id for o in q.options],
            )
            for q in survey.questions()
        }
        return survey.id, questions, [g.id for g in groups]


class Spec(NamedTuple):
    """What the generator needs of a question."""

    id: int
    satisfaction: bool
    items: list[int]
    options: list[int]


def _fill(path: Path, survey_id: int, questions: dict[str, Spec], group_ids: list[int]) -> None:
    """Insert responses and answers with plain executemany (fast, one transaction)."""
    rng = np.random.default_rng(2026)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA journal_mode=OFF")
    group = rng.choice(len(group_ids), RESPONSES, p=[0.5, 0.35, 0.15])
    paper = rng.random(RESPONSES) < 0.1
    conn.executemany(
        "INSERT INTO response (id, survey_id, target_group_id, channel, language, submitted_on) "
        "VALUES (?, ?, ?, ?, 'de', ?)",
        (
            (i + 1, survey_id, group_ids[g], "paper" if p else "online", date(2026, 5, 1))
            for i, (g, p) in enumerate(zip(group.tolist(), paper.tolist(), strict=True))
        ),
    )
    rows: list[tuple[object, ...]] = []
    insert = (
        "INSERT INTO answer (response_id, question_id, item_id, option_id, num, text, dont_know) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)"
    )

    def flush() -> None:
        """Nothing yet: rows are inserted at the end in response order."""

    resp = np.arange(1, RESPONSES + 1)
    fields = list(WORDS)
    for f_index, field in enumerate(fields):
        for key, n_items in ((f"zufr_{field}", 4), (f"wicht_{field}", 2)):
            q = questions[key]
            for item in q.items[:n_items]:
                shift = (group - 1) * 0.4 + (f_index - 2.5) * 0.2
                values = np.clip(np.rint(rng.normal(3.2 + shift, 1.1)), 1, 5)
                dk = (rng.random(RESPONSES) < 0.05) & q.satisfaction
                rows.extend(
                    (int(r), q.id, item, None, None if d else float(v), None, bool(d))
                    for r, v, d in zip(resp, values, dk, strict=True)
                )
                flush()
    ranking = questions["prioritaeten"]
    order = np.argsort(rng.random((RESPONSES, len(ranking.options))), axis=1)[:, :3]
    option_ids = ranking.options
    for place in range(3):
        rows.extend(
            (int(r), ranking.id, None, option_ids[o], float(place + 1), None, False)
            for r, o in zip(resp, order[:, place], strict=True)
        )
    comment_field = rng.integers(0, len(fields), RESPONSES)
    lengths = rng.integers(3, 15, RESPONSES)
    for r, f, n in zip(resp, comment_field, lengths, strict=True):
        vocab = WORDS[fields[f]].split() + FILLER
        words = rng.choice(vocab, n)
        rows.append(
            (
                int(r),
                questions[f"kommentar_{fields[f]}"].id,
                None,
                None,
                None,
                " ".join(words).capitalize() + ".",
                False,
            )
        )
    # store_response writes all answers of a response together; keep that physical order.
    rows.sort(key=lambda row: row[0])  # type: ignore[arg-type,return-value]
    for start in range(0, len(rows), 500_000):
        conn.executemany(insert, rows[start : start + 500_000])
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def raw_fetch(path: Path) -> dict[str, float]:
    """The baseline: fetch every answer row of the survey with a plain cursor."""
    conn = sqlite3.connect(path)
    start = time.perf_counter()
    rows = conn.execute(RAW_SQL, (1,)).fetchall()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "rows": len(rows), "rss_mb": peak}


def prepared() -> Path:
    """The benchmark database, generated on first use, read once so that the page cache is
    warm for every contender; shared by ``bench.analysis`` and ``bench.export``."""
    if not DB.exists():
        print(f"Generating {RESPONSES:,} responses into {DB} (once) ...", flush=True)
        start = time.perf_counter()
        build(DB)
        print(f"  generated in {time.perf_counter() - start:.1f} s", flush=True)
    with DB.open("rb") as handle:
        while handle.read(1 << 24):
            pass
    return DB


GROUPBY_SQL = (
    "SELECT r.target_group_id, a.question_id, a.item_id, a.option_id, a.num, a.dont_know, "
    "count(*) FROM answer a JOIN response r ON r.id = a.response_id WHERE r.survey_id = 1 "
    "GROUP BY r.target_group_id, a.question_id, a.item_id, a.option_id, a.num, a.dont_know"
)


def measure(url: str) -> dict[str, float]:
    """In a child process: one GROUP BY scan of the answer table (the baseline), then the
    full analysis on aggregates and the word clouds; peak RSS of this process."""
    from sqlalchemy import text

    from analysis.report import run_full_analysis, wordclouds

    engine = create_engine(url)
    scans = []
    with engine.connect() as conn:
        # Twice, the faster counts: the first run also warms the page cache for the analysis.
        for _round in range(2):
            start = time.perf_counter()
            cells = len(conn.execute(text(GROUPBY_SQL)).all())
            scans.append(time.perf_counter() - start)
    groupby = min(scans)
    start = time.perf_counter()
    result = run_full_analysis(engine, 1)
    analysis = time.perf_counter() - start
    start = time.perf_counter()
    clouds = wordclouds(result)
    cloud_s = time.perf_counter() - start
    return {
        "groupby_s": groupby,
        "cells": cells,
        "analysis_s": analysis,
        "wordclouds_s": cloud_s,
        "clouds": len(clouds),
        "comments": len(result.comments),
        "n": float(result.n_responses or 0),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def big(kind: str) -> dict[str, float]:
    """Generate (once) the 1,000,000-response cache of ``kind`` and measure it in a child."""
    from bench import analysis_data

    start = time.perf_counter()
    if kind == "sqlite":
        url = f"sqlite:///{analysis_data.build_sqlite()}"
    else:
        url = analysis_data.build_postgres()
    print(f"{kind}: 1,000,000-response cache ready in {time.perf_counter() - start:.0f} s")
    out = subprocess.run(
        [sys.executable, "-m", "bench.analysis", "--measure", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    ratio = figures["analysis_s"] / figures["groupby_s"]
    with_clouds = (figures["analysis_s"] + figures["wordclouds_s"]) / figures["groupby_s"]
    print(
        f"{kind}: GROUP BY scan {figures['groupby_s']:.1f} s ({figures['cells']:.0f} cells), "
        f"analysis {figures['analysis_s']:.1f} s ({ratio:.2f}x, target <= 2), word clouds "
        f"{figures['wordclouds_s']:.1f} s ({figures['clouds']:.0f} images; with them "
        f"{with_clouds:.2f}x), {figures['comments']:.0f} comments, peak RSS "
        f"{figures['rss_mb']:.0f} MB (target < 500)",
        flush=True,
    )
    return {**figures, "ratio": ratio, "with_clouds": with_clouds}


def small() -> tuple[float, float, float]:
    """The 100,000-response figure: analysis on aggregates against a raw cursor fetch."""
    prepared()
    from analysis.report import run_full_analysis, wordclouds

    engine = create_engine(f"sqlite:///{DB}")
    raw_times, analysis_times, cloud_times = [], [], []
    # Other work on the machine makes single timings noisy: alternate the contenders and
    # keep the best of each (the usual practice of timeit).
    for round_no in range(1, ROUNDS + 1):
        raw = json.loads(
            subprocess.run(
                [sys.executable, "-m", "bench.analysis", "--raw", str(DB)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        raw_times.append(raw["seconds"])
        start = time.perf_counter()
        result = run_full_analysis(engine, 1)
        analysis_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        clouds = wordclouds(result)
        cloud_times.append(time.perf_counter() - start)
        print(
            f"100k round {round_no}: raw fetch {raw_times[-1]:.2f} s, analysis "
            f"{analysis_times[-1]:.2f} s, word clouds {cloud_times[-1]:.2f} s ({len(clouds)})",
            flush=True,
        )
    ratio = min(analysis_times) / min(raw_times)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"100k: analysis {min(analysis_times):.2f} s = {ratio:.2f}x raw fetch "
        f"{min(raw_times):.2f} s; peak RSS {rss:.0f} MB; best of {ROUNDS} rounds",
        flush=True,
    )
    return ratio, rss, min(cloud_times)


def main() -> None:
    """Generate (once) and measure: 100,000 responses on SQLite, then 1,000,000 on SQLite
    and PostgreSQL (``--only sqlite|postgresql`` for one of them)."""
    if "--raw" in sys.argv:
        print(json.dumps(raw_fetch(Path(sys.argv[-1]))))
        return
    if "--measure" in sys.argv:
        print(json.dumps(measure(sys.argv[-1])))
        return
    kinds = ["sqlite", "postgresql"]
    if "--only" in sys.argv:
        kinds = [sys.argv[sys.argv.index("--only") + 1]]
    small_ratio, small_rss, small_clouds = small()
    print(
        f"RESULT responses=100000 analysis_vs_raw={small_ratio:.2f} rss_mb={small_rss:.0f} "
        f"wordclouds_s={small_clouds:.1f}",
        flush=True,
    )
    figures = {kind: big(kind) for kind in kinds}
    worst_ratio = max(f["ratio"] for f in figures.values())
    worst_rss = max(f["rss_mb"] for f in figures.values())
    worst_clouds = max(f["wordclouds_s"] for f in figures.values())
    per_kind = " ".join(
        f"{kind}_vs_groupby={f['ratio']:.2f} {kind}_rss_mb={f['rss_mb']:.0f}"
        for kind, f in figures.items()
    )
    print(
        f"RESULT responses=1000000 rss_mb={worst_rss:.0f} analysis_vs_groupby={worst_ratio:.2f} "
        f"wordclouds_s={worst_clouds:.1f} {per_kind}"
    )


if __name__ == "__main__":
    main()
