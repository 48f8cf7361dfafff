"""Template helpers that show a survey's texts in the page language with a marked fallback.

``tx(obj, field)`` returns the text of a survey, section, question, option or matrix item in
the current language as safe markup; a German fallback inside a page in another language is
wrapped in ``<span lang="de" dir="ltr">``. ``tx_plain`` gives the bare text (for ``<title>``
and attributes), ``tx_scale`` the scale labels, ``tx_missing`` tells whether a question lacks
a translation (the question then carries a visible "Nur auf Deutsch verfügbar").
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from markupsafe import Markup

from app.extensions import db
from app.i18n import current_language, german_fragment
from surveys.models import Item, Option, Question, Section, Survey
from surveys.translations import (
    Localizer,
    LocalText,
    item_path,
    localizer,
    option_path,
    section_path,
)


def survey_of(obj: Any) -> Survey:
    """Return the survey an object belongs to."""
    if isinstance(obj, Survey):
        return obj
    if isinstance(obj, Section | Question):
        return obj.survey
    if isinstance(obj, Option | Item):
        return obj.question.survey
    raise TypeError(f"no survey texts on {type(obj).__name__}")


def localizer_for(survey: Survey, language: str | None = None) -> Localizer:
    """Return the (per request cached) localizer of ``survey`` in the page language."""
    language = language or current_language()
    cache: dict[tuple[int, str], Localizer] = g.setdefault("localizers", {})
    key = (survey.id, language)
    if key not in cache:
        cache[key] = localizer(db.session, survey, language)
    return cache[key]


def local_text(obj: Any, field: str = "") -> LocalText:
    """Return the text ``field`` of ``obj`` in the page language (German fallback marked)."""
    loc = localizer_for(survey_of(obj))
    if isinstance(obj, Survey):
        return loc.get(field, str(getattr(obj, field) or ""))
    if isinstance(obj, Section):
        return loc.get(section_path(obj, field), str(getattr(obj, field) or ""))
    if isinstance(obj, Question):
        if field in ("unit", "dont_know_label", "other_label"):
            german = str((obj.settings or {}).get(field) or "")
        else:
            german = str(getattr(obj, field) or "")
        return loc.get(f"q/{obj.key}/{field}", german)
    if isinstance(obj, Option):
        return loc.get(option_path(obj), obj.label)
    assert isinstance(obj, Item)
    return loc.get(item_path(obj), obj.text)


def as_markup(text: LocalText) -> Markup:
    """Return escaped text; a German fallback gets its own ``lang``/``dir``."""
    if text.fallback:
        return german_fragment(str(text), current_language())
    return Markup.escape(str(text))


def tx(obj: Any, field: str = "") -> Markup:
    """Template global: the text as safe markup (see module docstring)."""
    return as_markup(local_text(obj, field))


def tx_plain(obj: Any, field: str = "") -> str:
    """Template global: the bare text, for titles and attributes."""
    return str(local_text(obj, field))


def tx_scale(question: Question) -> list[Markup]:
    """Template global: the scale labels of a likert or matrix question in the page language."""
    loc = localizer_for(question.survey)
    labels = (question.settings or {}).get("scale") or []
    return [
        as_markup(loc.get(f"q/{question.key}/scale/{n}", str(label)))
        for n, label in enumerate(labels, start=1)
    ]


def tx_missing(question: Question) -> bool:
    """Template global: whether the question is shown (partly) in German as a fallback."""
    return localizer_for(question.survey).question_missing(question)


def bdi(text: Markup | str) -> Markup:
    """Template filter: isolate a survey text inside an interface sentence (``<bdi>``).

    In Arabic a question or item quoted in a message ("… : Wie viele Kinder …?") would
    otherwise take part in the sentence's bidirectional ordering and come out scrambled.
    """
    return Markup("<bdi>%s</bdi>") % text


def register_content_helpers(app: Flask) -> None:
    """Register the ``tx*`` template globals and the ``bdi`` filter."""
    app.jinja_env.globals.update(
        tx=tx, tx_plain=tx_plain, tx_text=local_text, tx_scale=tx_scale, tx_missing=tx_missing
    )
    app.jinja_env.filters["bdi"] = bdi
