"""The questionnaire's structure as small frames keyed by codes, read once per survey."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Connection, select

from analysis.columns import FIELD, GROUP, ITEM, KIND, NONE, OPTION, QUESTION, ROLE
from surveys.models import Handlungsfeld, Item, Option, Question, Section, Survey, TargetGroup
from surveys.models.survey import question_target_group
from surveys.question_types import spec_for

T = TypeVar("T")


@dataclass(frozen=True)
class SurveyMeta:
    """What the analysis needs to know about a questionnaire, as small frames keyed by codes."""

    survey_id: int
    slug: str
    title: str
    baseline_id: int | None
    #: Index question key; columns id, type, kind, role, field, text, points, rank_count,
    #: reversed (negatively worded, "umgepolt"), breakdown (a single-choice question staff
    #: marked as "Auswertungsmerkmal": outputs can be broken down and filtered by it),
    #: groups (keys of the target groups the question is asked of), condition (the
    #: question's display condition or ``None``).
    questions: pd.DataFrame
    #: Columns question, item, text, position, id, reversed (the item's own flag).
    items: pd.DataFrame
    #: Columns question, option, label, position.
    options: pd.DataFrame
    #: Index group key; columns label, position.
    groups: pd.DataFrame
    #: Index Handlungsfeld key; columns number, title.
    fields: pd.DataFrame

    def questions_of_kind(self, *kinds: str) -> pd.DataFrame:
        """Return the questions whose analysis kind is one of ``kinds``."""
        return self.questions[self.questions[KIND].isin(kinds)]

    def memo(self, name: str, make: Callable[[], T]) -> T:
        """A value derived from this structure, made once per instance.

        The structure never changes (``dataclasses.replace`` makes a new instance with an
        empty memo), so lookups the pages make hundreds of times (an item's wording, the
        reversed items) are dictionaries built once instead of a frame filtered per call.
        """
        store: dict[str, Any] = self.__dict__.setdefault("_memo", {})
        if name not in store:
            store[name] = make()
        return store[name]  # type: ignore[no-any-return]

    def item_texts(self) -> dict[tuple[str, str], str]:
        """Wording of every item by (question, item)."""
        return self.memo(
            "item_texts",
            lambda: {
                (str(q), str(i)): str(t)
                for q, i, t in zip(
                    self.items[QUESTION], self.items[ITEM], self.items["text"], strict=True
                )
            },
        )

    def option_labels(self) -> dict[tuple[str, str], str]:
        """Label of every choice or ranking option by (question, option)."""
        return self.memo(
            "option_labels",
            lambda: {
                (str(q), str(o)): str(label)
                for q, o, label in zip(
                    self.options[QUESTION],
                    self.options[OPTION],
                    self.options["label"],
                    strict=True,
                )
            },
        )


def _frame(rows: Iterable[Sequence[Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def load_meta(conn: Connection, survey_id: int) -> SurveyMeta:
    """Read the questionnaire's structure: questions, items, options, groups, Handlungsfelder."""
    survey = conn.execute(
        select(Survey.slug, Survey.title, Survey.baseline_id).where(Survey.id == survey_id)
    ).one()
    q_rows = conn.execute(
        select(
            Question.key,
            Question.id,
            Question.type,
            Question.role,
            Handlungsfeld.key,
            Question.text,
            Question.settings,
            Question.reversed,
            Question.breakdown,
            Question.condition,
        )
        .join(Section, Section.id == Question.section_id)
        .outerjoin(Handlungsfeld, Handlungsfeld.id == Section.handlungsfeld_id)
        .where(Question.survey_id == survey_id)
        .order_by(Section.position, Question.position)
    ).all()
    questions = pd.DataFrame(
        {
            QUESTION: [r[0] for r in q_rows],
            "id": [r[1] for r in q_rows],
            "type": [str(r[2]) for r in q_rows],
            KIND: [spec_for(r[2]).analysis_kind for r in q_rows],
            ROLE: [str(r[3]) if r[3] is not None else NONE for r in q_rows],
            FIELD: [r[4] or NONE for r in q_rows],
            "text": [r[5] for r in q_rows],
            "points": [len((r[6] or {}).get("scale", [])) for r in q_rows],
            "scale": [[str(x) for x in (r[6] or {}).get("scale", [])] for r in q_rows],
            "rank_count": [int((r[6] or {}).get("rank_count") or 0) for r in q_rows],
            "reversed": [bool(r[7]) for r in q_rows],
            "breakdown": [bool(r[8]) for r in q_rows],
            "condition": [r[9] or None for r in q_rows],
        }
    ).set_index(QUESTION)
    asked: dict[int, list[str]] = {}
    for question_id, group_key in conn.execute(
        select(question_target_group.c.question_id, TargetGroup.key)
        .join(TargetGroup, TargetGroup.id == question_target_group.c.target_group_id)
        .join(Question, Question.id == question_target_group.c.question_id)
        .where(Question.survey_id == survey_id)
    ):
        asked.setdefault(int(question_id), []).append(str(group_key))
    questions["groups"] = [tuple(sorted(asked.get(int(i), []))) for i in questions["id"]]
    items = _frame(
        conn.execute(
            select(Question.key, Item.key, Item.text, Item.position, Item.id, Item.reversed)
            .join(Question, Question.id == Item.question_id)
            .where(Question.survey_id == survey_id)
            .order_by(Question.id, Item.position)
        ),
        [QUESTION, ITEM, "text", "position", "id", "reversed"],
    )
    items["reversed"] = items["reversed"].astype(bool)
    options = _frame(
        conn.execute(
            select(Question.key, Option.code, Option.label, Option.position, Option.id)
            .join(Question, Question.id == Option.question_id)
            .where(Question.survey_id == survey_id)
            .order_by(Question.id, Option.position)
        ),
        [QUESTION, OPTION, "label", "position", "id"],
    )
    ranked = questions[KIND] == "ranking"
    counts = options.groupby(QUESTION).size()
    for key in questions.index[ranked]:
        if questions.at[key, "rank_count"] == 0:
            questions.at[key, "rank_count"] = int(counts.get(key, 0))
    groups = _frame(
        conn.execute(
            select(
                TargetGroup.key, TargetGroup.label, TargetGroup.position, TargetGroup.id
            ).order_by(TargetGroup.position)
        ),
        [GROUP, "label", "position", "id"],
    ).set_index(GROUP)
    fields = _frame(
        conn.execute(
            select(Handlungsfeld.key, Handlungsfeld.number, Handlungsfeld.title).order_by(
                Handlungsfeld.number
            )
        ),
        [FIELD, "number", "title"],
    ).set_index(FIELD)
    return SurveyMeta(
        survey_id=survey_id,
        slug=survey[0],
        title=survey[1],
        baseline_id=survey[2],
        questions=questions,
        items=items,
        options=options,
        groups=groups,
        fields=fields,
    )
