"""What the public results page and the open data show, built from the suppressed analysis.

Every number here comes from :func:`analysis.report.run_full_analysis`, whose tables have all
passed :mod:`analysis.privacy`; a suppressed cell stays ``None``. The analysis of a published
survey is cached per publication time (a closed survey's answers no longer change).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from analysis.columns import FIELD, GROUP, ITEM, NONE, OPTION, QUESTION, TEXT, TOTAL
from analysis.labels import option_labels
from analysis.polarity import MARKER, reversed_pairs
from analysis.privacy import Policy
from analysis.report import AnalysisResult, breakdown_grids, run_full_analysis
from surveys.publication import comment_key
from surveys.queries import data_version

_CACHE: OrderedDict[tuple[int, str, int], AnalysisResult] = OrderedDict()
_LOCK = threading.Lock()
_CACHE_SIZE = 4


def analysis_for(engine: Engine, survey_id: int, stamp: datetime | None, policy: Policy) -> Any:
    """Return the (cached) full analysis of a survey.

    The key holds the survey's data version (:func:`surveys.queries.data_version`: last
    change, response count, highest response id) and the publication time, so a reused id, a
    reopened survey or free text purged in another process never gets a stale analysis.
    """
    with engine.connect() as conn:
        version = data_version(conn, survey_id)
    key = (
        survey_id,
        f"{'|'.join(map(str, version))}|{stamp.isoformat() if stamp else ''}",
        policy.min_cell * 1000 + policy.min_text,
    )
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    result = run_full_analysis(engine, survey_id, policy=policy)
    with _LOCK:
        _CACHE[key] = result
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def clear_cache() -> None:
    """Forget cached analyses (tests, after a survey changed)."""
    with _LOCK:
        _CACHE.clear()


def number(value: Any) -> float | None:
    """Return a plain float, ``None`` for suppressed or missing cells."""
    if value is None or value is pd.NA:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def scale_of(result: AnalysisResult, question: str) -> list[str]:
    """Return the scale labels of a question (low to high; empty if it has none)."""
    value: Any = result.meta.questions["scale"].get(question)
    return [str(x) for x in value] if value is not None else []


@dataclass
class ItemRow:
    """One scale item of the total: text, n, mean, score and shares per point."""

    question: str
    item: str
    text: str
    n: float | None
    mean: float | None
    score: float | None
    shares: list[float | None]


@dataclass
class ChartPart:
    """The items of one scale (same labels) in a field: a chart and its data table."""

    key: str
    scale: list[str]
    rows: list[ItemRow]
    role: str = ""


@dataclass
class FieldSummary:
    """A Handlungsfeld's summary: index per group, strengths, weaknesses, priorities, charts."""

    key: str
    number: int
    title: str
    index: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    strengths: list[tuple[str, float | None]] = field(default_factory=list)
    weaknesses: list[tuple[str, float | None]] = field(default_factory=list)
    priorities: list[tuple[str, str, float | None]] = field(default_factory=list)
    charts: list[ChartPart] = field(default_factory=list)


@dataclass
class Comment:
    """A comment that may be published (its group has enough comments)."""

    key: str
    field: str
    group: str
    question: str
    text: str


@dataclass
class BreakdownRow:
    """One answer of a breakdown question: its label, the index per field (``None`` where
    hidden or without data) and the respondents (``None`` where hidden)."""

    value: str
    label: str
    index: list[float | None]
    n: float | None


@dataclass
class BreakdownTable:
    """The index per Handlungsfeld for every answer of one breakdown question (Stadtteil)."""

    key: str
    text: str
    #: (field key, number, title) of the columns.
    fields: list[tuple[str, int, str]]
    rows: list[BreakdownRow]


@dataclass
class PublicResults:
    """Everything the results page can show; ``too_few`` when nothing may be shown."""

    too_few: bool
    total: float | None = None
    groups: list[tuple[str, float | None]] = field(default_factory=list)
    fields: list[FieldSummary] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    #: Every breakdown question's table; the page shows those staff chose.
    breakdowns: list[BreakdownTable] = field(default_factory=list)


def _labels(result: AnalysisResult) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    meta = result.meta
    groups = {str(k): str(v) for k, v in meta.groups["label"].items()}
    groups[TOTAL] = "Alle Befragten"
    items = {(str(r[QUESTION]), str(r[ITEM])): str(r["text"]) for _, r in meta.items.iterrows()}
    for key, row in meta.questions.iterrows():
        items.setdefault((str(key), NONE), str(row["text"]))
    for pair in reversed_pairs(meta) & set(items):  # scored reversed: say so
        items[pair] = f"{items[pair]} {MARKER}"
    return groups, items


def _item_text(items: dict[tuple[str, str], str], question: str, item: str) -> str:
    return items.get((question, item)) or items.get((question, NONE)) or question


def _charts(result: AnalysisResult, key: str, items: dict[tuple[str, str], str]) -> list[ChartPart]:
    scale = result.scale
    if scale.empty:
        return []
    rows = scale[(scale[FIELD] == key) & (scale[GROUP].astype(str) == TOTAL)]
    parts: dict[tuple[str, ...], ChartPart] = {}
    for _, row in rows.iterrows():
        question = str(row[QUESTION])
        labels = tuple(scale_of(result, question))
        if not labels:
            continue
        role = str(row["role"] or "")
        part = parts.setdefault(
            (role, *labels), ChartPart(f"{key}-{len(parts) + 1}", list(labels), [], role)
        )
        shares = [number(row.get(f"share_{p}")) for p in range(1, len(labels) + 1)]
        part.rows.append(
            ItemRow(
                question,
                str(row[ITEM]),
                _item_text(items, question, str(row[ITEM])),
                number(row["n"]),
                number(row["mean"]),
                number(row["score"]),
                shares,
            )
        )
    return list(parts.values())


def _field(
    result: AnalysisResult,
    key: str,
    groups: dict[str, str],
    items: dict[tuple[str, str], str],
) -> FieldSummary:
    info = result.meta.fields.loc[key]
    summary = FieldSummary(key, int(str(info["number"])), str(info["title"]))
    idx = result.field_index
    for _, row in idx[idx[FIELD].astype(str) == key].iterrows():
        group = str(row[GROUP])
        summary.index.append((groups.get(group, group), number(row["index"]), number(row["n"])))
    summary.index.sort(key=lambda r: r[0] == groups[TOTAL])
    sw = result.strengths
    mine = sw[(sw[FIELD].astype(str) == key) & (sw[GROUP].astype(str) == TOTAL)]
    for _, row in mine.iterrows():
        text = _item_text(items, str(row[QUESTION]), str(row[ITEM]))
        target = summary.strengths if row["kind"] == "strength" else summary.weaknesses
        target.append((text, number(row["score"])))
    rk = result.rankings
    if not rk.empty:
        mine = rk[(rk[FIELD].astype(str) == key) & (rk[GROUP].astype(str) == TOTAL)]
        options = result.meta.options
        option_labels = {
            (str(r[QUESTION]), str(r[OPTION])): str(r["label"]) for _, r in options.iterrows()
        }
        for question, part in mine.groupby(QUESTION, sort=True):
            shown = part[part["borda"].notna()].sort_values("borda", ascending=False).head(3)
            for _, row in shown.iterrows():
                label = option_labels.get((str(question), str(row[OPTION])), str(row[OPTION]))
                summary.priorities.append(
                    (_item_text(items, str(question), NONE), label, number(row["top3_share"]))
                )
    summary.charts = _charts(result, key, items)
    return summary


def public_breakdowns(result: AnalysisResult) -> list[BreakdownTable]:
    """The suppressed :attr:`AnalysisResult.breakdown_index` as one table per question."""
    _groups, items = _labels(result)
    labels = option_labels(result.meta)
    sizes = result.breakdown_sizes
    fields = [
        (str(k), int(str(m["number"])), str(m["title"]))
        for k, m in result.meta.fields.sort_values("number").iterrows()
    ]
    out = []
    for key, grid in breakdown_grids(result, [f for f, _n, _t in fields]):
        counts = sizes[sizes["breakdown"] == key].set_index("value")["n"]
        rows = [
            BreakdownRow(
                value,
                "Alle Befragten" if value == TOTAL else labels.get((key, value), value),
                [
                    None if r is None or bool(r.get("suppressed")) else number(r["index"])
                    for r in records
                ],
                number(counts.get(value)),
            )
            for value, records in grid
        ]
        out.append(BreakdownTable(key, _item_text(items, key, NONE), fields, rows))
    return out


def has_content(summary: FieldSummary) -> bool:
    """Whether a field has anything to show (a field without questions has not)."""
    return bool(
        summary.index
        or summary.strengths
        or summary.weaknesses
        or summary.priorities
        or summary.charts
    )


def public_results(result: AnalysisResult) -> PublicResults:
    """Build the public view of a survey's (already suppressed) analysis."""
    if result.too_few:
        return PublicResults(too_few=True)
    groups, items = _labels(result)
    out = PublicResults(too_few=False)
    for _, row in result.responses.iterrows():
        group = str(row[GROUP])
        if group == TOTAL:
            out.total = number(row["n"])
        else:
            out.groups.append((groups.get(group, group), number(row["n"])))
    for key in result.meta.fields.sort_values("number").index:
        summary = _field(result, str(key), groups, items)
        if has_content(summary):
            out.fields.append(summary)
    out.breakdowns = public_breakdowns(result)
    comments = result.comments
    for _, row in comments.iterrows():
        question, group = str(row[QUESTION]), str(row[GROUP])
        out.comments.append(
            Comment(
                comment_key(question, group, str(row[TEXT])),
                str(row[FIELD]),
                groups.get(group, group),
                _item_text(items, question, NONE),
                str(row[TEXT]),
            )
        )
    return out
