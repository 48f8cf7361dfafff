"""``flask analyse``: write every table and figure of a survey's analysis to a folder."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from app.extensions import db


def register(app: Flask) -> None:
    """Attach the ``analyse`` command to ``app.cli``."""

    @app.cli.command("analyse")
    @click.argument("survey_slug")
    @click.option(
        "--out",
        "out_dir",
        required=True,
        type=click.Path(file_okay=False),
        help="Zielordner für Tabellen und Abbildungen.",
    )
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["csv", "xlsx"]),
        default="csv",
        show_default=True,
        help="Dateiformat der Tabellen.",
    )
    @click.option("--group", default=None, help="Nur diese Zielgruppe (Schlüssel).")
    @click.option(
        "--channel",
        type=click.Choice(["online", "paper"]),
        default=None,
        help="Nur dieser Erhebungsweg.",
    )
    @click.option("--language", default=None, help="Nur diese Sprache (z. B. de).")
    def analyse_command(
        survey_slug: str,
        out_dir: str,
        fmt: str,
        group: str | None,
        channel: str | None,
        language: str | None,
    ) -> None:
        """Analyse SURVEY_SLUG and write tables (German headers), figures and a summary."""
        from analysis.export import write_all
        from analysis.frames import Filters, survey_id_by_slug
        from analysis.questions import moderator_summary
        from analysis.report import run_full_analysis

        engine = db.engine
        survey_id = survey_id_by_slug(engine, survey_slug)
        if survey_id is None:
            raise click.ClickException(f"Keine Umfrage mit dem Kürzel „{survey_slug}“.")
        filters = Filters(group=group, channel=channel, language=language)
        steps = ["load", "scale", "choices", "rankings", "groups", "baseline", "text"]
        with click.progressbar(length=len(steps), label="Auswertung") as bar:
            result = run_full_analysis(
                engine, survey_id, filters, progress=lambda _step: bar.update(1)
            )
        if result.too_few:
            raise click.ClickException(
                "Zu wenige Antworten für eine Auswertung mit diesen Filtern."
            )
        out = Path(out_dir)
        with click.progressbar(length=1, label="Dateien schreiben") as bar:
            paths = write_all(result, out, fmt, progress=lambda _name: None)  # type: ignore[arg-type]
            bar.update(1)
        click.echo(f"{len(paths)} Dateien in {out} geschrieben.")
        for line in moderator_summary(result, group or "familien").lines(result.meta):
            click.echo(line)
