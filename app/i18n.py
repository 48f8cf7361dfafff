"""Interface language selection and template helpers for German-first, translatable pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, current_app, request, session
from flask_babel import format_date, gettext

#: Languages whose interface catalogue ships with the app, with their writing direction.
LANGUAGES: dict[str, dict[str, str]] = {
    "de": {"name": "Deutsch", "dir": "ltr"},
}


def current_language() -> str:
    """Return the interface language: ``?lang=``, then the session, then German."""
    asked = request.args.get("lang") if request else None
    if asked in LANGUAGES:
        return asked
    stored = session.get("lang") if request else None
    return str(stored) if stored in LANGUAGES else "de"


def text_direction(lang: str) -> str:
    """Return ``rtl`` or ``ltr`` for a language code."""
    return LANGUAGES.get(lang, {}).get("dir", "ltr")


def translate_error(message: str, params: dict[str, Any] | None = None) -> str:
    """Translate a domain message (German msgid) and fill in its parameters."""
    text = str(gettext(message))
    return text % params if params else text


def german_date(value: date | None) -> str:
    """Format a date the German way (``25.11.2026``)."""
    return format_date(value, "dd.MM.yyyy") if value else ""


def register_template_globals(app: Flask) -> None:
    """Make language, direction and site settings available in every template."""

    @app.context_processor
    def _globals() -> dict[str, Any]:
        lang = current_language()
        return {
            "site_name": current_app.config["SITE_NAME"],
            "municipality": current_app.config["MUNICIPALITY"],
            "page_lang": lang,
            "page_dir": text_direction(lang),
        }

    app.jinja_env.filters["date_de"] = german_date
    app.jinja_env.globals["translate_error"] = translate_error
