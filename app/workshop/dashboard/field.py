"""View model of one Handlungsfeld for the dashboard page and the Workshop-Mappe.

Selects the rows of one field from an :class:`~analysis.report.AnalysisResult` (already
suppressed), attaches German labels and renders the figures through :mod:`analysis.charts`.
No statistic is computed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.frames import FIELD, GROUP, ITEM, NONE, OPTION, QUESTION
from analysis.labels import VALUE_LABELS
from analysis.questions import option_label
from analysis.report import AnalysisResult
from app.workshop.dashboard.charts import (
    Figure,
    ipa_figures,
    likert_figures,
    word_figures,
)
from app.workshop.dashboard.data import (
    group_label,
    groups_shown,
    is_missing,
    item_label,
    left_out_note,
    number,
    percent,
    reversed_note,
    rows,
)


@dataclass
class FieldView:
    """Everything the field page and the Mappe chapter show for one Handlungsfeld."""

    key: str
    number: int
    title: str
    index: list[dict[str, Any]]
    likert: list[dict[str, Any]]
    rankings: list[dict[str, Any]]
    strengths: list[dict[str, Any]]
    ipa: list[Figure]
    differences: list[dict[str, Any]]
    baseline: list[dict[str, Any]]
    words: list[Figure]
    themes: list[dict[str, Any]]
    #: Footnotes: reversed items, items left out of the baseline comparison.
    notes: list[str]
    #: Item non-response of the field's questions (shown, answered, "weiß nicht", skipped).
    nonresponse: list[dict[str, Any]] = field(default_factory=list)
    #: Multiple number entries and number matrices: n, mean, median, sum per number.
    number_parts: list[dict[str, Any]] = field(default_factory=list)
    #: Date questions: answers per month.
    date_months: list[dict[str, Any]] = field(default_factory=list)


def index_rows(result: AnalysisResult, key: str) -> list[dict[str, Any]]:
    """Index per group of one field with the change since the baseline."""
    out = []
    for group in groups_shown(result):
        current = rows(result.field_index, **{FIELD: key, GROUP: group})
        if not current:
            continue
        then = rows(result.baseline_index, **{FIELD: key, GROUP: group})
        out.append(
            {
                "group": group,
                "label": group_label(result, group),
                "n": current[0]["n"],
                "index": current[0]["index"],
                "change": then[0]["change"] if then else None,
                "significant": bool(then and then[0]["significant"] is True),
                # Both matched-item indices: the change compares like with like.
                "index_then": then[0]["index_then"] if then else None,
                "index_now_matched": then[0]["index_now"] if then else None,
                "ci_low": then[0]["ci_low"] if then else None,
                "ci_high": then[0]["ci_high"] if then else None,
                "effect": then[0]["effect"] if then else None,
            }
        )
    return out


def _rankings(result: AnalysisResult, key: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    table = result.rankings
    if table.empty:
        return out
    mine = table[table[FIELD].astype(str) == key]
    for question, part in mine.groupby(QUESTION, sort=False, observed=True):
        groups = []
        for group in groups_shown(result):
            sub = part[part[GROUP].astype(str) == group].sort_values("borda", ascending=False)
            if sub.empty:
                continue
            groups.append(
                {
                    "label": group_label(result, group),
                    "options": [
                        {
                            "label": option_label(result.meta, str(question), str(r["option"])),
                            "borda": number(r["borda"], 2),
                            "top3": percent(r["top3_share"]),
                            "respondents": r["respondents"],
                        }
                        for r in sub.to_dict("records")
                    ],
                }
            )
        out.append({"text": item_label(result, str(question)), "groups": groups})
    return out


def _strengths(result: AnalysisResult, key: str) -> list[dict[str, Any]]:
    out = []
    for group in groups_shown(result):
        part = rows(result.strengths, **{FIELD: key, GROUP: group})
        if not part:
            continue
        entries = {
            kind: [
                {
                    "item": item_label(result, str(r[QUESTION]), str(r[ITEM])),
                    "score": number(r["score"]),
                    "top2": percent(r["top2_share"]),
                    "n": r["n"],
                    "midpoint": r.get("midpoint") or "",
                }
                for r in sorted(part, key=lambda r: r["rank"])
                if r["kind"] == kind
            ]
            for kind in ("strength", "weakness")
        }
        out.append({"label": group_label(result, group), **entries})
    return out


def _differences(result: AnalysisResult, key: str) -> list[dict[str, Any]]:
    table = result.group_differences
    if table.empty:
        return []
    part = table[(table[FIELD].astype(str) == key) & (table["significant"] == True)]  # noqa: E712
    part = part.reindex(part["difference"].abs().sort_values(ascending=False).index)
    return [
        {
            "item": item_label(result, str(r[QUESTION]), str(r[ITEM])),
            "a": group_label(result, str(r["group_a"])),
            "b": group_label(result, str(r["group_b"])),
            "score_a": number(r["score_a"]),
            "score_b": number(r["score_b"]),
            "difference": number(r["difference"], sign=True),
            "magnitude": VALUE_LABELS.get(str(r["magnitude"]), str(r["magnitude"])),
            "p": number(r["p_adjusted"], 3),
        }
        for r in part.head(15).to_dict("records")
    ]


def _aspect(result: AnalysisResult, question: str) -> str:
    """What a scale question measures ("Zufriedenheit", "Wichtigkeit"), from its role."""
    role = (
        str(result.meta.questions.at[question, "role"])
        if question in result.meta.questions.index
        else ""
    )
    return VALUE_LABELS.get(role, "")


def _by_role(result: AnalysisResult) -> Callable[[pd.Series], pd.Series]:
    """Sort key: satisfaction questions before importance, then by the other columns."""

    def key(column: pd.Series) -> pd.Series:
        if column.name == QUESTION:
            return column.astype(str).map(lambda q: _aspect(result, q) != "Zufriedenheit")
        return column

    return key


def _baseline(result: AnalysisResult, key: str) -> list[dict[str, Any]]:
    table = result.baseline_items
    if table.empty:
        return []
    group = result.filters.group or "total"
    part = table[(table[FIELD].astype(str) == key) & (table[GROUP].astype(str) == group)]
    part = part.sort_values([QUESTION, "change"], key=_by_role(result))
    return [
        {
            "item": item_label(result, str(r[QUESTION]), str(r[ITEM])),
            "aspect": _aspect(result, str(r[QUESTION])),
            "then": number(r["score_then"]),
            "now": number(r["score_now"]),
            "change": number(r["change"], 1, sign=True),
            "significant": r["significant"] is True,
            "n_then": r["n_then"],
            "n_now": r["n_now"],
        }
        for r in part.to_dict("records")
    ]


def _themes(result: AnalysisResult, key: str) -> list[dict[str, Any]]:
    out = []
    for group in groups_shown(result):
        part = rows(result.keywords, **{FIELD: key, GROUP: group})
        if not part:
            continue
        part.sort(key=lambda r: -1 if is_missing(r["count"]) else -int(r["count"]))
        out.append(
            {
                "label": group_label(result, group),
                "themes": [
                    {"category": r["category"], "count": r["count"], "share": percent(r["share"])}
                    for r in part
                    if is_missing(r["count"]) or int(r["count"]) > 0
                ],
                "comments": part[0]["comments"],
            }
        )
    return out


def field_view(
    result: AnalysisResult, key: str, *, figure_groups: set[str] | None = None
) -> FieldView:
    """Return the view model of Handlungsfeld ``key``.

    ``figure_groups`` limits the charts to these group keys (``None``: every group).
    """
    only = figure_groups
    meta = result.meta.fields
    return FieldView(
        key=key,
        number=int(meta.at[key, "number"]),  # type: ignore[arg-type]
        title=str(meta.at[key, "title"]),
        index=index_rows(result, key),
        likert=likert_figures(result, key, only),
        rankings=_rankings(result, key),
        strengths=_strengths(result, key),
        ipa=ipa_figures(result, key, only),
        differences=_differences(result, key),
        baseline=_baseline(result, key),
        words=word_figures(result, key, only),
        themes=_themes(result, key),
        notes=[n for n in (reversed_note(result, key), left_out_note(result, key)) if n],
        nonresponse=_nonresponse(result, key),
        number_parts=number_part_tables(result, key),
        date_months=date_month_tables(result, key),
    )


def _questions_of(result: AnalysisResult, table: pd.DataFrame, key: str) -> list[str]:
    """The questions of ``table`` that belong to field ``key`` (``NONE``: no field), in
    questionnaire order."""
    if table.empty:
        return []
    present = set(table[QUESTION].astype(str))
    questions = result.meta.questions
    return [
        str(q) for q in questions.index if str(q) in present and str(questions.at[q, FIELD]) == key
    ]


def _positions(result: AnalysisResult, question: str) -> dict[str, int]:
    """Questionnaire position of each item and each option (matrix column) of ``question``."""
    meta = result.meta
    positions: dict[str, int] = {}
    for frame, column in ((meta.items, ITEM), (meta.options, OPTION)):
        mine = frame[frame[QUESTION] == question]
        positions.update(zip(mine[column].astype(str), mine["position"].astype(int), strict=True))
    return positions


def _shown(value: Any, digits: int = 0) -> str | None:
    """German number, ``None`` for a hidden cell."""
    return None if is_missing(value) else number(value, digits)


def number_part_tables(result: AnalysisResult, key: str) -> list[dict[str, Any]]:
    """One table per multiple number entry or number matrix of field ``key``: per group
    the rows of each number (matrix: item – column) with n, mean, median and sum."""
    table = result.number_parts
    out = []
    for question in _questions_of(result, table, key):
        order = _positions(result, question)
        groups = []
        for group in groups_shown(result):
            part = rows(table, **{QUESTION: question, GROUP: group})
            if not part:
                continue
            part.sort(key=lambda r: (order.get(str(r[ITEM]), 0), order.get(str(r[OPTION]), 0)))
            groups.append(
                {
                    "label": group_label(result, group),
                    "rows": [
                        {
                            "label": item_label(result, question, str(r[ITEM]))
                            + (
                                " – " + option_label(result.meta, question, str(r[OPTION]))
                                if str(r[OPTION]) != NONE
                                else ""
                            ),
                            "n": _shown(r["n"]),
                            "mean": _shown(r["mean"], 1),
                            "median": _shown(r["median"], 1),
                            "sum": _shown(r["sum"]),
                        }
                        for r in part
                    ],
                }
            )
        if groups:
            out.append(
                {"question": question, "text": item_label(result, question), "groups": groups}
            )
    return out


def date_month_tables(result: AnalysisResult, key: str) -> list[dict[str, Any]]:
    """One table per date question of field ``key``: per month the answers of each group
    (count and share of the group's answers), months in calendar order."""
    table = result.date_months
    out = []
    for question in _questions_of(result, table, key):
        mine = table[table[QUESTION].astype(str) == question]
        groups = [g for g in groups_shown(result) if g in set(mine[GROUP].astype(str))]
        months = sorted(set(mine["month"].astype(str)))
        cells = {(str(r[GROUP]), str(r["month"])): r for r in mine.to_dict("records")}
        body = []
        for month in months:
            year, number_of_month = month.split("-")
            row = []
            for group in groups:
                r = cells.get((group, month))
                row.append(
                    {"count": "0", "share": percent(0)}
                    if r is None and _group_shown(mine, group)
                    else {
                        "count": _shown(r["count"]) if r else None,
                        "share": None
                        if r is None or is_missing(r["share"])
                        else percent(r["share"]),
                    }
                )
            if not any(c["count"] not in (None, "0") for c in row):
                # Only hidden groups answered in this month: the row itself would tell.
                continue
            body.append({"label": f"{number_of_month}/{year}", "cells": row})
        respondents = []
        for group in groups:
            first = mine[mine[GROUP].astype(str) == group]["respondents"]
            respondents.append(_shown(first.iloc[0]) if len(first) else None)
        out.append(
            {
                "question": question,
                "text": item_label(result, question),
                "groups": [group_label(result, g) for g in groups],
                "respondents": respondents,
                "rows": body,
            }
        )
    return out


def _group_shown(mine: pd.DataFrame, group: str) -> bool:
    """Whether ``group``'s distribution is shown (its number of answers is not hidden)."""
    part = mine[mine[GROUP].astype(str) == group]["respondents"]
    return bool(len(part)) and not is_missing(part.iloc[0])


def _nonresponse(result: AnalysisResult, key: str) -> list[dict[str, Any]]:
    """One row per question (matrix: per item) of the field, hidden rows with ``None``."""
    table = result.nonresponse
    if table.empty:
        return []
    out = []
    for r in rows(table, **{FIELD: key}):
        question, item = str(r[QUESTION]), str(r[ITEM])
        out.append(
            {
                "text": item_label(result, question, item),
                "question": item_label(result, question) if item != NONE else "",
                "shown": r["shown"],
                "answered": r["answered_share"],
                "dont_know": r["dont_know_share"],
                "skipped": r["skipped_share"],
            }
        )
    return out


def comments_of(result: AnalysisResult, key: str, group: str | None, search: str) -> pd.DataFrame:
    """Comments of one field (only groups the privacy policy allows), filtered."""
    table = result.comments
    if table.empty:
        return table
    part = table[table[FIELD].astype(str) == key]
    if group:
        part = part[part[GROUP].astype(str) == group]
    if search:
        part = part[part["text"].str.contains(search, case=False, regex=False, na=False)]
    return part
