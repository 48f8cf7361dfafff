"""Translations of a survey's texts: one row per (survey, language, text path)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from surveys.models.base import Base


class SurveyTranslation(Base):
    """The text at ``path`` (see :mod:`surveys.translations`) of a survey in ``language``."""

    __tablename__ = "survey_translation"
    __table_args__ = (UniqueConstraint("survey_id", "language", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
