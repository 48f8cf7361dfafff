"""``flask backup`` and ``flask restore`` on the test database (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from surveys.models import Survey
from tests.conftest import is_postgres


def test_backup_and_restore_round_trip(app: Flask, tmp_path: Path) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if is_postgres(url) and not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    db.session.add(Survey(slug="gesichert", title="Gesichert"))
    db.session.commit()
    runner = app.test_cli_runner()
    target = tmp_path / "backup.bin"
    result = runner.invoke(args=["backup", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0

    db.session.add(Survey(slug="nach-der-sicherung", title="Später"))
    db.session.commit()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    slugs = set(db.session.scalars(select(Survey.slug)))
    assert slugs == {"gesichert"}


def test_restore_refuses_a_damaged_sqlite_file(app: Flask, tmp_path: Path) -> None:
    if is_postgres(app.config["SQLALCHEMY_DATABASE_URI"]):
        pytest.skip("SQLite only")
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"this is not a database" * 100)
    db.session.add(Survey(slug="bleibt", title="Bleibt"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["restore", str(damaged), "--yes"])
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count(Survey.id))) == 1


def test_restore_asks_for_confirmation(app: Flask, tmp_path: Path) -> None:
    source = tmp_path / "x.sqlite"
    source.write_bytes(b"")
    result = app.test_cli_runner().invoke(args=["restore", str(source)], input="n\n")
    assert result.exit_code != 0 and "überschrieben" in result.output
