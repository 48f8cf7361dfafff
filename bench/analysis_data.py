"""The 1,000,000-response benchmark survey, generated once into SQLite and PostgreSQL caches.

The questionnaire is the one of :func:`bench.analysis.build` (six Handlungsfelder with four
satisfaction and two importance items each, a comment per field, a ranking of three places):
40 answer rows per response, 40 M rows in all. Rows are generated in chunks of responses with
numpy and written with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) with the answer
indexes dropped and rebuilt afterwards, so neither database ever holds a Python list of 40 M
tuples. Both caches are reused when present (a marker row says the fill completed).
"""

from __future__ import annotations

import io
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, create_engine, inspect, text

from bench.analysis import FILLER, WORDS, Spec, questionnaire

CACHE = Path(os.environ.get("BENCH_CACHE", Path.home() / ".cache" / "familienkompass-bench"))
BIG = 1_000_000
VERSION = 1
SQLITE_DB = CACHE / f"analysis-{BIG}-v{VERSION}.sqlite"
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_NAME = "fk_bench"
PG_URL = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_NAME
CHUNK = 25_000
ANSWER_COLUMNS = ["id", "response_id", "question_id", "item_id", "option_id", "num", "text"]
ANSWER_INDEXES = {
    "ix_answer_cells": "answer (question_id, item_id, option_id, num, dont_know, response_id)",
    "ix_answer_response_id": "answer (response_id)",
    "ix_answer_question_response": "answer (question_id, response_id, option_id)",
}
MARKER = f"bench-complete-{BIG}-v{VERSION}"


def chunks(
    questions: dict[str, Spec], group_ids: list[int], survey_id: int, total: int = BIG
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Yield (responses, answers) frames of ``CHUNK`` responses each, answers in response
    order (as ``store_response`` writes them), ids continuing across chunks."""
    rng = np.random.default_rng(2027)
    fields = list(WORDS)
    vocab = {f: np.array(WORDS[f].split() + FILLER) for f in fields}
    next_answer = 1
    for start in range(0, total, CHUNK):
        size = min(CHUNK, total - start)
        resp = np.arange(start + 1, start + size + 1)
        group = rng.choice(len(group_ids), size, p=[0.5, 0.35, 0.15])
        responses = pd.DataFrame(
            {
                "id": resp,
                "survey_id": survey_id,
                "target_group_id": np.array(group_ids)[group],
                "channel": np.where(rng.random(size) < 0.1, "paper", "online"),
                "language": "de",
                "submitted_on": "2026-05-01",
            }
        )
        parts: list[pd.DataFrame] = []
        for f_index, field in enumerate(fields):
            for key, n_items in ((f"zufr_{field}", 4), (f"wicht_{field}", 2)):
                q = questions[key]
                for item in q.items[:n_items]:
                    shift = (group - 1) * 0.4 + (f_index - 2.5) * 0.2
                    values = np.clip(np.rint(rng.normal(3.2 + shift, 1.1)), 1, 5)
                    dk = (rng.random(size) < 0.05) & q.satisfaction
                    parts.append(
                        pd.DataFrame(
                            {
                                "response_id": resp,
                                "question_id": q.id,
                                "item_id": item,
                                "option_id": pd.NA,
                                "num": np.where(dk, np.nan, values),
                                "text": None,
                                "dont_know": dk,
                            }
                        )
                    )
        ranking = questions["prioritaeten"]
        order = np.argsort(rng.random((size, len(ranking.options))), axis=1)[:, :3]
        for place in range(3):
            parts.append(
                pd.DataFrame(
                    {
                        "response_id": resp,
                        "question_id": ranking.id,
                        "item_id": pd.NA,
                        "option_id": np.array(ranking.options)[order[:, place]],
                        "num": float(place + 1),
                        "text": None,
                        "dont_know": False,
                    }
                )
            )
        field_of = rng.integers(0, len(fields), size)
        lengths = rng.integers(3, 15, size)
        picks = rng.integers(0, 1 << 30, (size, 14))
        texts = []
        for f, n, pick in zip(field_of.tolist(), lengths.tolist(), picks, strict=True):
            words = vocab[fields[f]]
            texts.append(" ".join(words[pick[:n] % len(words)]).capitalize() + ".")
        comment_ids = np.array([questions[f"kommentar_{f}"].id for f in fields])
        parts.append(
            pd.DataFrame(
                {
                    "response_id": resp,
                    "question_id": comment_ids[field_of],
                    "item_id": pd.NA,
                    "option_id": pd.NA,
                    "num": np.nan,
                    "text": texts,
                    "dont_know": False,
                }
            )
        )
        answers = pd.concat(parts, ignore_index=True)
        answers = answers.sort_values("response_id", kind="stable", ignore_index=True)
        answers.insert(0, "id", np.arange(next_answer, next_answer + len(answers)))
        next_answer += len(answers)
        answers["item_id"] = answers["item_id"].astype("Int64")
        answers["option_id"] = answers["option_id"].astype("Int64")
        yield responses, answers


def _schema(engine: Engine) -> tuple[int, dict[str, Spec], list[int]]:
    """Create the tables and the questionnaire; drop the answer indexes for the fill."""
    survey_id, questions, group_ids = questionnaire(engine)
    with engine.begin() as conn:
        for name in ANSWER_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    return survey_id, questions, group_ids


def _finish(engine: Engine) -> None:
    with engine.begin() as conn:
        for name, target in ANSWER_INDEXES.items():
            conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {target}"))
        conn.execute(text("ANALYZE"))
        conn.execute(
            text("UPDATE survey SET title = :marker WHERE slug = 'bench'"), {"marker": MARKER}
        )


def _current_indexes(engine: Engine) -> None:
    """Give a cache built by an earlier version the answer indexes of this one."""
    with engine.begin() as conn:
        existing = {i["name"] for i in inspect(conn).get_indexes("answer")}
        missing = {n: t for n, t in ANSWER_INDEXES.items() if n not in existing}
        for name, target in missing.items():
            conn.execute(text(f"CREATE INDEX {name} ON {target}"))
        if missing:
            conn.execute(text("ANALYZE"))


def _complete(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            title = conn.scalar(text("SELECT title FROM survey WHERE slug = 'bench'"))
    except Exception:  # noqa: BLE001 - a half-made or missing database is simply rebuilt
        return False
    return bool(title == MARKER)


def build_sqlite(path: Path = SQLITE_DB) -> Path:
    """Generate the SQLite cache (once)."""
    if path.exists() and _complete(engine := create_engine(f"sqlite:///{path}")):
        _current_indexes(engine)
        engine.dispose()
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{tmp}")
    survey_id, questions, group_ids = _schema(engine)
    engine.dispose()
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA journal_mode=OFF")
    insert_r = (
        "INSERT INTO response (id, survey_id, target_group_id, channel, language, submitted_on)"
        " VALUES (?, ?, ?, ?, ?, ?)"
    )
    insert_a = (
        "INSERT INTO answer (id, response_id, question_id, item_id, option_id, num, text,"
        " dont_know) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    for responses, answers in chunks(questions, group_ids, survey_id):
        conn.executemany(insert_r, responses.itertuples(index=False, name=None))
        frame = answers.astype(object).where(answers.notna(), None)
        frame["dont_know"] = answers["dont_know"].astype(int)
        conn.executemany(insert_a, frame.itertuples(index=False, name=None))
    conn.commit()
    conn.close()
    engine = create_engine(f"sqlite:///{tmp}")
    _finish(engine)
    engine.dispose()
    tmp.rename(path)
    return path


def build_postgres() -> str:
    """Generate the PostgreSQL cache ``fk_bench`` (once); returns its URL."""
    engine = create_engine(PG_URL)
    if _complete(engine):
        _current_indexes(engine)
        engine.dispose()
        return PG_URL
    engine.dispose()
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{PG_NAME}"'))
    admin.dispose()
    engine = create_engine(PG_URL)
    survey_id, questions, group_ids = _schema(engine)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET session_replication_role = replica")  # no FK trigger per row
        for responses, answers in chunks(questions, group_ids, survey_id):
            for table, frame in (("response", responses), ("answer", answers)):
                buffer = io.StringIO()
                frame.to_csv(buffer, index=False, header=False, na_rep="")
                columns = ", ".join(frame.columns)
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                    copy.write(buffer.getvalue())
        raw.commit()
    finally:
        raw.close()
    _finish(engine)
    engine.dispose()
    return PG_URL


def main() -> None:
    """Generate both caches, saying how long each took."""
    for name, make in (("SQLite", build_sqlite), ("PostgreSQL", build_postgres)):
        start = time.perf_counter()
        make()
        print(f"{name}: ready in {time.perf_counter() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
