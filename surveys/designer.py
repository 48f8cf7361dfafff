"""Designing surveys: metadata, sections, lifecycle, duplication and the structure lock.

Plain functions taking a session, the objects and values; they flush and never commit.
Rules come from :mod:`surveys.rules`; problems are raised as :class:`ValidationError`
(field errors in German) or :class:`Conflict` (refused because of the survey's state).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from surveys.audit import Action, record
from surveys.conditions import condition_questions
from surveys.db import SessionLike
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import (
    AccessMode,
    Handlungsfeld,
    Response,
    Section,
    Survey,
    SurveyStatus,
    TargetGroup,
    User,
)
from surveys.rules import survey_errors

LOCKED_MESSAGE = N_(
    "Die Umfrage hat bereits Antworten: Ihre Struktur ist gesperrt. Erlaubt sind nur "
    "Korrekturen am Wortlaut. Für andere Änderungen nutzen Sie „Als neue Version kopieren“."
)


@dataclass
class SurveyValues:
    """What the metadata form posts (dates as ISO strings)."""

    title: str
    slug: str
    intro: str = ""
    intro_easy: str = ""
    privacy_notice: str = ""
    purpose: str = ""
    next_steps: str = ""
    opens_on: str = ""
    closes_on: str = ""
    access_mode: str = AccessMode.PUBLIC.value
    baseline_id: int | None = None
    target_groups: list[str] = field(default_factory=list)
    #: Printed on the paper questionnaire: "Bitte zurücksenden an" and by when (ISO date).
    return_address: str = ""
    return_by: str = ""


def renumber(objects: Sequence[Any]) -> None:
    """Set ``position`` to the list index of every object (after a move or a removal)."""
    for index, obj in enumerate(objects):
        obj.position = index


def response_total(session: SessionLike, survey: Survey) -> int:
    """Return how many responses the survey has."""
    count = session.scalar(select(func.count(Response.id)).where(Response.survey_id == survey.id))
    return int(count or 0)


def is_locked(session: SessionLike, survey: Survey) -> bool:
    """Return whether the survey's structure is locked (it has responses)."""
    return survey.id is not None and response_total(session, survey) > 0


def ensure_unlocked(session: SessionLike, survey: Survey) -> None:
    """Raise :class:`Conflict` if the survey has responses."""
    if is_locked(session, survey):
        raise Conflict(LOCKED_MESSAGE)


def _parse_date(value: str, name: str, errors: list[FieldError]) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(name, N_("Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ).")))
        return None


def clean_address(text: str) -> str:
    """Return an address as its non-empty lines, each stripped of surrounding spaces."""
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


def groups_by_key(session: SessionLike, keys: Sequence[str]) -> list[TargetGroup]:
    wanted = set(keys)
    return [
        g
        for g in session.scalars(select(TargetGroup).order_by(TargetGroup.position))
        if g.key in wanted
    ]


def apply_metadata(session: SessionLike, survey: Survey, values: SurveyValues) -> None:
    """Copy the values onto the survey and raise every metadata problem at once."""
    errors: list[FieldError] = []
    survey.title = values.title.strip()
    survey.slug = values.slug.strip().lower()
    survey.intro = values.intro.strip()
    survey.intro_easy = values.intro_easy.strip()
    survey.privacy_notice = values.privacy_notice.strip()
    survey.purpose = values.purpose.strip()
    survey.next_steps = values.next_steps.strip()
    survey.opens_on = _parse_date(values.opens_on, "opens_on", errors)
    survey.closes_on = _parse_date(values.closes_on, "closes_on", errors)
    survey.return_address = clean_address(values.return_address)
    survey.return_by = _parse_date(values.return_by, "return_by", errors)
    if values.access_mode not in {m.value for m in AccessMode}:
        errors.append(FieldError("access_mode", N_("Bitte wählen Sie eine Zugangsart.")))
    else:
        survey.access_mode = AccessMode(values.access_mode)
    if values.baseline_id is not None and session.get(Survey, values.baseline_id) is None:
        errors.append(FieldError("baseline_id", N_("Diese Vergleichsumfrage gibt es nicht.")))
    survey.baseline_id = values.baseline_id
    groups = groups_by_key(session, values.target_groups)
    if not groups:
        errors.append(
            FieldError("target_groups", N_("Bitte wählen Sie mindestens eine Zielgruppe."))
        )
    survey.target_groups = groups
    taken = session.scalar(
        select(Survey.id).where(Survey.slug == survey.slug, Survey.id != (survey.id or -1))
    )
    if taken is not None:
        errors.append(FieldError("slug", N_("Diese Kurzadresse ist schon vergeben.")))
    errors += [e for e in survey_errors(survey) if "." not in e.field]
    if errors:
        raise ValidationError(errors)


def create_survey(session: SessionLike, values: SurveyValues, actor: User | None) -> Survey:
    """Create a draft survey from the metadata form."""
    survey = Survey(status=SurveyStatus.DRAFT, version=1)
    with session.no_autoflush:
        apply_metadata(session, survey, values)
    session.add(survey)
    session.flush()
    record(session, actor, Action.SURVEY_CREATE, survey=survey, details=survey.title)
    return survey


def update_survey(
    session: SessionLike, survey: Survey, values: SurveyValues, actor: User | None
) -> None:
    """Change the metadata; with responses, the target groups cannot change."""
    locked = is_locked(session, survey)
    before = [g.key for g in survey.target_groups]
    with session.no_autoflush:
        apply_metadata(session, survey, values)
        if locked and [g.key for g in survey.target_groups] != before:
            raise Conflict(LOCKED_MESSAGE)
    session.flush()
    record(session, actor, Action.SURVEY_CHANGE, survey=survey, details=survey.title)


def handlungsfeld_by_key(session: SessionLike, key: str) -> Handlungsfeld | None:
    """Return the Handlungsfeld with this key, or ``None`` (also for ``""``)."""
    if not key:
        return None
    return session.scalar(select(Handlungsfeld).where(Handlungsfeld.key == key))


def save_section(
    session: SessionLike,
    survey: Survey,
    section: Section | None,
    *,
    title: str,
    description: str = "",
    handlungsfeld: str = "",
    page_breaks: Collection[str] | None = None,
    actor: User | None = None,
) -> Section:
    """Create (``section`` None) or change a section; a new one needs an unlocked survey.

    ``page_breaks`` are the keys of the section's questions that start a new online page
    (``None`` leaves them as they are). They change only how the questions are paged, not
    what is asked or stored, so they may change after the first response.
    """
    if section is None:
        ensure_unlocked(session, survey)
    field_ = handlungsfeld_by_key(session, handlungsfeld)
    errors: list[FieldError] = []
    if not title.strip():
        errors.append(FieldError("title", N_("Bitte geben Sie einen Titel ein.")))
    if handlungsfeld and field_ is None:
        errors.append(FieldError("handlungsfeld", N_("Bitte wählen Sie ein Handlungsfeld.")))
    if errors:
        raise ValidationError(errors)
    if section is None:
        section = Section(title=title.strip())
        survey.sections.append(section)
    elif (section.handlungsfeld_id != (field_.id if field_ else None)) and is_locked(
        session, survey
    ):
        raise Conflict(LOCKED_MESSAGE)
    section.title = title.strip()
    section.description = description.strip()
    section.handlungsfeld = field_
    if page_breaks is not None:
        set_page_breaks(section, page_breaks)
    session.flush()
    record(
        session, actor, Action.SURVEY_CHANGE, survey=survey, details=f"Abschnitt {section.title}"
    )
    return section


def set_page_breaks(section: Section, keys: Collection[str]) -> None:
    """Let exactly the questions with these keys start a new page (never the first one)."""
    wanted = set(keys)
    for index, question in enumerate(section.questions):
        question.page_break = index > 0 and question.key in wanted


def delete_section(session: SessionLike, section: Section, actor: User | None) -> None:
    """Delete a section with its questions (only before the first response)."""
    survey = section.survey
    ensure_unlocked(session, survey)
    survey.sections.remove(section)
    renumber(survey.sections)
    session.flush()
    record(
        session,
        actor,
        Action.SURVEY_CHANGE,
        survey=survey,
        details=f"Abschnitt gelöscht: {section.title}",
    )


def move_section(session: SessionLike, section: Section, offset: int) -> None:
    """Move a section one place up (-1) or down (+1); conditions must stay valid."""
    survey = section.survey
    ensure_unlocked(session, survey)
    sections = survey.sections
    index = sections.index(section)
    target = index + offset
    if not 0 <= target < len(sections):
        return
    sections.insert(target, sections.pop(index))
    renumber(sections)
    _check_conditions_or_raise(survey)
    session.flush()


def order_errors(survey: Survey) -> list[FieldError]:
    """Return a refusal for each question that now stands before a question its condition uses."""
    errors: list[FieldError] = []
    questions = survey.questions()
    position = {q.key: index for index, q in enumerate(questions)}
    for index, question in enumerate(questions):
        for key in condition_questions(question.condition):
            if key in position and position[key] >= index:
                errors.append(
                    FieldError(
                        "order",
                        N_(
                            "Verschieben nicht möglich: Die Frage „%(key)s“ muss nach "
                            "„%(trigger)s“ stehen, weil ihre Bedingung sich darauf bezieht."
                        ),
                        {"key": question.key, "trigger": key},
                    )
                )
    return errors


def _check_conditions_or_raise(survey: Survey) -> None:
    errors = order_errors(survey) or [e for e in survey_errors(survey) if ".condition" in e.field]
    if errors:
        raise ValidationError(errors)
