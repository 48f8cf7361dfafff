"""Survey texts in other languages: text paths, lookup with German fallback, coverage, saving.

Every translatable text of a survey has a stable *path* built from keys, not database ids, so
that translations travel with JSON and XLSX exports between installations:

``title``, ``intro``, ``purpose``, ``next_steps``, ``privacy_notice``; ``section/<n>/title``
and ``section/<n>/description`` (``n`` = page number from 1); ``q/<key>/text``,
``q/<key>/help_text``, ``q/<key>/option/<code>``, ``q/<key>/item/<item key>``,
``q/<key>/scale/<n>`` (scale label from 1), ``q/<key>/dont_know_label``,
``q/<key>/other_label``, ``q/<key>/unit``.

German is the source language and is stored in the survey itself. Leichte Sprache (``de-LS``)
is a variant of German: its intro falls back to the survey's ``intro_easy`` field (kept as the
Leichte-Sprache intro) before the standard German intro. Its interface texts come from the
catalogue ``de@ls`` (Babel knows no ``de_LS``; the POSIX modifier keeps German dates and
numbers), its ``lang`` attribute stays ``de``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.i18n import N_
from surveys.models import Item, Option, Question, Section, Survey, SurveyTranslation

#: Languages a survey can be answered in: own name, ``lang`` attribute, direction, UI locale,
#: and the German description (codebooks and other German documents explain codes with it).
LANGUAGES: dict[str, dict[str, str]] = {
    "de": {"name": "Deutsch", "html": "de", "dir": "ltr", "locale": "de", "german": "Deutsch"},
    "de-LS": {
        "name": "Leichte Sprache",
        "html": "de",
        "dir": "ltr",
        "locale": "de@ls",
        "german": "Deutsch in Leichter Sprache (kurze Sätze, einfache Wörter)",
    },
    "en": {"name": "English", "html": "en", "dir": "ltr", "locale": "en", "german": "Englisch"},
    "tr": {"name": "Türkçe", "html": "tr", "dir": "ltr", "locale": "tr", "german": "Türkisch"},
    "ar": {
        "name": "العربية",
        "html": "ar",
        "dir": "rtl",
        "locale": "ar",
        "german": "Arabisch (von rechts nach links geschrieben)",
    },
}
SOURCE_LANGUAGE = "de"
#: Leichte Sprache: German in easy language, with its own interface catalogue.
EASY_LANGUAGE = "de-LS"
#: Languages staff translate into (every language but the German source).
TARGET_LANGUAGES = tuple(code for code in LANGUAGES if code != SOURCE_LANGUAGE)
MAX_TEXT = 5000


def html_lang(code: str) -> str:
    """Return the value for a ``lang`` attribute (Leichte Sprache is German: ``de``)."""
    return LANGUAGES.get(code, LANGUAGES["de"])["html"]


def interface_locale(code: str) -> str:
    """Return the interface catalogue locale for a language code."""
    return LANGUAGES.get(code, LANGUAGES["de"])["locale"]


def is_rtl(code: str) -> bool:
    """Return whether the language is written right to left."""
    return LANGUAGES.get(code, LANGUAGES["de"])["dir"] == "rtl"


@dataclass(frozen=True)
class SourceText:
    """One translatable German text of a survey: its path, what it is, and the text."""

    path: str
    kind: str  # German description (N_ msgid), e.g. "Frage"
    german: str


def question_texts(question: Question) -> list[SourceText]:
    """Return the translatable texts of one question in display order."""
    base = f"q/{question.key}"
    out = [SourceText(f"{base}/text", N_("Frage"), question.text)]
    if question.help_text:
        out.append(SourceText(f"{base}/help_text", N_("Hilfetext"), question.help_text))
    settings = question.settings or {}
    if settings.get("unit"):
        out.append(SourceText(f"{base}/unit", N_("Einheit"), str(settings["unit"])))
    for n, label in enumerate(settings.get("scale") or [], start=1):
        out.append(SourceText(f"{base}/scale/{n}", N_("Skalenstufe"), str(label)))
    if settings.get("dont_know") and settings.get("dont_know_label"):
        label = str(settings["dont_know_label"])
        out.append(SourceText(f"{base}/dont_know_label", N_("Weiß-nicht-Antwort"), label))
    if settings.get("other") and settings.get("other_label"):
        label = str(settings["other_label"])
        out.append(SourceText(f"{base}/other_label", N_("Sonstiges-Feld"), label))
    for option in question.options:
        out.append(SourceText(option_path(option), N_("Antwortmöglichkeit"), option.label))
    for item in question.items:
        out.append(SourceText(item_path(item), N_("Aussage"), item.text))
    return out


def source_texts(survey: Survey) -> list[SourceText]:
    """Return every translatable German text of the survey in questionnaire order."""
    out = [SourceText("title", N_("Titel"), survey.title)]
    if survey.intro:
        out.append(SourceText("intro", N_("Einleitung"), survey.intro))
    if survey.purpose:
        out.append(SourceText("purpose", N_("Warum wir fragen"), survey.purpose))
    if survey.next_steps:
        out.append(
            SourceText("next_steps", N_("Was mit den Antworten passiert"), survey.next_steps)
        )
    if survey.privacy_notice:
        out.append(SourceText("privacy_notice", N_("Datenschutzhinweis"), survey.privacy_notice))
    for section in survey.sections:
        out.append(SourceText(section_path(section, "title"), N_("Seitentitel"), section.title))
        if section.description:
            path = section_path(section, "description")
            out.append(SourceText(path, N_("Seitenbeschreibung"), section.description))
        for question in section.questions:
            out += question_texts(question)
    return out


def section_path(section: Section, field: str) -> str:
    """Return the path of a section's ``title`` or ``description``."""
    return f"section/{section.position + 1}/{field}"


def option_path(option: Option) -> str:
    """Return the path of an answer option's label."""
    return f"q/{option.question.key}/option/{option.code}"


def item_path(item: Item) -> str:
    """Return the path of a matrix item's text."""
    return f"q/{item.question.key}/item/{item.key}"


class LocalText(str):
    """A survey text in the page language; ``fallback`` when German stands in for it."""

    fallback: bool = False

    @classmethod
    def of(cls, text: str, *, fallback: bool) -> LocalText:
        """Return ``text`` marked as translated or as German fallback."""
        value = cls(text)
        value.fallback = fallback
        return value


class Localizer:
    """Looks up a survey's texts in one language, falling back to German."""

    def __init__(self, survey: Survey, language: str, texts: Mapping[str, str]) -> None:
        self.survey = survey
        self.language = language
        self.texts = dict(texts)

    def get(self, path: str, german: str) -> LocalText:
        """Return the translation at ``path``, or ``german`` marked as fallback."""
        if self.language == SOURCE_LANGUAGE or not german:
            return LocalText.of(german, fallback=False)
        text = self.texts.get(path)
        if text:
            return LocalText.of(text, fallback=False)
        if path == "intro" and self.language == "de-LS" and self.survey.intro_easy:
            return LocalText.of(self.survey.intro_easy, fallback=False)
        return LocalText.of(german, fallback=True)

    def question_copy(self, question: Question, defaults: Mapping[str, str]) -> Any:
        """Return a read-only stand-in of ``question`` with its texts in this language.

        It has what the question types' ``display`` reads (key, type, text, settings, options,
        items). ``defaults`` gives the interface's words for an unset ``dont_know_label`` or
        ``other_label`` in this language, and any other word a type's ``display`` reads from
        its settings (``yes_label``/``no_label``).
        """
        base = f"q/{question.key}"
        settings = dict(question.settings or {})
        settings["scale"] = [
            str(self.get(f"{base}/scale/{n}", str(label)))
            for n, label in enumerate(settings.get("scale") or [], start=1)
        ]
        for name in ("dont_know_label", "other_label", "unit"):
            if settings.get(name):
                settings[name] = str(self.get(f"{base}/{name}", str(settings[name])))
            elif name in defaults:
                settings[name] = defaults[name]
        for name, word in defaults.items():
            settings.setdefault(name, word)
        return SimpleNamespace(
            id=question.id,
            key=question.key,
            type=question.type,
            text=str(self.get(f"{base}/text", question.text)),
            settings=settings,
            options=[
                SimpleNamespace(id=o.id, code=o.code, label=str(self.get(option_path(o), o.label)))
                for o in question.options
            ],
            items=[
                SimpleNamespace(id=i.id, key=i.key, text=str(self.get(item_path(i), i.text)))
                for i in question.items
            ],
        )

    def question_missing(self, question: Question) -> bool:
        """Return whether any shown text of the question lacks a translation."""
        if self.language == SOURCE_LANGUAGE:
            return False
        return any(not self.texts.get(t.path) for t in question_texts(question) if t.german)


def load_texts(session: SessionLike, survey_id: int, language: str) -> dict[str, str]:
    """Return ``{path: text}`` of one language of a survey."""
    rows = session.execute(
        select(SurveyTranslation.path, SurveyTranslation.text).where(
            SurveyTranslation.survey_id == survey_id, SurveyTranslation.language == language
        )
    )
    return {path: text for path, text in rows}


def localizer(session: SessionLike, survey: Survey, language: str) -> Localizer:
    """Return a :class:`Localizer` for the survey in ``language`` (German for unknown codes)."""
    language = language if language in LANGUAGES else SOURCE_LANGUAGE
    texts = {} if language == SOURCE_LANGUAGE else load_texts(session, survey.id, language)
    return Localizer(survey, language, texts)


def all_translations(session: SessionLike, survey: Survey) -> dict[str, dict[str, str]]:
    """Return ``{language: {path: text}}`` of every stored translation of the survey."""
    out: dict[str, dict[str, str]] = {}
    rows = session.scalars(
        select(SurveyTranslation)
        .where(SurveyTranslation.survey_id == survey.id)
        .order_by(SurveyTranslation.language, SurveyTranslation.path)
    )
    for row in rows:
        out.setdefault(row.language, {})[row.path] = row.text
    return out


@dataclass
class Coverage:
    """How many texts of a survey are translated into one language."""

    language: str
    done: int
    total: int

    @property
    def missing(self) -> int:
        """Number of texts still missing."""
        return self.total - self.done


def coverage(session: SessionLike, survey: Survey) -> list[Coverage]:
    """Return the translation coverage of every target language."""
    paths = {t.path for t in source_texts(survey)}
    stored = all_translations(session, survey)
    return [
        Coverage(code, len(paths & {p for p, t in stored.get(code, {}).items() if t}), len(paths))
        for code in TARGET_LANGUAGES
    ]


def save_translations(
    session: SessionLike, survey: Survey, language: str, texts: Mapping[str, str]
) -> list[str]:
    """Store translations (an empty text removes one); return the paths the survey lacks.

    Only paths of the survey's current texts are stored; texts are stripped and cut to
    ``MAX_TEXT`` characters. Flushes, never commits.
    """
    if language not in TARGET_LANGUAGES:
        raise ValueError(f"unknown target language {language!r}")
    known = {t.path for t in source_texts(survey)}
    unknown = sorted(p for p in texts if p not in known)
    existing = {
        row.path: row
        for row in session.scalars(
            select(SurveyTranslation).where(
                SurveyTranslation.survey_id == survey.id, SurveyTranslation.language == language
            )
        )
    }
    for path, raw in texts.items():
        if path not in known:
            continue
        text = (raw or "").strip()[:MAX_TEXT]
        row = existing.get(path)
        if not text:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(
                SurveyTranslation(survey_id=survey.id, language=language, path=path, text=text)
            )
        else:
            row.text = text
    session.flush()
    return unknown


def import_all(
    session: SessionLike, survey: Survey, data: Mapping[str, Mapping[str, str]]
) -> list[str]:
    """Store ``{language: {path: text}}``; return ``language:path`` of texts not stored."""
    skipped: list[str] = []
    for language, texts in data.items():
        if language not in TARGET_LANGUAGES:
            skipped += [f"{language}:{p}" for p in texts]
            continue
        skipped += [f"{language}:{p}" for p in save_translations(session, survey, language, texts)]
    return skipped
