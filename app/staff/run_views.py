"""Running a survey: response counts, access codes, letters by post and the raw export."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from app.auth import role_required
from app.config import PROJECT_ROOT
from app.downloads import download
from app.extensions import db
from app.i18n import translate_label
from app.jobs import queue as jobs
from app.language_stats import language_breakdown
from app.rate_tables import rate_text, rates_of
from app.staff import bp, export_job
from app.staff.helpers import actor, apply_errors, get_survey_or_404
from app.suppression import configured_policy
from surveys.access_codes import MAX_BATCH, code_counts, generate_access_codes
from surveys.audit import Action, record
from surveys.errors import FieldError, ValidationError
from surveys.exports import csv_chunks, xlsx_chunks
from surveys.i18n import N_
from surveys.models import Role, Survey, TargetGroup
from surveys.monitoring import counts_by_group_and_channel, counts_by_week
from surveys.postal import (
    MAX_LETTERS,
    Letter,
    batches_of,
    check_batch,
    code_sheet_csv,
    create_batch,
    parse_addresses,
    qr_svg_data_uri,
    require_code_mode,
)
from surveys.statistics_export import WRITERS as STATISTICS_WRITERS

CHANNEL_LABELS = {"online": "Online", "paper": "Papier"}


@bp.get("/umfragen/<int:survey_id>/ruecklauf")
@role_required(Role.STAFF)
def run_overview(survey_id: int) -> str:
    """Response counts per target group, channel and week; links to codes and exports."""
    survey = get_survey_or_404(survey_id)
    generated, used = code_counts(db.session, survey)
    return render_template(
        "staff/run_overview.html",
        survey=survey,
        by_group=counts_by_group_and_channel(db.session, survey),
        by_week=counts_by_week(db.session, survey),
        channel_labels=CHANNEL_LABELS,
        codes_generated=generated,
        codes_used=used,
        by_language=language_breakdown(survey),
        min_cell=configured_policy().min_cell,
        rates=rates_of(survey),
        rate_text=rate_text,
    )


@bp.route("/umfragen/<int:survey_id>/zugangscodes", methods=["GET", "POST"])
@role_required(Role.STAFF)
def run_codes(survey_id: int) -> str | tuple[str, int]:
    """Generate single-use access codes and show them once as a printable list."""
    survey = get_survey_or_404(survey_id)
    generated, used = code_counts(db.session, survey)
    if request.method == "GET":
        return render_template(
            "staff/codes_form.html",
            survey=survey,
            errors={},
            values={"count": "50"},
            generated=generated,
            used=used,
            max_batch=MAX_BATCH,
        )
    raw = request.form.get("count", "").strip()
    try:
        count = int(raw) if raw.isdigit() else -1
        codes = generate_access_codes(db.session, survey, count)
    except ValidationError as exc:
        db.session.rollback()
        return render_template(
            "staff/codes_form.html",
            survey=survey,
            errors=apply_errors(exc.errors),
            values={"count": raw},
            generated=generated,
            used=used,
            max_batch=MAX_BATCH,
        ), 422
    record(db.session, actor(), Action.CODES_GENERATE, survey=survey, details=f"{count} Codes")
    db.session.commit()
    return render_template("staff/codes_print.html", survey=survey, codes=codes)


def _csv_stream(engine: Engine, survey_id: int) -> Iterator[str]:
    """The CSV export in pieces, read through its own session: the response is sent after
    the request's session has ended, and a download never started holds no connection."""
    with Session(engine) as session:
        survey = session.get(Survey, survey_id)
        if survey is not None:
            yield from csv_chunks(session, survey)


def _xlsx_stream(engine: Engine, survey_id: int) -> Iterator[bytes]:
    """The XLSX export in pieces, read through its own session (as :func:`_csv_stream`)."""
    with Session(engine) as session:
        survey = session.get(Survey, survey_id)
        if survey is not None:
            yield from xlsx_chunks(session, survey)


@bp.get("/umfragen/<int:survey_id>/export.<any(csv, xlsx, sav, dta, zip):fmt>")
@role_required(Role.STAFF)
def run_export(survey_id: int, fmt: str) -> Response:
    """Download the anonymous responses (one row per response) with a codebook; also for
    SPSS (sav), Stata (dta) and R (zip: CSV, script, codebook), raw data like the others."""
    survey = get_survey_or_404(survey_id)
    record(db.session, actor(), Action.RESPONSES_EXPORT, survey=survey, details=fmt.upper())
    db.session.commit()
    stamp = date.today().isoformat()
    name = f"{survey.slug}-antworten-{stamp}"
    if fmt in STATISTICS_WRITERS:
        stem = f"{name}-r" if fmt == "zip" else name
        return download(STATISTICS_WRITERS[fmt](db.session, survey), fmt, stem)
    if fmt == "csv":
        # Sent while it is written, a batch of responses at a time (surveys.exports).
        return download(_csv_stream(db.engine, survey.id), "csv", name)
    if export_job.runs_as_job(survey):  # a large survey's workbook: made by the worker
        params, version = export_job.job_params(survey)
        started = jobs.start(export_job.TASK, params, actor(), (Role.STAFF,), version=version)
        if isinstance(started, str):
            return redirect(url_for("jobs.page", job_id=started), 303)
    # Sent while it is written too: the zip's entries stream (surveys.xlsx_stream).
    return download(_xlsx_stream(db.engine, survey.id), "xlsx", name)


# --- Befragung per Post: batches of codes, letters (PDF), code sheets, reminders ------------

OUTPUTS = ("letters", "sheet")
POSTAL_FIELDS = ("stratum", "target_group", "output", "count", "letters_sent", "contact")
REMINDER_FIELDS = ("reminder_group", "reminder_contact")


def _postal_page(
    survey: Survey, errors: list[FieldError], values: dict[str, str], status: int = 200
) -> tuple[str, int]:
    groups = [("", _("alle Zielgruppen"))] + [
        (g.key, translate_label(g.label)) for g in survey.target_groups
    ]
    return render_template(
        "staff/postal.html",
        survey=survey,
        batches=batches_of(db.session, survey),
        errors=apply_errors(errors),
        values=values,
        group_choices=groups,
        output_choices=[
            ("letters", _("Serienbrief (PDF) mit Adressen")),
            ("sheet", _("Code-Liste (CSV) für die Druckerei")),
        ],
        max_batch=MAX_BATCH,
        max_letters=MAX_LETTERS,
    ), status


@bp.get("/umfragen/<int:survey_id>/post")
@role_required(Role.STAFF)
def postal(survey_id: int) -> tuple[str, int]:
    """The mailings of a survey and the forms for a new batch and for reminder letters."""
    survey = get_survey_or_404(survey_id)
    contact = current_app.config["MUNICIPALITY"]
    return _postal_page(
        survey, [], {"output": "letters", "contact": contact, "reminder_contact": contact}
    )


def _group(survey: Survey, key: str, field: str) -> tuple[TargetGroup | None, list[FieldError]]:
    if not key:
        return None, []
    group = next((g for g in survey.target_groups if g.key == key), None)
    if group is None:
        return None, [FieldError(field, N_("Bitte wählen Sie eine Zielgruppe der Umfrage."))]
    return group, []


def _addresses(survey: Survey, field: str) -> tuple[list[tuple[str, ...]] | None, list[FieldError]]:
    """The uploaded address list (read into memory only), or the errors at ``field``."""
    try:
        require_code_mode(survey, field)
    except ValidationError as exc:
        return None, exc.errors
    upload = request.files.get(field)
    if upload is None or not upload.filename:
        return None, [FieldError(field, N_("Bitte wählen Sie die Adressdatei (CSV) aus."))]
    try:
        return parse_addresses(upload.read()), []
    except ValidationError as exc:
        for error in exc.errors:
            error_field = error.field.replace("addresses", field)
            return None, [FieldError(error_field, error.message, error.params)]
        return None, []  # pragma: no cover
    finally:
        upload.close()


def _number(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isdigit() and len(raw) < 7 else (None if not raw else -1)


def _access_link(survey: Survey, group: TargetGroup | None, code: str | None) -> str:
    return url_for(
        "citizen.access_code",
        slug=survey.slug,
        gruppe=group.key if group else None,
        code=code,
        _external=True,
    )


def _letters_pdf(
    survey: Survey,
    group: TargetGroup | None,
    letters: list[Letter],
    contact: str,
    *,
    reminder: bool,
) -> bytes:
    """Render the letters with WeasyPrint; the addresses exist only in this call."""
    from weasyprint import HTML

    intro = [p.strip() for p in (survey.intro or "").split("\n\n") if p.strip()] or [
        _(
            "wir laden Sie herzlich zu unserer Befragung ein. Ihre Antworten helfen uns, "
            "unsere Stadt für Familien, Kinder und Ältere besser zu machen."
        )
    ]
    privacy = survey.privacy_notice.strip() or _(
        "Die Teilnahme ist freiwillig und anonym. Ihre Adresse wurde nur zum Drucken dieses "
        "Briefes verwendet und nicht gespeichert. Der Zugangscode wird nur als Prüfwert "
        "gespeichert und nie mit Ihren Antworten verknüpft."
    )
    html = render_template(
        "staff/letters.html",
        survey=survey,
        letters=[
            {
                "address": letter.address,
                "code": letter.code,
                "qr": qr_svg_data_uri(_access_link(survey, group, letter.code)),
            }
            for letter in letters
        ],
        reminder=reminder,
        intro=intro,
        privacy=privacy,
        contact=contact.strip() or current_app.config["MUNICIPALITY"],
        access_url=_access_link(survey, None, None),
        municipality=current_app.config["MUNICIPALITY"],
        site_name=current_app.config["SITE_NAME"],
        today=date.today(),
    )
    document = HTML(string=html, base_url=str(PROJECT_ROOT)).render()
    if len(document.pages) != len(letters):
        raise ValidationError.single(
            "output",
            N_(
                "Der Brief passt nicht auf eine Seite. Bitte kürzen Sie die Einleitung oder den "
                "Datenschutzhinweis der Umfrage oder den Kontakt."
            ),
        )
    return bytes(document.write_pdf() or b"")


@bp.post("/umfragen/<int:survey_id>/post/versand")
@role_required(Role.STAFF)
def postal_batch(survey_id: int) -> Response | tuple[str, int]:
    """Create a batch of codes and return its letters (PDF) or code sheet (CSV), once."""
    survey = get_survey_or_404(survey_id)
    values = {name: request.form.get(name, "")[:2000] for name in POSTAL_FIELDS}
    output = values["output"] if values["output"] in OUTPUTS else "letters"
    group, errors = _group(survey, values["target_group"], "target_group")
    addresses: list[tuple[str, ...]] | None = None
    if output == "letters":
        addresses, address_errors = _addresses(survey, "addresses")
        errors += address_errors
        count = len(addresses) if addresses is not None else None
    else:
        try:
            require_code_mode(survey, "output")
        except ValidationError as exc:
            errors += exc.errors
        count = _number(values["count"])
        count = -1 if count is None else count
    errors += check_batch(values["stratum"], count, _number(values["letters_sent"]))
    if errors or count is None:
        return _postal_page(survey, errors, values, 422)
    batch, codes = create_batch(
        db.session,
        survey,
        stratum=values["stratum"],
        target_group=group,
        count=count,
        letters_sent=_number(values["letters_sent"]),
        today=date.today(),
    )
    stamp = f"{survey.slug}-versand-{batch.id}"
    if output == "letters" and addresses is not None:
        letters = [Letter(address, code) for address, code in zip(addresses, codes, strict=True)]
        try:
            pdf = _letters_pdf(survey, group, letters, values["contact"], reminder=False)
        except ValidationError as exc:
            db.session.rollback()  # no batch, no codes without their letters
            return _postal_page(survey, exc.errors, values, 422)
        sheet = download(pdf, "pdf", f"{stamp}-briefe")
    else:
        links = [_access_link(survey, group, code) for code in codes]
        sheet = download(code_sheet_csv(codes, links, batch), "csv", f"{stamp}-codes")
    record(
        db.session,
        actor(),
        Action.CODES_GENERATE,
        survey=survey,
        details=f"{count} Codes, Versand „{batch.stratum}“",
    )
    db.session.commit()
    return sheet


@bp.post("/umfragen/<int:survey_id>/post/erinnerung")
@role_required(Role.STAFF)
def postal_reminder(survey_id: int) -> Response | tuple[str, int]:
    """Reminder letters to everyone written to (no code, nothing stored, nothing tracked)."""
    survey = get_survey_or_404(survey_id)
    values = {name: request.form.get(name, "")[:2000] for name in REMINDER_FIELDS}
    group, errors = _group(survey, values["reminder_group"], "reminder_group")
    addresses, address_errors = _addresses(survey, "reminder_addresses")
    errors += address_errors
    if errors or addresses is None:
        return _postal_page(survey, errors, {**values, "output": "letters"}, 422)
    letters = [Letter(address, None) for address in addresses]
    try:
        pdf = _letters_pdf(survey, group, letters, values["reminder_contact"], reminder=True)
    except ValidationError as exc:
        return _postal_page(survey, exc.errors, {**values, "output": "letters"}, 422)
    record(
        db.session,
        actor(),
        Action.CODES_GENERATE,
        survey=survey,
        details=f"{len(letters)} Erinnerungsbriefe",
    )
    db.session.commit()
    return download(pdf, "pdf", f"{survey.slug}-erinnerung")
