"""``flask purge``: retention of drafts, free texts and responses (see ``surveys.retention``)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click
from flask import Flask

from app.extensions import db
from surveys.errors import ValidationError
from surveys.queries import survey_by_slug
from surveys.retention import purge_drafts, purge_free_text, purge_responses


def register(app: Flask) -> None:
    """Attach ``flask purge``."""

    @app.cli.command("purge")
    @click.option("--survey", "slug", default=None, help="Kurzname der geschlossenen Umfrage.")
    @click.option("--free-text", is_flag=True, help="Alle Freitexte der Umfrage löschen.")
    @click.option(
        "--responses", is_flag=True, help="Alle Antworten löschen (Auswertung bleibt erhalten)."
    )
    @click.option("--yes", is_flag=True, help="Ohne Rückfrage löschen.")
    def purge_command(slug: str | None, free_text: bool, responses: bool, yes: bool) -> None:
        """Delete expired drafts; with --survey also free texts or whole responses."""
        now = datetime.now(UTC)
        drafts = purge_drafts(db.session, now).drafts
        db.session.commit()
        click.echo(f"{drafts} abgelaufene Entwürfe gelöscht.")
        if not (free_text or responses):
            return
        if not slug:
            raise click.UsageError("--free-text und --responses brauchen --survey KURZNAME.")
        survey = survey_by_slug(db.session, slug)
        if survey is None:
            raise click.ClickException(f"Umfrage „{slug}“ nicht gefunden.")
        what = "alle Antworten" if responses else "alle Freitexte"
        if not yes and not click.confirm(
            f"Wirklich {what} der Umfrage „{survey.title}“ endgültig löschen?", default=False
        ):
            raise click.ClickException("Abgebrochen, nichts gelöscht.")
        today = datetime.now(ZoneInfo("Europe/Berlin")).date()
        try:
            if free_text:
                texts = purge_free_text(db.session, survey).texts
                click.echo(f"{texts} Freitexte gelöscht.")
            if responses:
                result = purge_responses(
                    db.session, survey, today=today, min_cell=int(app.config["MIN_CELL"])
                )
                click.echo(
                    f"{result.responses} Antworten gelöscht; Auswertung als Schnappschuss "
                    f"{result.snapshot_id} gespeichert."
                )
        except ValidationError as exc:
            db.session.rollback()
            raise click.ClickException(
                "Nur bei einer geschlossenen Umfrage können Rohdaten gelöscht werden."
            ) from exc
        db.session.commit()
