"""A whole questionnaire as JSON (format ``familienkompass-questionnaire``, version 2).

Version 2 adds the optional ``translations`` object (``{language: {text path: text}}``, see
:mod:`surveys.translations`); version 1 documents are still read. The paper sheet's
``return_address`` and ``return_by`` and a question's ``page_break`` are optional, so files
written before they existed read as before.

The schema is documented in ``docs/questionnaire-schema.md`` and ``docs/questionnaire.schema.json``.
Export and import round-trip without loss: ``export(import(doc)) == doc`` up to the slug.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from surveys import translations
from surveys.audit import Action, record
from surveys.db import SessionLike
from surveys.designer_form import MAX_BREAKDOWNS
from surveys.errors import FieldError, ValidationError
from surveys.exchange.json_reading import (
    question_from_dict,
    read_date,
    read_groups,
    read_list,
    read_text,
)
from surveys.i18n import N_
from surveys.models import (
    AccessMode,
    Handlungsfeld,
    Question,
    Section,
    Survey,
    SurveyStatus,
    TargetGroup,
    User,
)
from surveys.rules import survey_errors

FORMAT = "familienkompass-questionnaire"
VERSION = 2
#: Versions the importer reads (version 1 has no translations).
READABLE_VERSIONS = (1, 2)
MAX_BYTES = 2 * 1024 * 1024
MAX_QUESTIONS = 2000

SURVEY_FIELDS = (
    "slug",
    "title",
    "intro",
    "intro_easy",
    "purpose",
    "next_steps",
    "privacy_notice",
    "return_address",
)


class ImportError_(ValidationError):
    """The file is not a valid questionnaire; errors carry the path of the problem."""


def question_to_dict(question: Question) -> dict[str, Any]:
    """Return the JSON definition of one question (also the library's storage format)."""
    return {
        "key": question.key,
        "type": question.type.value,
        "role": question.role.value if question.role else None,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "reversed": question.reversed,
        "breakdown": question.breakdown,
        "target_groups": [g.key for g in question.target_groups],
        "settings": dict(question.settings or {}),
        "condition": dict(question.condition) if question.condition else None,
        "options": [{"code": o.code, "label": o.label} for o in question.options],
        "items": [{"key": i.key, "text": i.text, "reversed": i.reversed} for i in question.items],
    }


def export_survey(
    survey: Survey, translations: dict[str, dict[str, str]] | None = None
) -> dict[str, Any]:
    """Return the whole questionnaire (and its translations) as a JSON-serialisable document."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "survey": {
            "slug": survey.slug,
            "title": survey.title,
            "intro": survey.intro,
            "intro_easy": survey.intro_easy,
            "purpose": survey.purpose,
            "next_steps": survey.next_steps,
            "privacy_notice": survey.privacy_notice,
            "return_address": survey.return_address,
            "return_by": survey.return_by.isoformat() if survey.return_by else None,
            "opens_on": survey.opens_on.isoformat() if survey.opens_on else None,
            "closes_on": survey.closes_on.isoformat() if survey.closes_on else None,
            "access_mode": survey.access_mode.value,
            "target_groups": [g.key for g in survey.target_groups],
            "baseline": survey.baseline.slug if survey.baseline else None,
            "sections": [
                {
                    "title": s.title,
                    "description": s.description,
                    "handlungsfeld": s.handlungsfeld.key if s.handlungsfeld else None,
                    "questions": [
                        {**question_to_dict(q), "page_break": q.page_break} for q in s.questions
                    ],
                }
                for s in survey.sections
            ],
        },
    }
    if translations:
        document["translations"] = {lang: dict(texts) for lang, texts in translations.items()}
    return document


def dumps(document: dict[str, Any]) -> str:
    """Serialise a document as readable UTF-8 JSON."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)


def loads(raw: bytes) -> dict[str, Any]:
    """Parse uploaded bytes; refuse oversized, non-UTF-8, non-JSON or foreign documents."""
    if len(raw) > MAX_BYTES:
        raise ImportError_([FieldError("file", N_("Die Datei ist zu groß (höchstens 2 MB)."))])
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ImportError_(
            [FieldError("file", N_("Die Datei ist kein gültiges JSON (UTF-8)."))]
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportError_(
            [FieldError("file", N_("Die Datei ist kein Fragebogen im Familienkompass-Format."))]
        )
    if document.get("version") not in READABLE_VERSIONS:
        raise ImportError_(
            [
                FieldError(
                    "file",
                    N_("Diese Version des Formats (%(version)s) wird nicht unterstützt."),
                    {"version": str(document.get("version"))[:20]},
                )
            ]
        )
    return document


def import_survey(
    session: SessionLike,
    document: dict[str, Any],
    *,
    actor: User | None,
    slug: str | None = None,
    details: str = "JSON",
) -> Survey:
    """Create a draft survey from a document; raise :class:`ValidationError` if anything is wrong.

    ``slug`` overrides the document's slug (e.g. when it is taken). Flush, no commit.
    """
    errors: list[FieldError] = []
    data = document.get("survey")
    if not isinstance(data, dict):
        raise ImportError_([FieldError("file", N_("Die Datei enthält keine Umfrage."))])
    known_groups = {g.key: g for g in session.scalars(select(TargetGroup))}
    fields = {h.key: h for h in session.scalars(select(Handlungsfeld))}
    survey = Survey(status=SurveyStatus.DRAFT, version=1)
    for name in SURVEY_FIELDS:
        setattr(survey, name, read_text(data, name, "survey", errors))
    if slug:
        survey.slug = slug
    survey.opens_on = read_date(data.get("opens_on"), "survey.opens_on", errors)
    survey.closes_on = read_date(data.get("closes_on"), "survey.closes_on", errors)
    survey.return_by = read_date(data.get("return_by"), "survey.return_by", errors)
    try:
        survey.access_mode = AccessMode(data.get("access_mode") or AccessMode.PUBLIC.value)
    except ValueError:
        errors.append(
            FieldError("file", N_("%(where)s: unbekannte Zugangsart."), {"where": "survey"})
        )
    survey.target_groups = read_groups(data.get("target_groups"), known_groups, "survey", errors)
    baseline_slug = data.get("baseline")
    if baseline_slug:
        survey.baseline = session.scalar(select(Survey).where(Survey.slug == str(baseline_slug)))
    if session.scalar(select(Survey.id).where(Survey.slug == survey.slug)) is not None:
        errors.append(FieldError("slug", N_("Diese Kurzadresse ist schon vergeben.")))
    sections = read_list(data.get("sections"), "survey.sections", errors)
    questions: list[list[Question]] = []
    total = 0
    for s_index, s_data in enumerate(sections):
        where = f"sections[{s_index}]"
        if not isinstance(s_data, dict):
            errors.append(FieldError("file", N_("%(where)s: Objekt erwartet."), {"where": where}))
            continue
        field_key = s_data.get("handlungsfeld")
        if field_key is not None and field_key not in fields:
            errors.append(
                FieldError("file", N_("%(where)s: unbekanntes Handlungsfeld."), {"where": where})
            )
        survey.sections.append(
            Section(
                title=read_text(s_data, "title", where, errors),
                description=read_text(s_data, "description", where, errors),
                handlungsfeld=fields.get(field_key) if field_key else None,
            )
        )
        built = []
        for q_index, q_data in enumerate(read_list(s_data.get("questions"), where, errors)):
            total += 1
            question = question_from_dict(
                q_data, known_groups, f"{where}.questions[{q_index}]", errors
            )
            if question is not None:
                # Part of the survey document only, not of a question in the library.
                question.page_break = isinstance(q_data, dict) and q_data.get("page_break") is True
                built.append(question)
        questions.append(built)
    if total > MAX_QUESTIONS:
        errors.append(FieldError("file", N_("Die Datei enthält zu viele Fragen.")))
    if sum(q.breakdown for built in questions for q in built) > MAX_BREAKDOWNS:
        errors.append(
            FieldError(
                "file",
                N_("Die Datei markiert mehr als %(count)s Fragen als Auswertungsmerkmal."),
                {"count": MAX_BREAKDOWNS},
            )
        )
    if errors:
        raise ImportError_(errors)
    with session.no_autoflush:
        for section, built in zip(survey.sections, questions, strict=True):
            section.questions.extend(built)
        errors += survey_errors(survey)
        if errors:
            for section in survey.sections:
                section.questions.clear()
            survey.sections.clear()
            raise ImportError_(errors)
        for section in survey.sections:
            section.questions.clear()
    session.add(survey)
    session.flush()
    for section, built in zip(survey.sections, questions, strict=True):
        for question in built:
            question.survey_id = survey.id
        section.questions.extend(built)
    session.flush()
    import_translations(session, survey, document.get("translations"))
    record(session, actor, Action.SURVEY_IMPORT, survey=survey, details=details)
    return survey


def import_translations(session: SessionLike, survey: Survey, data: Any) -> list[str]:
    """Store the document's ``translations`` (ignoring malformed parts); return skipped paths."""
    if not isinstance(data, dict):
        return []
    clean = {
        str(lang): {str(p): str(t) for p, t in texts.items() if isinstance(t, str)}
        for lang, texts in data.items()
        if isinstance(texts, dict)
    }
    return translations.import_all(session, survey, clean)
