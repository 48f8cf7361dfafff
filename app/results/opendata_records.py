"""Open-data records: the published aggregates of a survey and the adopted measures.

Only suppressed analysis tables are read, so a hidden cell is ``None`` here (empty in CSV,
``null`` in JSON) and its row carries ``suppressed: true``. No raw response is ever read.
Text cells of the CSV are neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from analysis.columns import FIELD, GROUP, ITEM, NONE, QUESTION, TOTAL
from analysis.report import AnalysisResult
from app.results.accountability import PublicMeasure
from app.results.content import number, public_breakdowns, scale_of
from surveys.publication import Licence
from surveys.spreadsheet import BOM, csv_writer, neutralise

SCHEMA_VERSION = "1.0"
#: Columns of the survey CSV (``count_1`` .. ``count_7`` cover every scale up to 7 points).
MAX_POINTS = 7
SURVEY_COLUMNS = [
    "record",
    "field",
    "field_title",
    "question",
    "item",
    "text",
    "group",
    "group_label",
    "n",
    "mean",
    "score",
    "index",
    *[f"count_{p}" for p in range(1, MAX_POINTS + 1)],
    "breakdown",
    "breakdown_value",
    "breakdown_label",
    "suppressed",
    "licence",
]
MEASURE_COLUMNS = [
    "agreement",
    "resolution_date",
    "paper_number",
    "field",
    "field_title",
    "goal_code",
    "goal",
    "code",
    "title",
    "responsible_unit",
    "ends_on",
    "status",
    "last_update",
    "progress_note",
    "findings",
    "licence",
]


def _whole(value: Any) -> int | None:
    out = number(value)
    return None if out is None else round(out)


def _labels(
    result: AnalysisResult,
) -> tuple[dict[str, str], dict[str, str], dict[tuple[str, str], str]]:
    meta = result.meta
    groups = {str(k): str(v) for k, v in meta.groups["label"].items()}
    groups[TOTAL] = "Alle Befragten"
    fields = {str(k): str(r["title"]) for k, r in meta.fields.iterrows()}
    texts = {(str(r[QUESTION]), str(r[ITEM])): str(r["text"]) for _, r in meta.items.iterrows()}
    for key, row in meta.questions.iterrows():
        texts[(str(key), NONE)] = str(row["text"])
    return groups, fields, texts


def survey_records(
    result: AnalysisResult, breakdowns: Iterable[str] = ()
) -> dict[str, list[dict[str, Any]]]:
    """Return the records ``responses``, ``items`` and ``field_index`` of a survey, and
    ``breakdown_index`` for the breakdown questions staff published (``breakdowns``)."""
    out: dict[str, list[dict[str, Any]]] = {"responses": [], "items": [], "field_index": []}
    chosen = set(breakdowns)
    if chosen:
        out["breakdown_index"] = []
    if result.too_few:
        return out
    groups, fields, texts = _labels(result)
    for _, row in result.responses.iterrows():
        group = str(row[GROUP])
        n = _whole(row["n"])
        out["responses"].append(
            {
                "group": group,
                "group_label": groups.get(group, group),
                "n": n,
                "suppressed": n is None,
            }
        )
    for _, row in result.scale.iterrows():
        question, item, group = str(row[QUESTION]), str(row[ITEM]), str(row[GROUP])
        labels = scale_of(result, question)
        distribution = [
            {
                "point": p,
                "label": labels[p - 1] if p <= len(labels) else "",
                "count": _whole(row.get(f"count_{p}")),
                "share": number(row.get(f"share_{p}")),
            }
            for p in range(1, len(labels) + 1)
        ]
        cells = [number(row["n"]), number(row["mean"])] + [d["count"] for d in distribution]
        out["items"].append(
            {
                "field": str(row[FIELD]) or None,
                "question": question,
                "item": item or None,
                "text": texts.get((question, item)) or texts.get((question, NONE), ""),
                "group": group,
                "group_label": groups.get(group, group),
                "n": _whole(row["n"]),
                "mean": number(row["mean"]),
                "score": number(row["score"]),
                "distribution": distribution,
                "suppressed": any(c is None for c in cells),
            }
        )
    for _, row in result.field_index.iterrows():
        key, group = str(row[FIELD]), str(row[GROUP])
        index = number(row["index"])
        out["field_index"].append(
            {
                "field": key,
                "field_title": fields.get(key, key),
                "group": group,
                "group_label": groups.get(group, group),
                "n": _whole(row["n"]),
                "index": index,
                "suppressed": index is None or number(row["n"]) is None,
            }
        )
    if chosen:
        out["breakdown_index"] = _breakdown_records(result, chosen, fields)
    return out


def _breakdown_records(
    result: AnalysisResult, chosen: set[str], fields: dict[str, str]
) -> list[dict[str, Any]]:
    """The published breakdown tables, one record per answer and Handlungsfeld."""
    records = []
    for table in public_breakdowns(result):
        if table.key not in chosen:
            continue
        for row in table.rows:
            for (key, _number, _title), index in zip(table.fields, row.index, strict=True):
                records.append(
                    {
                        "breakdown": table.key,
                        "breakdown_text": table.text,
                        "value": row.value,
                        "value_label": row.label,
                        "field": key,
                        "field_title": fields.get(key, key),
                        "index": index,
                        "suppressed": index is None,
                    }
                )
    return records


def survey_csv_rows(records: dict[str, list[dict[str, Any]]], licence: Licence) -> list[list[Any]]:
    """Flatten the survey records into CSV rows (header first)."""
    rows: list[list[Any]] = [SURVEY_COLUMNS]
    note = f"{licence.name} ({licence.url})"

    def row(**values: Any) -> list[Any]:
        values.setdefault("licence", note)
        return [values.get(c) for c in SURVEY_COLUMNS]

    for r in records["responses"]:
        rows.append(
            row(
                record="responses",
                group=r["group"],
                group_label=r["group_label"],
                n=r["n"],
                suppressed=r["suppressed"],
            )
        )
    for r in records["items"]:
        counts = {f"count_{d['point']}": d["count"] for d in r["distribution"]}
        rows.append(
            row(
                record="item",
                field=r["field"],
                question=r["question"],
                item=r["item"],
                text=r["text"],
                group=r["group"],
                group_label=r["group_label"],
                n=r["n"],
                mean=r["mean"],
                score=r["score"],
                suppressed=r["suppressed"],
                **counts,
            )
        )
    for r in records["field_index"]:
        rows.append(
            row(
                record="field_index",
                field=r["field"],
                field_title=r["field_title"],
                group=r["group"],
                group_label=r["group_label"],
                n=r["n"],
                index=r["index"],
                suppressed=r["suppressed"],
            )
        )
    for r in records.get("breakdown_index", []):
        rows.append(
            row(
                record="breakdown_index",
                field=r["field"],
                field_title=r["field_title"],
                question=r["breakdown"],
                text=r["breakdown_text"],
                breakdown=r["breakdown"],
                breakdown_value=r["value"],
                breakdown_label=r["value_label"],
                index=r["index"],
                suppressed=r["suppressed"],
            )
        )
    return rows


def measure_records(items: Iterable[PublicMeasure]) -> list[dict[str, Any]]:
    """Return one record per adopted measure with its public status."""
    out = []
    for p in items:
        m, goal = p.measure, p.measure.goal
        out.append(
            {
                "agreement": p.agreement.title,
                "resolution_date": p.version.resolution_date.isoformat()
                if p.version.resolution_date
                else None,
                "paper_number": p.version.paper_number,
                "field": goal.handlungsfeld.key,
                "field_title": goal.handlungsfeld.title,
                "goal_code": goal.code,
                "goal": goal.title,
                "code": m.code,
                "title": m.title,
                "responsible_unit": m.responsible_unit,
                "ends_on": m.ends_on.isoformat() if m.ends_on else None,
                "status": p.status.value,
                "last_update": p.last_date.isoformat() if p.last_date else None,
                "progress_note": p.last_update.note if p.last_update else "",
                "findings": [text for text, is_comment in p.findings if not is_comment],
            }
        )
    return out


def measure_csv_rows(records: Sequence[dict[str, Any]], licence: Licence) -> list[list[Any]]:
    """Flatten measure records into CSV rows (findings joined by " | ")."""
    rows: list[list[Any]] = [MEASURE_COLUMNS]
    note = f"{licence.name} ({licence.url})"
    for r in records:
        values = {**r, "findings": " | ".join(r["findings"]), "licence": note}
        rows.append([values.get(c) for c in MEASURE_COLUMNS])
    return rows


def to_csv(rows: Iterable[Sequence[Any]]) -> str:
    """Semicolon-separated UTF-8 CSV with BOM; text cells neutralised, ``None`` empty."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    for row in rows:
        writer.writerow(
            [
                ""
                if v is None
                else ("true" if v is True else "false" if v is False else neutralise(v))
                for v in row
            ]
        )
    return BOM + buffer.getvalue()
