"""The public measures page: what the council adopted and how far it has come."""

from __future__ import annotations

from flask import abort, render_template, request

from app.extensions import db
from app.results import bp
from app.results.accountability import PublicMeasure, find_measure, public_measures
from app.workshop.labels import STATUS_LABELS
from surveys.models import MeasureStatus
from surveys.workshop.queries import fields_in_order


def filter_measures(items: list[PublicMeasure], field_key: str, status: str) -> list[PublicMeasure]:
    """Apply the page's filters (empty values do not filter)."""
    return [
        p
        for p in items
        if (not field_key or p.measure.goal.handlungsfeld.key == field_key)
        and (not status or p.status.value == status)
    ]


@bp.get("/massnahmen")
def measures() -> str:
    """Adopted goals and measures per Handlungsfeld, filterable by field and status."""
    fields = fields_in_order(db.session)
    field_key = request.args.get("feld", "")
    status = request.args.get("status", "")
    if field_key not in {f.key for f in fields}:
        field_key = ""
    if status not in {s.value for s in MeasureStatus}:
        status = ""
    everything = public_measures(db.session)
    shown = filter_measures(everything, field_key, status)
    return render_template(
        "results/measures.html",
        fields=fields,
        items=shown,
        total=len(everything),
        field_key=field_key,
        status=status,
        statuses=list(MeasureStatus),
        status_labels=STATUS_LABELS,
    )


@bp.get("/massnahmen/<int:measure_id>")
def measure_detail(measure_id: int) -> str:
    """One adopted measure with its public status history and the findings behind it."""
    item = find_measure(public_measures(db.session), measure_id)
    if item is None:
        abort(404)
    return render_template("results/measure.html", item=item, status_labels=STATUS_LABELS)
