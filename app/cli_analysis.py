"""``flask analyse``: write every table and figure of a survey's analysis to a folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO, cast

import click
from flask import Flask
from sqlalchemy import Engine

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
    @click.option(
        "--breakdown",
        default=None,
        metavar="FRAGE=ANTWORT",
        help="Nur Befragte mit dieser Antwort auf ein Auswertungsmerkmal, z. B. stadtteil=mitte.",
    )
    @click.option(
        "--categories",
        type=click.File("r", encoding="utf-8"),
        default=None,
        help='JSON-Datei mit Kategorien für Kommentare, z. B. {"Betreuung": ["Kita", "Hort"]}.',
    )
    @click.option(
        "--abbildungen/--ohne-abbildungen",
        "with_figures",
        default=True,
        show_default=True,
        help="Auch die Abbildungen (PNG) schreiben; ohne sie nur Tabellen und Zusammenfassung.",
    )
    @click.option(
        "--gewichtet/--ungewichtet",
        "weighted",
        default=False,
        help="Auch gewichtete Zahlen nach den hinterlegten Randverteilungen ausgeben.",
    )
    def analyse_command(
        survey_slug: str,
        out_dir: str,
        fmt: str,
        group: str | None,
        channel: str | None,
        language: str | None,
        breakdown: str | None,
        categories: TextIO | None,
        with_figures: bool,
        weighted: bool,
    ) -> None:
        """Analyse SURVEY_SLUG and write tables (German headers), figures and a summary."""
        from analysis.export import Format, write_all
        from analysis.frames import Filters, survey_id_by_slug
        from analysis.questions import moderator_summary
        from analysis.report import run_full_analysis
        from app.suppression import configured_policy

        engine = db.engine
        survey_id = survey_id_by_slug(engine, survey_slug)
        if survey_id is None:
            raise click.ClickException(f"Keine Umfrage mit dem Kürzel „{survey_slug}“.")
        filters = Filters(
            group=group,
            channel=channel,
            language=language,
            breakdown=_breakdown_option(engine, survey_id, breakdown),
        )
        coding = _read_categories(categories) if categories else None
        steps = ["load", "scale", "choices", "rankings", "groups", "baseline", "text"]
        with click.progressbar(length=len(steps), label="Auswertung") as bar:
            result = run_full_analysis(
                engine,
                survey_id,
                filters,
                policy=configured_policy(),
                categories=coding,
                progress=lambda _step: bar.update(1),
            )
        if result.too_few:
            raise click.ClickException(
                "Zu wenige Antworten für eine Auswertung mit diesen Filtern."
            )
        out = Path(out_dir)
        with click.progressbar(length=len(result.tables()), label="Dateien schreiben") as files:
            paths = write_all(
                result,
                out,
                cast(Format, fmt),
                progress=lambda _n: files.update(1),
                with_figures=with_figures,
            )
        click.echo(f"{len(paths)} Dateien in {out} geschrieben.")
        for line in moderator_summary(result, group or "familien").lines(result.meta):
            click.echo(line)
        if weighted:
            from app.cli_weighting import echo_weighting
            from surveys.models import Survey

            survey = db.session.get(Survey, survey_id)
            assert survey is not None  # noqa: S101 - found by slug above
            echo_weighting(survey, out)


def _read_categories(handle: TextIO) -> dict[str, list[str]]:
    """Read ``{"Kategorie": ["Stichwort", ...]}``; a clear German error otherwise."""
    try:
        data = json.load(handle)
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"Keine gültige JSON-Datei ({error.msg}).") from error
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(w, str) for w in v)
        for k, v in data.items()
    ):
        raise click.BadParameter("Erwartet wird ein Objekt aus Kategorie → Liste von Stichwörtern.")
    return {str(k): [str(w) for w in v] for k, v in data.items()}


def _breakdown_option(engine: Engine, survey_id: int, raw: str | None) -> tuple[str, str] | None:
    """``FRAGE=ANTWORT`` of ``--breakdown`` checked against the survey's breakdown questions."""
    if not raw:
        return None
    from analysis.frames import breakdown_questions
    from analysis.meta import load_meta

    question, sep, option = raw.partition("=")
    with engine.connect() as conn:
        meta = load_meta(conn, survey_id)
    known = breakdown_questions(meta)
    if not sep or question not in known:
        names = ", ".join(known) or "keine"
        raise click.BadParameter(
            f"„{raw}“ ist kein Auswertungsmerkmal. Möglich: {names} (Form FRAGE=ANTWORT).",
            param_hint="--breakdown",
        )
    options = meta.options[meta.options["question"] == question]["option"].astype(str).tolist()
    if option not in options:
        raise click.BadParameter(
            f"„{option}“ ist keine Antwort auf „{question}“. Möglich: {', '.join(options)}.",
            param_hint="--breakdown",
        )
    return question, option
