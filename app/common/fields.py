"""Errors of a question page: translated messages by input name and links for the summary.

Reused by every page that renders questions with ``templates/macros/questions.html`` (citizen
pages, staff preview, paper entry). Input ids follow one scheme, so the error summary can
link to the first control of each field (``QuestionTypeSpec.error_anchor`` of each type):

* radios and checkboxes: ``<name>--<n>`` (1-based), yes/no ``<name>--ja``/``<name>--nein``;
* text, number and the selects of a ranking: the input name itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.i18n import translate_message
from app.i18n_content import bdi, tx
from surveys.answering import owner_of
from surveys.errors import FieldError
from surveys.models import Item, Question
from surveys.question_types import field_name, spec_for


@dataclass(frozen=True)
class SummaryEntry:
    """One line of the error summary: the message and the id it links to."""

    anchor: str
    message: Markup


def anchor_for(question: Question, field: str) -> str:
    """Return the id of the first control the error on ``field`` concerns (each type says
    which: ``QuestionTypeSpec.error_anchor``)."""
    return spec_for(question.type).error_anchor(question, field)


def item_of(question: Question | None, field: str) -> Item | None:
    """Return the item (of a matrix or number type) whose inputs ``field`` is, or ``None``."""
    if question is None or not spec_for(question.type).uses_items:
        return None
    return next((i for i in question.items if field_name(question, i.key) == field), None)


def error_message(question: Question | None, error: FieldError) -> Markup:
    """Translate an error; a quoted matrix item appears in the page language, isolated.

    The domain quotes the item's German text (``%(item)s``); the page shows its translation.
    """
    params: dict[str, Any] = dict(error.params or {})
    item = item_of(question, error.field)
    if "item" in params and item is not None:
        params["item"] = bdi(tx(item))
    text = escape(translate_message(error.message, params))  # translate_error, as markup
    return text % params if params else text


def summary_text(question: Question | None, field: str, message: Markup) -> Markup:
    """Return the summary line: the message, led by its question (or matrix item).

    "Bitte beantworten Sie diese Frage." alone does not say which question is meant. The
    question's text is in the page language and isolated with ``<bdi>``, so that in Arabic
    the German or Latin parts of a line keep their order.
    """
    if question is None:
        return message
    item = item_of(question, field)
    if item is not None:
        if "<bdi>" in message:  # the message quotes the item already
            return message
        return Markup("%s – %s") % (bdi(tx(item)), message)
    return Markup("%s – %s") % (bdi(tx(question, "text")), message)


def collect_errors(
    questions: Iterable[Question], errors: Iterable[FieldError]
) -> tuple[dict[str, Markup], list[SummaryEntry]]:
    """Translate errors; return messages by input name and the summary in page order."""
    ordered = list(questions)
    by_field: dict[str, Markup] = {}
    summary: list[SummaryEntry] = []
    for error in errors:
        if error.field in by_field:
            continue
        owner = owner_of(ordered, error.field)
        message = error_message(owner, error)
        by_field[error.field] = message
        anchor = anchor_for(owner, error.field) if owner else error.field
        summary.append(SummaryEntry(anchor, summary_text(owner, error.field, message)))
    return by_field, summary


def rank_map(value: object) -> dict[str, str]:
    """Return option code -> place (as text) from a ranking value or redisplayed input."""
    if isinstance(value, dict):
        return {str(code): str(place) for code, place in value.items()}
    if isinstance(value, list):
        return {str(code): str(place) for place, code in enumerate(value, start=1)}
    return {}


def number_hint(question: Question) -> str:
    """Return the hint of a number question: whole or not, and its bounds, in German."""
    settings = question.settings
    parts = [_("Eine ganze Zahl") if settings.get("integer") else _("Eine Zahl")]
    if settings.get("min") is not None:
        parts.append(_("mindestens %(min)s", min=settings["min"]))
    if settings.get("max") is not None:
        parts.append(_("höchstens %(max)s", max=settings["max"]))
    return ", ".join(parts) + "."


def question_template(question: Question, view: str) -> list[str]:
    """The partial that draws ``question`` in ``view`` (candidates for ``include``)."""
    return spec_for(question.type).templates(view)


def register_helpers(state: BlueprintSetupState) -> None:
    """Expose the question helpers to every template (staff preview and paper entry too)."""
    env = state.app.jinja_env
    env.globals["rank_map"] = rank_map
    env.globals["number_hint"] = number_hint
    env.globals["question_template"] = question_template
