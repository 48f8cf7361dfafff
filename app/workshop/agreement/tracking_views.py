"""Tracking pages: status overview per field, status history and updates, CSV export/import."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.downloads import download
from app.extensions import db
from app.i18n import translate_error
from app.workshop import bp
from app.workshop.helpers import (
    actor,
    audit,
    conflict_redirect,
    field_errors,
    load_agreement,
    load_field,
    moderator_required,
)
from surveys.errors import Conflict, NotFound, ValidationError
from surveys.models import MeasureStatus
from surveys.workshop.csv_io import CsvImportError, decode, export_status_csv, import_status_csv
from surveys.workshop.goals import measure_in
from surveys.workshop.queries import fields_in_order
from surveys.workshop.tracking import (
    add_status_update,
    parse_update,
    status_counts,
    tracked_measures,
    yearly_progress,
)

Page = str | Response | tuple[str, int]
MAX_UPLOAD = 2 * 1024 * 1024


@bp.get("/<slug>/umsetzung")
@moderator_required
def tracking(slug: str) -> str:
    """Status of every measure of the newest version, per field and per year."""
    survey, agreement = load_agreement(slug)
    fields = list(fields_in_order(db.session))
    per_field = {f.key: status_counts(tracked_measures(agreement, f)) for f in fields}
    return render_template(
        "workshop/tracking.html",
        survey=survey,
        agreement=agreement,
        fields=fields,
        per_field=per_field,
        totals=status_counts(tracked_measures(agreement)),
        years=yearly_progress(agreement, fields, date.today()),
        statuses=list(MeasureStatus),
    )


def _render_field(
    slug: str, key: str, form_for: int | None, form: dict[str, str], errors: dict[str, str]
) -> str:
    survey, agreement = load_agreement(slug)
    field = load_field(key)
    return render_template(
        "workshop/tracking_field.html",
        survey=survey,
        agreement=agreement,
        field=field,
        fields=list(fields_in_order(db.session)),
        measures=tracked_measures(agreement, field),
        statuses=list(MeasureStatus),
        form_for=form_for,
        form=form,
        errors=errors,
        today=date.today(),
    )


@bp.get("/<slug>/umsetzung/<key>")
@moderator_required
def tracking_field(slug: str, key: str) -> str:
    """Measures of one field with their status history and an update form each."""
    return _render_field(slug, key, None, {}, {})


@bp.post("/<slug>/massnahmen/<int:measure_id>/status")
@moderator_required
def status_create(slug: str, measure_id: int) -> Page:
    """Record a status update; on errors show the field page again with the input kept."""
    _survey, agreement = load_agreement(slug)
    try:
        measure = measure_in(agreement, measure_id)
    except NotFound:
        abort(404)
    key = measure.goal.handlungsfeld.key
    form = request.form.to_dict()
    try:
        data = parse_update(form, date.today())
        add_status_update(db.session, measure, data, actor(), current_user.id)
    except Conflict as exc:
        return conflict_redirect(exc, "workshop.tracking_field", slug=slug, key=key)
    except ValidationError as exc:
        db.session.rollback()
        return _render_field(slug, key, measure_id, form, field_errors(exc)), 422
    db.session.commit()
    flash(_("Der Stand von Maßnahme %(code)s wurde gespeichert.", code=measure.code), "success")
    return redirect(
        url_for("workshop.tracking_field", slug=slug, key=key, _anchor=f"m-{measure.id}")
    )


@bp.get("/<slug>/status.csv")
@moderator_required
def status_export(slug: str) -> Response:
    """Every status update of the newest version as CSV (semicolon, UTF-8 with BOM)."""
    _survey, agreement = load_agreement(slug)
    return download(export_status_csv(agreement), "csv", f"massnahmen-status-{slug}")


@bp.route("/<slug>/status-import", methods=["GET", "POST"])
@moderator_required
def status_import(slug: str) -> Page:
    """Upload a CSV of status updates; every bad row is listed with its line number."""
    survey, agreement = load_agreement(slug)
    problems: list[tuple[int, str, str]] = []
    error = ""
    if request.method == "POST":
        upload = request.files.get("file")
        data = upload.read(MAX_UPLOAD + 1) if upload else b""
        if not data:
            error = _("Bitte wählen Sie eine CSV-Datei aus.")
        elif len(data) > MAX_UPLOAD:
            error = _("Die Datei ist größer als 2 MB.")
        else:
            try:
                result = import_status_csv(
                    db.session, agreement, decode(data), actor(), date.today(), current_user.id
                )
            except CsvImportError as exc:
                db.session.rollback()
                problems = [
                    (e.line, e.column, translate_error(e.message, e.params)) for e in exc.errors
                ]
                error = _("Die Datei wurde nicht übernommen. Bitte korrigieren Sie diese Zeilen:")
            except Conflict as exc:
                db.session.rollback()
                error = translate_error(exc.message, exc.params)
            else:
                audit(
                    "workshop.status_import",
                    survey,
                    f"{result.created} übernommen, {result.skipped} übersprungen",
                )
                db.session.commit()
                flash(
                    _(
                        "%(created)s Statusmeldungen übernommen, %(skipped)s bereits vorhandene "
                        "übersprungen.",
                        created=result.created,
                        skipped=result.skipped,
                    ),
                    "success",
                )
                return redirect(url_for("workshop.tracking", slug=slug))
    return render_template(
        "workshop/import.html", survey=survey, agreement=agreement, error=error, problems=problems
    ), (422 if error else 200)
