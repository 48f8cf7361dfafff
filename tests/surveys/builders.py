"""Small builders of unsaved questions and surveys for domain tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.models import (
    Item,
    Option,
    Question,
    QuestionType,
    Section,
    Survey,
    TargetGroup,
)

SCALE5 = ["sehr unzufrieden", "unzufrieden", "teils/teils", "zufrieden", "sehr zufrieden"]


def question(
    qtype: QuestionType | str,
    key: str = "q1",
    *,
    options: list[str] | None = None,
    items: list[str] | None = None,
    settings: dict[str, Any] | None = None,
    groups: list[TargetGroup] | None = None,
    **fields: Any,
) -> Question:
    """Build a question; options and items are given as codes/keys (labels derived)."""
    q = Question(
        key=key,
        type=QuestionType(qtype),
        text=fields.pop("text", f"Frage {key}"),
        settings=settings or {},
        required=fields.pop("required", False),
        **fields,
    )
    q.id = fields.get("id") or abs(hash(key)) % 10_000
    for index, code in enumerate(options or []):
        q.options.append(Option(id=index + 1, code=code, label=f"Antwort {code}"))
    for index, item_key in enumerate(items or []):
        q.items.append(Item(id=index + 1, key=item_key, text=f"Aussage {item_key}"))
    q.target_groups = list(groups or [])
    return q


def groups(session: SessionLike) -> dict[str, TargetGroup]:
    """Return the built-in target groups by key."""
    return {g.key: g for g in session.scalars(select(TargetGroup))}


def small_survey(session: SessionLike, slug: str = "test-umfrage") -> Survey:
    """Create and flush a survey with one section holding a matrix, a choice and a text."""
    tg = groups(session)
    survey = Survey(slug=slug, title="Testumfrage", target_groups=list(tg.values()))
    section = Section(title="Bildung und Erziehung")
    survey.sections.append(section)
    matrix = Question(
        key="zufriedenheit",
        type=QuestionType.MATRIX,
        text="Wie zufrieden?",
        settings={"scale": SCALE5, "dont_know": True},
        required=True,
        target_groups=list(tg.values()),
    )
    matrix.items.extend([Item(key="kita", text="Kita"), Item(key="schule", text="Schule")])
    choice = Question(
        key="ganztag",
        type=QuestionType.SINGLE,
        text="Nutzen Sie Ganztag?",
        target_groups=[tg["familien"]],
    )
    choice.options.extend([Option(code="ja", label="Ja"), Option(code="nein", label="Nein")])
    follow_up = Question(
        key="ganztag_warum",
        type=QuestionType.TEXT,
        text="Warum nicht?",
        condition={"question": "ganztag", "op": "equals", "value": "nein"},
        target_groups=[tg["familien"]],
    )
    comment = Question(
        key="kommentar", type=QuestionType.TEXT, text="Was noch?", target_groups=list(tg.values())
    )
    section.questions.extend([matrix, choice, follow_up, comment])
    session.add(survey)
    session.flush()
    return survey
