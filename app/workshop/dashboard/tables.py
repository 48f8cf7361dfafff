"""Tables of the dashboard overview and the Workshop-Mappe, as rows for the templates.

Both the overview page (:mod:`app.workshop.dashboard.views`) and the Mappe
(:mod:`app.workshop.handout.mappe`) show them, so they live here, apart from either. Every number
comes from the suppressed tables of :class:`~analysis.report.AnalysisResult`; a hidden row
arrives as ``None`` and is shown as "•".
"""

from __future__ import annotations

from typing import Any

from analysis.frames import GROUP, TOTAL
from analysis.labels import option_labels
from analysis.report import AnalysisResult, breakdown_grids
from app.workshop.dashboard.data import groups_shown, is_missing, item_label
from app.workshop.dashboard.field import index_rows


def overview_rows(result: AnalysisResult) -> list[dict[str, Any]]:
    """One row per Handlungsfeld with the index cell of every group shown."""
    out = []
    for key, meta in result.meta.fields.iterrows():
        cells = {r["group"]: r for r in index_rows(result, str(key))}
        out.append(
            {
                "key": str(key),
                "number": meta["number"],
                "title": meta["title"],
                "cells": [cells.get(g) for g in groups_shown(result)],
            }
        )
    return out


def language_rows(result: AnalysisResult) -> list[dict[str, Any]]:
    """One row per language (then the total): code, ``n`` per group shown, share of all.

    The counts come from the suppressed :attr:`AnalysisResult.languages_by_group` (``None``
    where hidden); the share from :attr:`AnalysisResult.languages`, hidden alike.
    """
    table = result.languages_by_group
    if table.empty:
        return []
    by_group = {str(r[GROUP]): r for r in table.to_dict("records")}
    shares = {str(r["language"]): r["share"] for r in result.languages.to_dict("records")}
    codes = [c for c in table.columns if c not in (GROUP, "n", "suppressed")]
    shown = groups_shown(result)
    out = []
    for code in [*codes, TOTAL]:
        column = "n" if code == TOTAL else code
        out.append(
            {
                "code": code,
                "cells": [by_group[g][column] if g in by_group else 0 for g in shown],
                "share": shares.get(code),
            }
        )
    return out


def breakdown_rows(result: AnalysisResult) -> list[dict[str, Any]]:
    """One table per breakdown question ("Auswertungsmerkmal"): a row per answer (then all
    respondents), a cell per Handlungsfeld with index and ``n`` (``None`` without a row).

    The question the filters already narrow to one answer is left out: it would have one row.
    """
    active = result.filters.breakdown[0] if result.filters.breakdown else None
    labels = option_labels(result.meta)
    out = []
    for key, grid in breakdown_grids(result, [str(k) for k in result.meta.fields.index]):
        if key == active:
            continue
        rows = [
            {
                "value": value,
                "label": "" if value == TOTAL else labels.get((key, value), value),
                "cells": [
                    None
                    if r is None
                    else {
                        "hidden": bool(r.get("suppressed")) or is_missing(r.get("index")),
                        "index": r["index"],
                        "n": r["n"],
                    }
                    for r in records
                ],
            }
            for value, records in grid
        ]
        out.append({"key": key, "text": item_label(result, key), "rows": rows})
    return out
