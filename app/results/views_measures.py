"""The public measures page: what the council adopted and how far it has come."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request

from app.common.labels import STATUS_LABELS
from app.extensions import db
from app.results import bp
from app.results.accountability import PublicMeasure, find_measure, public_measures
from surveys.models import GoalAgreement, Handlungsfeld, MeasureStatus
from surveys.workshop.queries import fields_in_order


def filter_measures(
    items: list[PublicMeasure], field_key: str, status: str, period: int | None = None
) -> list[PublicMeasure]:
    """Apply the page's filters (empty values do not filter)."""
    return [
        p
        for p in items
        if (not field_key or p.measure.goal.handlungsfeld.key == field_key)
        and (not status or p.status.value == status)
        and (period is None or p.agreement.id == period)
    ]


def periods_of(items: list[PublicMeasure]) -> list[GoalAgreement]:
    """The agreements with public measures, newest period first."""
    agreements = {p.agreement.id: p.agreement for p in items}
    return sorted(agreements.values(), key=lambda a: a.period_start, reverse=True)


def progress_by_field(
    items: list[PublicMeasure], fields: list[Handlungsfeld]
) -> list[dict[str, Any]]:
    """Measures per Handlungsfeld and status (then all fields), for the summary table."""
    rows = []
    for hf in [*fields, None]:
        mine = [p for p in items if hf is None or p.measure.goal.handlungsfeld_id == hf.id]
        if hf is not None and not mine:
            continue
        counts = {s: sum(1 for p in mine if p.status == s) for s in MeasureStatus}
        done = counts[MeasureStatus.DONE]
        rows.append({"field": hf, "counts": counts, "total": len(mine), "done": done})
    return rows


@bp.get("/massnahmen")
def measures() -> str:
    """Adopted goals and measures per Handlungsfeld, filterable by period, field and status;
    by default the newest agreement period only, so 2019's and 2027's goals do not mix."""
    fields = list(fields_in_order(db.session))
    field_key = request.args.get("feld", "")
    status = request.args.get("status", "")
    if field_key not in {f.key for f in fields}:
        field_key = ""
    if status not in {s.value for s in MeasureStatus}:
        status = ""
    everything = public_measures(db.session)
    periods = periods_of(everything)
    asked = request.args.get("zeitraum", "")
    period: int | None
    if asked == "alle":
        period = None
    elif asked.isdigit() and int(asked) in {a.id for a in periods}:
        period = int(asked)
    else:
        period = periods[0].id if periods else None
    in_period = filter_measures(everything, "", "", period)
    shown = filter_measures(in_period, field_key, status)
    return render_template(
        "results/measures.html",
        fields=fields,
        items=shown,
        total=len(in_period),
        field_key=field_key,
        status=status,
        statuses=list(MeasureStatus),
        status_labels=STATUS_LABELS,
        periods=periods,
        period=period,
        default_period=periods[0].id if periods else None,
        progress=progress_by_field(in_period, fields),
    )


@bp.get("/massnahmen/<int:measure_id>")
def measure_detail(measure_id: int) -> str:
    """One adopted measure with its public status history and the findings behind it."""
    item = find_measure(public_measures(db.session), measure_id)
    if item is None:
        abort(404)
    return render_template("results/measure.html", item=item, status_labels=STATUS_LABELS)
