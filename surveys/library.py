"""The question library: store reusable questions per Handlungsfeld and insert them into surveys."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from surveys.audit import Action, record
from surveys.db import SessionLike
from surveys.designer_form import MAX_BREAKDOWNS, QuestionValues
from surveys.designer_lists import format_lines
from surveys.designer_questions import save_question
from surveys.errors import Conflict
from surveys.exchange.json_format import question_to_dict
from surveys.i18n import N_
from surveys.models import Handlungsfeld, LibraryQuestion, Question, Section, Survey, User


def library_questions(session: SessionLike, field_key: str = "") -> Sequence[LibraryQuestion]:
    """Return library questions, optionally of one Handlungsfeld, ordered by field and key."""
    stmt = (
        select(LibraryQuestion)
        .outerjoin(Handlungsfeld)
        .order_by(Handlungsfeld.number, LibraryQuestion.key)
    )
    if field_key:
        stmt = stmt.where(Handlungsfeld.key == field_key)
    return session.scalars(stmt).all()


def add_to_library(
    session: SessionLike,
    question: Question,
    actor: User | None,
    *,
    source: str = "",
    audit: bool = True,
) -> LibraryQuestion:
    """Store a question's definition (replacing an entry with the same key)."""
    definition = question_to_dict(question)
    definition["condition"] = None  # a condition refers to another survey's questions
    field_id = question.section.handlungsfeld_id
    source = (source or question.section.survey.slug)[:300]
    entry = session.scalar(select(LibraryQuestion).where(LibraryQuestion.key == question.key))
    if entry is None:
        entry = LibraryQuestion(key=question.key)
    entry.type = question.type.value
    entry.text = question.text
    entry.handlungsfeld_id = field_id
    entry.definition = definition
    entry.source = source
    session.add(entry)
    session.flush()
    if audit:
        record(session, actor, Action.LIBRARY_CHANGE, details=f"{question.key} in die Bibliothek")
    return entry


def fill_from_surveys(session: SessionLike, actor: User | None = None) -> int:
    """Add every question of every survey whose key is not yet in the library; return the count."""
    known = set(session.scalars(select(LibraryQuestion.key)))
    added = 0
    for survey in session.scalars(select(Survey).order_by(Survey.created_at.desc())):
        for question in survey.questions():
            if question.key in known:
                continue
            add_to_library(session, question, actor, source=survey.slug, audit=False)
            known.add(question.key)
            added += 1
    if added:
        record(
            session, actor, Action.LIBRARY_CHANGE, details=f"{added} Fragen aus Umfragen übernommen"
        )
    return added


def seed_library(session: SessionLike, context: object) -> str | None:
    """Demo seeder: fill the library from the demo surveys (idempotent: new keys only)."""
    added = fill_from_surveys(session)
    return f"Fragenbibliothek: {added} Fragen übernommen." if added else None


def insert_into_section(
    session: SessionLike, entry: LibraryQuestion, section: Section, actor: User | None
) -> Question:
    """Insert a library question at the end of a section (groups limited to the survey's)."""
    data = entry.definition
    survey_groups = {g.key for g in section.survey.target_groups}
    groups = [g for g in data.get("target_groups", []) if g in survey_groups]
    if any(q.key == entry.key for q in section.survey.questions()):
        raise Conflict(
            N_("Die Umfrage enthält schon eine Frage mit dem Schlüssel „%(key)s“."), key=entry.key
        )
    settings = data.get("settings") or {}
    # A breakdown travels with the question unless the survey already has the most it may.
    breakdowns = sum(q.breakdown for q in section.survey.questions())
    values = QuestionValues(
        key=entry.key,
        type=data["type"],
        text=data.get("text", ""),
        help_text=data.get("help_text", ""),
        required=bool(data.get("required")),
        reversed=data.get("reversed") is True,
        breakdown=data.get("breakdown") is True and breakdowns < MAX_BREAKDOWNS,
        reversed_items=[str(i["key"]) for i in data.get("items", []) if i.get("reversed") is True],
        role=data.get("role") or "",
        target_groups=groups or sorted(survey_groups),
        options=format_lines([(o["code"], o["label"]) for o in data.get("options", [])]),
        items=format_lines([(i["key"], i["text"]) for i in data.get("items", [])]),
        scale="\n".join(str(s) for s in settings.get("scale", [])),
        dont_know=bool(settings.get("dont_know")),
        dont_know_label=str(settings.get("dont_know_label", "")),
        other=bool(settings.get("other")),
        other_label=str(settings.get("other_label", "")),
        max_choices=str(settings.get("max_choices", "")),
        rank_count=str(settings.get("rank_count", "")),
        min=str(settings.get("min", "")),
        max=str(settings.get("max", "")),
        integer=bool(settings.get("integer")),
        unit=str(settings.get("unit", "")),
        max_length=str(settings.get("max_length", "")),
        multiline=bool(settings.get("multiline")),
    )
    return save_question(session, section, None, values, actor)


def delete_entry(session: SessionLike, entry: LibraryQuestion, actor: User | None) -> None:
    """Remove a question from the library (surveys that used it keep their copy)."""
    key = entry.key
    session.delete(entry)
    session.flush()
    record(session, actor, Action.LIBRARY_CHANGE, details=f"{key} aus der Bibliothek entfernt")
