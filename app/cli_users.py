"""``flask users ...`` and ``flask library ...`` commands: accounts and the question library."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.i18n import translate_error
from surveys.accounts import create_user
from surveys.errors import ValidationError
from surveys.models import Role, User

#: Demo accounts for ``make run`` only; created when no account exists at all.
DEMO_ACCOUNTS = (
    ("admin@example.org", Role.ADMIN, "Demo-Admin Kompass 2026"),
    ("staff@example.org", Role.STAFF, "Demo-Mitarbeit Kompass 2026"),
    ("moderator@example.org", Role.MODERATOR, "Demo-Moderation Kompass 2026"),
)

users_cli = AppGroup("users", help="Konten der Verwaltung.")
library_cli = AppGroup("library", help="Fragenbibliothek.")


@users_cli.command("create")
@click.option("--email", required=True, help="E-Mail-Adresse (Anmeldename).")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role]), help="Rolle des Kontos."
)
@click.option("--name", default="", help="Anzeigename.")
@click.password_option("--password", prompt="Passwort", confirmation_prompt="Passwort wiederholen")
def create_command(email: str, role: str, name: str, password: str) -> None:
    """Create an account; the password is prompted for (never a default)."""
    try:
        user = create_user(db.session, email, password, role, name=name)
    except ValidationError as exc:
        db.session.rollback()
        for error in exc.errors:
            click.echo(
                f"Fehler ({error.field}): {translate_error(error.message, error.params)}", err=True
            )
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"Konto angelegt: {user.email} ({user.role.value})")


@users_cli.command("demo-accounts")
def demo_accounts_command() -> None:
    """Create the three demo accounts, but only when no account exists; print them."""
    if db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("Es gibt bereits Konten – keine Demo-Konten angelegt.")
        return
    for email, role, password in DEMO_ACCOUNTS:
        create_user(db.session, email, password, role, name=f"Demo {role.value}")
    db.session.commit()
    click.echo("Demo-Konten (nur für die Vorführung, bitte nicht produktiv verwenden):")
    for email, role, password in DEMO_ACCOUNTS:
        click.echo(f"  {role.value:<10} {email:<24} Passwort: {password}")


@users_cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor_command(email: str) -> None:
    """Clear an account's second factor and recovery codes; it enrols again at next login."""
    from surveys.accounts import user_by_email
    from surveys.errors import Conflict
    from surveys.two_factor import reset

    user = user_by_email(db.session, email)
    if user is None:
        click.echo(f"Kein Konto mit der E-Mail-Adresse {email.strip()}.", err=True)
        raise SystemExit(1)
    try:
        reset(db.session, user, None)
    except Conflict as exc:
        db.session.rollback()
        click.echo(f"Fehler: {translate_error(exc.message, exc.params)}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"Zweiter Faktor zurückgesetzt: {user.email} (laufende Sitzungen beendet)")


@library_cli.command("import-from-surveys")
def library_import_command() -> None:
    """Fill the question library with the questions of every survey (new keys only)."""
    from surveys.library import fill_from_surveys

    added = fill_from_surveys(db.session)
    db.session.commit()
    click.echo(f"{added} Fragen in die Bibliothek übernommen.")


def register(app: Flask) -> None:
    """Attach the command groups to ``app.cli``."""
    app.cli.add_command(users_cli)
    app.cli.add_command(library_cli)
