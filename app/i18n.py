"""Interface language selection and template helpers for German-first, translatable pages.

The language is chosen with ``?lang=`` (the switcher on the landing page links there) and is
then kept in the signed session cookie that already carries the form key – a language code
only, nothing that identifies a person.

Leichte Sprache (``de-LS``) is German for readers who need easy language: the citizen and
public pages take their interface texts from the catalogue ``de@ls`` (see
``app/translations/de@ls``), the survey texts from the survey's ``de-LS`` translation. The
page keeps ``lang="de"`` and German dates and numbers. Staff, workshop and results pages stay
in standard German even when the session holds ``de-LS``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, current_app, request, session
from flask_babel import format_date, get_translations, gettext
from markupsafe import Markup, escape

from surveys.i18n import N_, PluralMessage
from surveys.translations import (
    EASY_LANGUAGE,
    LANGUAGES,
    SOURCE_LANGUAGE,
    html_lang,
    interface_locale,
    is_rtl,
)

__all__ = ["LANGUAGES", "current_language", "text_direction", "translate_error"]

#: German reference labels shown to citizens (target groups, Handlungsfelder), for extraction.
REFERENCE_LABELS = (
    N_("Familien"),
    N_("Familie"),
    N_("Seniorinnen und Senioren"),
    N_("Seniorin oder Senior"),
    N_("Akteurinnen und Akteure"),
    N_("Akteurin oder Akteur (Institution, Verein, Unternehmen)"),
    N_("Steuerung, Vernetzung und Nachhaltigkeit"),
    N_("Familie und Arbeitswelt"),
    N_("Bildung und Erziehung"),
    N_("Beratung und Unterstützung"),
    N_("Wohnumfeld und Lebensqualität"),
    N_("Senioren und Generationen"),
)


def current_language() -> str:
    """Return the page language: ``?lang=`` (remembered in the session), the session, German."""
    if not request:
        return "de"
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        if asked == "de":
            session.pop("lang", None)
        elif session.get("lang") != asked:
            session["lang"] = asked
        return asked
    stored = session.get("lang")
    return str(stored) if stored in LANGUAGES else "de"


#: Blueprints of the pages citizens read; only these speak Leichte Sprache (errors outside
#: any blueprint, e.g. an unknown address, too).
EASY_READ_BLUEPRINTS = frozenset({"citizen", "public"})


def select_locale() -> str:
    """Return the Babel locale for the current language.

    Leichte Sprache has its own catalogue on citizen pages; everywhere else it is German.
    """
    language = current_language()
    blueprint = request.blueprint if request else None
    if (
        language == EASY_LANGUAGE
        and blueprint is not None
        and blueprint not in EASY_READ_BLUEPRINTS
    ):
        return interface_locale(SOURCE_LANGUAGE)
    return interface_locale(language)


def text_direction(lang: str) -> str:
    """Return ``rtl`` or ``ltr`` for a language code."""
    return "rtl" if is_rtl(lang) else "ltr"


def translate_message(message: str, params: dict[str, Any] | None = None) -> str:
    """Translate a domain msgid without filling in its parameters.

    A :class:`~surveys.i18n.PluralMessage` takes the form of its count in the page language.
    """
    if isinstance(message, PluralMessage):
        number = (params or {}).get(message.number)
        if isinstance(number, int):
            return str(get_translations().ungettext(str(message), message.plural, number))
        return str(gettext(message.plural))
    return str(gettext(message))


def translate_error(message: str, params: dict[str, Any] | None = None) -> str:
    """Translate a domain message (German msgid) and fill in its parameters."""
    text = translate_message(message, params)
    return text % params if params else text


def translate_label(label: str) -> str:
    """Translate a German reference label (target group, Handlungsfeld) if a catalogue has it."""
    return str(gettext(label)) if label else ""


def german_date(value: date | None) -> str:
    """Format a date the German way (``25.11.2026``)."""
    return format_date(value, "dd.MM.yyyy") if value else ""


def german_fragment(text: str, lang: str) -> Markup:
    """Mark German text inside a page in another language with its own ``lang``/``dir``."""
    if html_lang(lang) == "de":
        return escape(text)
    return Markup('<span lang="de" dir="ltr">%s</span>') % text


def switcher_links(lang: str) -> list[dict[str, str]]:
    """Return the languages for the switcher: code, own name, html lang, dir, current."""
    return [
        {
            "code": code,
            "name": info["name"],
            "lang": html_lang(code),
            "dir": text_direction(code),
            "current": "true" if code == lang else "",
        }
        for code, info in LANGUAGES.items()
    ]


def register_template_globals(app: Flask) -> None:
    """Make language, direction and site settings available in every template."""

    @app.context_processor
    def _globals() -> dict[str, Any]:
        lang = current_language()
        return {
            "site_name": current_app.config["SITE_NAME"],
            "municipality": current_app.config["MUNICIPALITY"],
            "content_lang": lang,
            "page_lang": html_lang(lang),
            "page_dir": text_direction(lang),
        }

    app.jinja_env.filters["date_de"] = german_date
    app.jinja_env.filters["ui"] = translate_label
    app.jinja_env.globals["translate_error"] = translate_error
    app.jinja_env.globals["switcher_links"] = switcher_links
    app.jinja_env.globals["html_lang"] = html_lang
    app.jinja_env.globals["text_direction"] = text_direction
    app.jinja_env.globals["language_name"] = lambda code: LANGUAGES.get(code, {}).get("name", code)
