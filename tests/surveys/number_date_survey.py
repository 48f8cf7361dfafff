"""A small open survey with one question of each of the types Datum, Mehrfache Zahleneingabe
and Zahlen-Matrix (domain, app and browser tests share it)."""

from __future__ import annotations

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.models import (
    Item,
    Option,
    Question,
    QuestionType,
    Section,
    Survey,
    SurveyStatus,
    TargetGroup,
)

SLUG = "familien-in-zahlen"


def number_date_survey(session: SessionLike, slug: str = SLUG) -> Survey:
    """Create and flush the survey: a date from 2020 on, children per age band (at most 10
    together), and a matrix of places × children and hours."""
    groups = list(session.scalars(select(TargetGroup)))
    survey = Survey(
        slug=slug, title="Familien in Zahlen", status=SurveyStatus.OPEN, target_groups=groups
    )
    section = Section(title="Ihre Familie")
    survey.sections.append(section)
    moved = Question(
        key="zuzug",
        type=QuestionType.DATE,
        text="Seit wann wohnen Sie in Delmenhorst?",
        settings={"min_date": "2020-01-01", "max_date": "2026-12-31"},
        target_groups=groups,
    )
    children = Question(
        key="kinder",
        type=QuestionType.MULTINUMBER,
        text="Wie viele Kinder leben in Ihrem Haushalt?",
        settings={"integer": True, "min": 0, "max": 9, "sum_max": 10},
        target_groups=groups,
    )
    children.items.extend(
        Item(key=key, text=text)
        for key, text in (
            ("a0_2", "0 bis 2 Jahre"),
            ("a3_5", "3 bis 5 Jahre"),
            ("a6_9", "6 bis 9 Jahre"),
            ("a10_13", "10 bis 13 Jahre"),
            ("a14_17", "14 bis 17 Jahre"),
        )
    )
    care = Question(
        key="betreuung",
        type=QuestionType.NUMBERMATRIX,
        text="Wie viele Ihrer Kinder besuchen diese Einrichtungen, und wie lange?",
        settings={"integer": True, "min": 0, "max": 60},
        target_groups=groups,
    )
    care.items.extend([Item(key="kita", text="Kita"), Item(key="schule", text="Schule")])
    care.options.extend(
        [Option(code="kinder", label="Kinder"), Option(code="stunden", label="Stunden pro Woche")]
    )
    section.questions.extend([moved, children, care])
    session.add(survey)
    session.flush()
    return survey
