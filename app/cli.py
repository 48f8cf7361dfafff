"""The project's ``flask`` commands."""

from __future__ import annotations

import click
from flask import Flask

from app.extensions import db


def register(app: Flask) -> None:
    """Attach the commands to ``app.cli``."""
    from app import cli_analysis, cli_ops, cli_retention, cli_users

    cli_analysis.register(app)
    cli_ops.register(app)
    cli_retention.register(app)
    cli_users.register(app)

    @app.cli.command("seed-demo")
    @click.option(
        "--responses",
        type=int,
        default=None,
        help="Synthetic responses per survey (default: DEMO_RESPONSES or 3000).",
    )
    @click.option("--if-empty", is_flag=True, help="Do nothing when any survey exists.")
    def seed_demo_command(responses: int | None, if_empty: bool) -> None:
        """Create the Delmenhorst demo: the 2019 baseline and the current audit survey."""
        from demo import seed_demo
        from surveys.models import Survey

        if if_empty and db.session.query(Survey.id).first() is not None:
            click.echo("Datenbank enthält bereits Umfragen – Demo wird nicht angelegt.")
            return
        count = responses if responses is not None else app.config["DEMO_RESPONSES"]
        summary = seed_demo(db.session, responses=count)
        db.session.commit()
        click.echo(summary)
