"""Consistent backups and restores of the database (SQLite online backup, pg_dump/pg_restore)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess  # noqa: S404 - calls pg_dump/pg_restore with fixed arguments, no shell
from pathlib import Path

from sqlalchemy import make_url


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL client tools (password via environment)."""
    parsed = make_url(url)
    args = ["--dbname", parsed.database or ""]
    if parsed.host:
        args += ["--host", parsed.host]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", parsed.username]
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return path


def backup(url: str, target: Path) -> Path:
    """Write a consistent copy of the database at ``url`` to ``target`` and return it.

    SQLite uses the online backup API (safe while the app writes); PostgreSQL uses
    ``pg_dump --format=custom``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(url))
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
        return target
    if url.startswith("postgresql"):
        args, env = _pg_args(url)
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args]
        _run(command, env)
        return target
    raise BackupError(f"Unsupported database for backup: {make_url(url).drivername}")


def restore(url: str, source: Path) -> None:
    """Replace the database at ``url`` with the backup in ``source``."""
    if not source.exists():
        raise BackupError(f"Backup file not found: {source}")
    if url.startswith("sqlite"):
        backup_db = sqlite3.connect(source)
        target = sqlite3.connect(_sqlite_path(url))
        try:
            if backup_db.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError("The backup file is damaged (integrity check failed).")
            with target:
                backup_db.backup(target)
        finally:
            target.close()
            backup_db.close()
        return
    if url.startswith("postgresql"):
        args, env = _pg_args(url)
        command = [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(source),
        ]
        _run(command, env)
        return
    raise BackupError(f"Unsupported database for restore: {make_url(url).drivername}")


def _run(command: list[str], env: dict[str, str]) -> None:
    import os

    result = subprocess.run(  # noqa: S603 - fixed tool, arguments from configuration
        command, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")
