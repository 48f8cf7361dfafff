"""Operations commands: ``flask backup`` and ``flask restore``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask

from app.extensions import db
from surveys.backup import BackupError, backup, restore


def register(app: Flask) -> None:
    """Attach the operations commands."""

    @app.cli.command("backup")
    @click.option(
        "--out",
        "out",
        type=click.Path(path_type=Path),
        default=None,
        help="Target file (default: backups/familienkompass-<timestamp>.<ext>).",
    )
    def backup_command(out: Path | None) -> None:
        """Write a consistent backup of the database (safe while the app runs)."""
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        if out is None:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            suffix = "sqlite" if url.startswith("sqlite") else "dump"
            out = Path("backups") / f"familienkompass-{stamp}.{suffix}"
        try:
            path = backup(url, out)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Sicherung geschrieben: {path}")

    @app.cli.command("restore")
    @click.argument("source", type=click.Path(path_type=Path, exists=True))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(source: Path, yes: bool) -> None:
        """Replace the current database with a backup (asks for confirmation)."""
        if not yes:
            click.confirm("Die aktuelle Datenbank wird überschrieben. Fortfahren?", abort=True)
        db.session.remove()
        db.engine.dispose()
        try:
            restore(app.config["SQLALCHEMY_DATABASE_URI"], source)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Wiederhergestellt aus: {source}")
