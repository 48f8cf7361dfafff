"""View model of one Handlungsfeld for the dashboard page and the Workshop-Mappe.

Selects the rows of one field from an :class:`~analysis.report.AnalysisResult` (already
suppressed), attaches German labels and renders the figures through :mod:`analysis.charts`.
No statistic is computed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from analysis import charts
from analysis.frames import FIELD, GROUP, ITEM, QUESTION
from analysis.labels import VALUE_LABELS
from analysis.questions import item_text, option_label
from analysis.report import AnalysisResult
from app.workshop.dashboard_data import (
    group_label,
    groups_shown,
    image,
    is_missing,
    number,
    percent,
    rows,
)


def short(text: str, width: int = 55) -> str:
    """Collapse whitespace and cut ``text`` to ``width`` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Figure:
    """A chart with its alt text and the rows of its accessible table."""

    title: str
    src: str
    alt: str
    rows: list[dict[str, Any]] = field(default_factory=list)


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


def _cache_key(result: AnalysisResult, *parts: Any) -> tuple[Any, ...]:
    return (result.meta.survey_id, result.filters, result.n_responses, *parts)


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
                "index_then": then[0]["index_then"] if then else None,
            }
        )
    return out


def _likert(result: AnalysisResult, key: str, only: set[str] | None) -> list[dict[str, Any]]:
    scale = result.scale
    if scale.empty:
        return []
    mine = scale[scale[FIELD].astype(str) == key]
    out = []
    for question, part in mine.groupby(QUESTION, sort=False, observed=True):
        q = str(question)
        labels = [str(x) for x in result.meta.questions.at[q, "scale"]]  # type: ignore[union-attr]
        q_text = item_text(result.meta, q)
        figures = []
        for group in groups_shown(result):
            sub = part[(part[GROUP].astype(str) == group)]
            if sub.empty or (only is not None and group not in only):
                continue
            texts = [item_text(result.meta, q, str(i)) for i in sub[ITEM]]
            table = [
                {
                    "item": text,
                    "n": r["n"],
                    "shares": [percent(r[f"share_{p}"]) for p in range(1, len(labels) + 1)],
                    "score": number(r["score"]),
                    "dont_know": percent(r["dont_know_share"]),
                }
                for text, r in zip(texts, sub.to_dict("records"), strict=True)
            ]
            shown = sub[sub["score"].notna()]
            if shown.empty:
                figures.append(Figure(group_label(result, group), "", "", table))
                continue
            ordered = shown.sort_values("score")
            best, worst = ordered.iloc[-1], ordered.iloc[0]
            alt = (
                f"Gestapeltes Balkendiagramm „{short(q_text, 80)}“, {group_label(result, group)}: "
                f"am besten bewertet „{short(item_text(result.meta, q, str(best[ITEM])))}“ "
                f"(Wert {number(best['score'])} von 100), am schlechtesten "
                f"„{short(item_text(result.meta, q, str(worst[ITEM])))}“ "
                f"(Wert {number(worst['score'])}). Alle Zahlen in der Tabelle."
            )
            src = image(
                _cache_key(result, "likert", q, group),
                partial(
                    charts.likert_bars,
                    sub,
                    [short(t, 45) for t in texts],
                    labels,
                    min_cell=result.policy.min_cell,
                ),
            )
            figures.append(Figure(group_label(result, group), src, alt, table))
        out.append({"question": q, "text": q_text, "scale": labels, "figures": figures})
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
        out.append({"text": item_text(result.meta, str(question)), "groups": groups})
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
                    "item": item_text(result.meta, str(r[QUESTION]), str(r[ITEM])),
                    "score": number(r["score"]),
                    "top2": percent(r["top2_share"]),
                    "n": r["n"],
                }
                for r in sorted(part, key=lambda r: r["rank"])
                if r["kind"] == kind
            ]
            for kind in ("strength", "weakness")
        }
        out.append({"label": group_label(result, group), **entries})
    return out


def _ipa(result: AnalysisResult, key: str, only: set[str] | None) -> list[Figure]:
    table = result.importance_performance
    if table.empty:
        return []
    figures = []
    items = dict(zip(result.meta.items[ITEM], result.meta.items["text"], strict=False))
    for group in groups_shown(result):
        part = table[(table[FIELD].astype(str) == key) & (table[GROUP].astype(str) == group)]
        if part.empty or (only is not None and group not in only):
            continue
        focus = part[part["quadrant"] == "focus"]
        table_rows = [
            {
                "item": str(items.get(r["item"], r["item"])),
                "importance": number(r["importance"]),
                "satisfaction": number(r["satisfaction"]),
                "gap": number(r["gap"]),
                "quadrant": VALUE_LABELS.get(str(r["quadrant"]), str(r["quadrant"])),
            }
            for r in part.sort_values("gap", ascending=False).to_dict("records")
        ]
        focus_text = ", ".join(f"„{short(str(items.get(i, i)), 50)}“" for i in focus["item"])
        alt = (
            f"Streudiagramm Wichtigkeit gegen Zufriedenheit, {group_label(result, group)}: "
            f"{len(part)} Aussagen. "
            + (f"Hier ansetzen (wichtig, wenig zufrieden): {focus_text}. " if focus_text else "")
            + "Alle Werte in der Tabelle."
        )
        src = image(
            _cache_key(result, "ipa", key, group),
            partial(
                charts.importance_performance_chart,
                part,
                VALUE_LABELS,
                item_labels={str(k): short(str(v), 30) for k, v in items.items()},
            ),
        )
        figures.append(Figure(group_label(result, group), src, alt, table_rows))
    return figures


def _differences(result: AnalysisResult, key: str) -> list[dict[str, Any]]:
    table = result.group_differences
    if table.empty:
        return []
    part = table[(table[FIELD].astype(str) == key) & (table["significant"] == True)]  # noqa: E712
    part = part.reindex(part["difference"].abs().sort_values(ascending=False).index)
    return [
        {
            "item": item_text(result.meta, str(r[QUESTION]), str(r[ITEM])),
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


def _baseline(result: AnalysisResult, key: str) -> list[dict[str, Any]]:
    table = result.baseline_items
    if table.empty:
        return []
    group = result.filters.group or "total"
    part = table[(table[FIELD].astype(str) == key) & (table[GROUP].astype(str) == group)]
    return [
        {
            "item": item_text(result.meta, str(r[QUESTION]), str(r[ITEM])),
            "then": number(r["score_then"]),
            "now": number(r["score_now"]),
            "change": number(r["change"], 1, sign=True),
            "significant": r["significant"] is True,
            "n_then": r["n_then"],
            "n_now": r["n_now"],
        }
        for r in part.sort_values("change").to_dict("records")
    ]


def _words(result: AnalysisResult, key: str, only: set[str] | None) -> list[Figure]:
    words = result.words
    if words.empty:
        return []
    figures = []
    for group in groups_shown(result):
        part = words[(words[FIELD].astype(str) == key) & (words[GROUP].astype(str) == group)]
        part = part[part["count"].notna()]
        if part.empty or (only is not None and group not in only):
            continue
        freq = dict(zip(part["word"].head(80), part["count"].head(80).astype(float), strict=True))
        top = part.head(15)
        alt = (
            f"Wortwolke der Kommentare, {group_label(result, group)}. Häufigste Wörter: "
            + ", ".join(str(w) for w in top["word"].head(8))
            + ". Häufigkeiten in der Tabelle."
        )
        src = image(_cache_key(result, "words", key, group), partial(charts.wordcloud_png, freq))
        table_rows = [
            {"word": r["word"], "count": r["count"], "comments": r["comments"]}
            for r in top.to_dict("records")
        ]
        figures.append(Figure(group_label(result, group), src, alt, table_rows))
    return figures


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
        likert=_likert(result, key, only),
        rankings=_rankings(result, key),
        strengths=_strengths(result, key),
        ipa=_ipa(result, key, only),
        differences=_differences(result, key),
        baseline=_baseline(result, key),
        words=_words(result, key, only),
        themes=_themes(result, key),
    )


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
