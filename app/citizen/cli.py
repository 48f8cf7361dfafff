"""``flask purge-drafts``: delete drafts whose expiry has passed."""

from __future__ import annotations

import click

from app.citizen import bp
from app.citizen.state import now
from app.extensions import db
from surveys.drafts import purge_expired


@bp.cli.command("purge-drafts")
def purge_drafts_command() -> None:
    """Delete expired drafts (run daily, e.g. from cron or a systemd timer)."""
    count = purge_expired(db.session, now())
    db.session.commit()
    drafts = "abgelaufener Entwurf" if count == 1 else "abgelaufene Entwürfe"
    click.echo(f"{count} {drafts} gelöscht.")  # an operator's command: German only
