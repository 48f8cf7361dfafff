"""Build a SurveyMeta and a tidy answer frame inline, for hand-computed statistics tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from analysis.disclosure import View, build_guard
from analysis.frames import (
    CHANNEL,
    DONT_KNOW,
    FIELD,
    GROUP,
    ITEM,
    KIND,
    NONE,
    OPTION,
    QUESTION,
    RESPONSE,
    ROLE,
    VALUE,
    SurveyMeta,
)
from analysis.privacy import Policy
from surveys.models import HANDLUNGSFELDER, TARGET_GROUPS

GROUPS = [g[0] for g in TARGET_GROUPS]
FIELDS = [f[0] for f in HANDLUNGSFELDER]


def meta(
    questions: list[dict[str, Any]],
    items: list[tuple[str, str]] = (),  # type: ignore[assignment]
    options: list[tuple[str, str]] = (),
) -> SurveyMeta:  # type: ignore[assignment]
    """Questions as dicts (key, kind, role, field, points, rank_count, breakdown); items/options
    as (question, key) pairs."""
    rows = [
        {
            QUESTION: q["key"],
            "id": i + 1,
            "type": q.get("type", q["kind"]),
            KIND: q["kind"],
            ROLE: q.get("role", NONE),
            FIELD: q.get("field", NONE),
            "text": q.get("text", q["key"]),
            "points": q.get("points", 0),
            "rank_count": q.get("rank_count", 0),
            "breakdown": bool(q.get("breakdown", False)),
        }
        for i, q in enumerate(questions)
    ]
    return SurveyMeta(
        survey_id=1,
        slug="tiny",
        title="Tiny",
        baseline_id=None,
        questions=pd.DataFrame(rows).set_index(QUESTION),
        items=pd.DataFrame(
            [
                {QUESTION: q, ITEM: k, "text": k.title(), "position": n, "id": n + 1}
                for n, (q, k) in enumerate(items)
            ],
            columns=[QUESTION, ITEM, "text", "position", "id"],
        ),
        options=pd.DataFrame(
            [
                {QUESTION: q, OPTION: k, "label": k.title(), "position": n, "id": n + 1}
                for n, (q, k) in enumerate(options)
            ],
            columns=[QUESTION, OPTION, "label", "position", "id"],
        ),
        groups=pd.DataFrame(
            {
                GROUP: GROUPS,
                "label": ["Familien", "Senioren", "Akteure"],
                "position": [1, 2, 3],
                "id": [1, 2, 3],
            }
        ).set_index(GROUP),
        fields=pd.DataFrame(
            {FIELD: FIELDS, "number": range(1, 7), "title": [f[2] for f in HANDLUNGSFELDER]}
        ).set_index(FIELD),
    )


def answers(m: SurveyMeta, rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows as (response, group, question, item, option, value, dont_know[, channel])."""
    frame = pd.DataFrame(
        [(*r, "online") if len(r) == 7 else r for r in rows],
        columns=[RESPONSE, GROUP, QUESTION, ITEM, OPTION, VALUE, DONT_KNOW, CHANNEL],
    )
    field = frame[QUESTION].map(m.questions[FIELD])
    return pd.DataFrame(
        {
            RESPONSE: frame[RESPONSE].astype("int64"),
            GROUP: pd.Categorical(frame[GROUP], categories=GROUPS),
            CHANNEL: pd.Categorical(frame[CHANNEL], categories=["online", "paper"]),
            FIELD: pd.Categorical(field, categories=[NONE, *FIELDS]),
            QUESTION: pd.Categorical(frame[QUESTION], categories=list(m.questions.index)),
            ITEM: pd.Categorical(frame[ITEM].fillna(NONE)),
            OPTION: pd.Categorical(frame[OPTION].fillna(NONE)),
            VALUE: frame[VALUE].astype(float),
            DONT_KNOW: frame[DONT_KNOW].astype(bool),
        }
    )


def scale_rows(
    question: str, item: str, group: str, values: list[Any], start: int = 1
) -> list[tuple[Any, ...]]:
    """One row per respondent: a point, or "dk" for "weiß nicht"."""
    return [
        (start + n, group, question, item, NONE, None if v == "dk" else float(v), v == "dk")
        for n, v in enumerate(values)
    ]


def guarded(frame: pd.DataFrame, policy: Policy | None = None) -> Policy:
    """A policy whose view is the guard of the respondents in ``frame`` (unfiltered)."""
    policy = policy or Policy()
    responses = frame.drop_duplicates(RESPONSE)[[RESPONSE, GROUP, CHANNEL]].astype(
        {GROUP: str, CHANNEL: str}
    )
    responses["language"] = "de"
    return replace(policy, view=View(build_guard(responses, policy)))
