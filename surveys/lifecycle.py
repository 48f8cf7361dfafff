"""Lifecycle of a survey (draft → open → closed, reopen) and duplication keeping question keys."""

from __future__ import annotations

from surveys.audit import Action, record
from surveys.db import SessionLike
from surveys.designer import SurveyValues, apply_metadata
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import Item, Option, Question, Section, Survey, SurveyStatus, User
from surveys.queries import response_count
from surveys.rules import survey_errors


def open_survey(session: SessionLike, survey: Survey, actor: User | None) -> None:
    """Open a draft or closed survey after checking that it is complete and valid."""
    errors = survey_errors(survey)
    if not survey.questions():
        errors.append(FieldError("sections", N_("Die Umfrage hat noch keine Fragen.")))
    if not survey.target_groups:
        errors.append(
            FieldError("target_groups", N_("Bitte wählen Sie mindestens eine Zielgruppe."))
        )
    if errors:
        raise ValidationError(errors)
    action = Action.SURVEY_REOPEN if survey.status == SurveyStatus.CLOSED else Action.SURVEY_OPEN
    survey.status = SurveyStatus.OPEN
    session.flush()
    record(session, actor, action, survey=survey)


def close_survey(session: SessionLike, survey: Survey, actor: User | None) -> None:
    """Close an open survey; it stops taking answers."""
    if survey.status != SurveyStatus.OPEN:
        raise Conflict(N_("Nur eine geöffnete Umfrage kann geschlossen werden."))
    survey.status = SurveyStatus.CLOSED
    session.flush()
    record(session, actor, Action.SURVEY_CLOSE, survey=survey)


def copy_question(source: Question) -> Question:
    """Return an unattached copy of a question (same key, options, items, groups)."""
    return Question(
        key=source.key,
        type=source.type,
        role=source.role,
        text=source.text,
        help_text=source.help_text,
        required=source.required,
        reversed=source.reversed,
        breakdown=source.breakdown,
        page_break=source.page_break,
        settings=dict(source.settings or {}),
        condition=dict(source.condition) if source.condition else None,
        target_groups=list(source.target_groups),
        options=[Option(code=o.code, label=o.label) for o in source.options],
        items=[Item(key=i.key, text=i.text, reversed=i.reversed) for i in source.items],
    )


def duplicate_survey(
    session: SessionLike,
    source: Survey,
    *,
    slug: str,
    title: str,
    actor: User | None,
    as_baseline: bool = True,
    new_version: bool = False,
) -> Survey:
    """Copy a survey as a new draft keeping question keys; optionally set the source as baseline.

    ``new_version`` marks the copy as the next version of the same survey (after a lock).
    """
    values = SurveyValues(
        title=title,
        slug=slug,
        intro=source.intro,
        intro_easy=source.intro_easy,
        purpose=source.purpose,
        next_steps=source.next_steps,
        privacy_notice=source.privacy_notice,
        # The address carries over; the deadline, like the dates, belongs to one round.
        return_address=source.return_address,
        access_mode=source.access_mode.value,
        baseline_id=source.id if as_baseline else source.baseline_id,
        target_groups=[g.key for g in source.target_groups],
    )
    copy = Survey(status=SurveyStatus.DRAFT, version=source.version + 1 if new_version else 1)
    with session.no_autoflush:
        apply_metadata(session, copy, values)
        for section in source.sections:
            copy.sections.append(
                Section(
                    title=section.title,
                    description=section.description,
                    handlungsfeld=section.handlungsfeld,
                )
            )
    session.add(copy)
    session.flush()  # the copy needs its id before questions can reference it
    for old_section, new_section in zip(source.sections, copy.sections, strict=True):
        for question in old_section.questions:
            new_question = copy_question(question)
            new_question.survey_id = copy.id
            new_section.questions.append(new_question)
    session.flush()
    record(session, actor, Action.SURVEY_COPY, survey=copy, details=f"Kopie von {source.slug}")
    return copy


def delete_survey(session: SessionLike, survey: Survey) -> None:
    """Delete a survey that has no responses; refuse otherwise (responses are never lost)."""
    if response_count(session, survey):
        raise Conflict(
            N_(
                "Die Umfrage „%(title)s“ hat bereits Antworten und kann nicht "
                "gelöscht werden. Schließen Sie sie stattdessen."
            ),
            title=survey.title,
        )
    session.delete(survey)
    session.flush()
