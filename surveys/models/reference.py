"""Reference data: the six Handlungsfelder of the audit and the target groups."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from surveys.models.base import Base


class Handlungsfeld(Base):
    """One of the six fields of action of the Familiengerechte Kommune audit."""

    __tablename__ = "handlungsfeld"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(30), unique=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<Handlungsfeld {self.number} {self.key}>"


class TargetGroup(Base):
    """A group of respondents a question is shown to (families, seniors, stakeholders, ...)."""

    __tablename__ = "target_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(30), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    # How a respondent describes themselves on the landing page ("Ich antworte als ...").
    respondent_label: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return f"<TargetGroup {self.key}>"


#: The six Handlungsfelder as (key, number, title); seeded by the first migration.
HANDLUNGSFELDER: tuple[tuple[str, int, str], ...] = (
    ("steuerung", 1, "Steuerung, Vernetzung und Nachhaltigkeit"),
    ("arbeitswelt", 2, "Familie und Arbeitswelt"),
    ("bildung", 3, "Bildung und Erziehung"),
    ("beratung", 4, "Beratung und Unterstützung"),
    ("wohnumfeld", 5, "Wohnumfeld und Lebensqualität"),
    ("senioren", 6, "Senioren und Generationen"),
)

#: Built-in target groups as (key, position, label, respondent label).
TARGET_GROUPS: tuple[tuple[str, int, str, str], ...] = (
    ("familien", 1, "Familien", "Familie"),
    ("senioren", 2, "Seniorinnen und Senioren", "Seniorin oder Senior"),
    (
        "akteure",
        3,
        "Akteurinnen und Akteure",
        "Akteurin oder Akteur (Institution, Verein, Unternehmen)",
    ),
)
