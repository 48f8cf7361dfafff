"""Builders of small surveys through the designer functions (used by several test modules)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from surveys.designer import SurveyValues, create_survey, save_section
from surveys.designer_form import QuestionValues
from surveys.designer_questions import save_question
from surveys.models import Question, Section, Survey


def make_survey(session: Session, slug: str = "bilanz-2026", **overrides: Any) -> Survey:
    """Create a draft survey for families and seniors."""
    values = SurveyValues(title="Bilanz 2026", slug=slug, target_groups=["familien", "senioren"])
    for name, value in overrides.items():
        setattr(values, name, value)
    return create_survey(session, values, None)


def make_section(session: Session, survey: Survey, title: str = "Bildung") -> Section:
    """Add a section bound to the Handlungsfeld "bildung"."""
    return save_section(session, survey, None, title=title, handlungsfeld="bildung")


def question_values(key: str, qtype: str = "single", **overrides: Any) -> QuestionValues:
    """Return valid form values of a question of ``qtype``."""
    values = QuestionValues(
        key=key, type=qtype, text=f"Frage {key}", target_groups=["familien", "senioren"]
    )
    if qtype in ("single", "multi", "ranking"):
        values.options = "ja: Ja\nnein: Nein\nweiss: Weiß nicht"
    if qtype in ("likert", "matrix"):
        values.scale = "schlecht\neher schlecht\neher gut\ngut"
    if qtype == "matrix":
        values.items = "kita: Kita-Plätze\nschule: Schulen"
    for name, value in overrides.items():
        setattr(values, name, value)
    return values


def add_question(
    session: Session, section: Section, key: str, qtype: str = "single", **overrides: Any
) -> Question:
    """Add a valid question to ``section``."""
    return save_question(session, section, None, question_values(key, qtype, **overrides), None)
