"""Versions of a goal agreement: history, freeze dialog, new version, annex and report exports."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.downloads import download
from app.extensions import db
from app.workshop import bp
from app.workshop.handout.pdf import render_pdf
from app.workshop.helpers import (
    actor,
    audit,
    conflict_redirect,
    field_errors,
    load_agreement,
    moderator_required,
)
from surveys.errors import Conflict, ValidationError
from surveys.models import AgreementVersion, GoalAgreement, MeasureStatus, Survey
from surveys.workshop.agreements import freeze_version, new_version, version_by_number
from surveys.workshop.annex import Annex, build_annex, timeframe
from surveys.workshop.docx_export import annex_docx
from surveys.workshop.queries import fields_in_order, finding_labels
from surveys.workshop.tracking import status_counts, tracked_measures, yearly_progress

Page = str | Response | tuple[str, int]


def _version(agreement: GoalAgreement) -> AgreementVersion:
    """The version named by ``?version=n`` (default: newest frozen, else newest)."""
    number = request.args.get("version", "")
    if number.isdigit():
        version = version_by_number(agreement, int(number))
        if version is None:
            abort(404)
        return version
    frozen = [v for v in agreement.versions if v.is_frozen]
    return frozen[-1] if frozen else agreement.current


@bp.get("/<slug>/versionen")
@moderator_required
def versions(slug: str) -> str:
    """Version history with resolution dates, paper numbers and downloads."""
    survey, agreement = load_agreement(slug)
    return render_template("workshop/versions.html", survey=survey, agreement=agreement)


@bp.route("/<slug>/beschliessen", methods=["GET", "POST"])
@moderator_required
def freeze(slug: str) -> Page:
    """Freeze the draft with the council's resolution date and Drucksachennummer."""
    survey, agreement = load_agreement(slug)
    version = agreement.current
    if version.is_frozen:
        flash(_("Die aktuelle Version ist bereits beschlossen."), "info")
        return redirect(url_for("workshop.versions", slug=slug))
    form = request.form.to_dict()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            freeze_version(
                db.session,
                version,
                form.get("resolution_date", ""),
                form.get("paper_number", ""),
                actor(),
            )
        except ValidationError as exc:
            db.session.rollback()
            errors = field_errors(exc)
        else:
            audit(
                "workshop.freeze",
                survey,
                f"Version {version.number}, {version.paper_number}, {version.resolution_date}",
            )
            db.session.commit()
            flash(
                _(
                    "Version %(number)s ist jetzt beschlossen und eingefroren.",
                    number=version.number,
                ),
                "success",
            )
            return redirect(url_for("workshop.versions", slug=slug))
    measures = sum(len(g.measures) for g in version.goals)
    return render_template(
        "workshop/freeze.html",
        survey=survey,
        agreement=agreement,
        version=version,
        measures=measures,
        form=form,
        errors=errors,
    ), (422 if errors else 200)


@bp.post("/<slug>/neue-version")
@moderator_required
def create_version(slug: str) -> Response:
    """Start a new draft from the newest frozen version."""
    survey, agreement = load_agreement(slug)
    try:
        draft = new_version(db.session, agreement, request.form.get("change_note", ""))
    except Conflict as exc:
        return conflict_redirect(exc, "workshop.versions", slug=slug)
    audit("workshop.new_version", survey, f"Version {draft.number}: {draft.change_note}")
    db.session.commit()
    flash(_("Version %(number)s wurde als Entwurf angelegt.", number=draft.number), "success")
    return redirect(url_for("workshop.agreement", slug=slug))


def _annex(survey: Survey, version: AgreementVersion) -> Annex:
    """The annex of ``version``, its findings named by their wording."""
    measures = [m for g in version.goals for m in g.measures]
    return build_annex(
        version,
        list(fields_in_order(db.session)),
        current_app.config["MUNICIPALITY"],
        finding_labels=finding_labels(db.session, survey.id, measures),
    )


@bp.get("/<slug>/anlage.docx")
@moderator_required
def annex_docx_download(slug: str) -> Response:
    """The annex to the council paper as DOCX."""
    survey, agreement = load_agreement(slug)
    version = _version(agreement)
    annex = _annex(survey, version)
    return download(annex_docx(annex), "docx", f"zielvereinbarung-{slug}-v{version.number}")


@bp.get("/<slug>/anlage.pdf")
@moderator_required
def annex_pdf_download(slug: str) -> Response:
    """The annex to the council paper as PDF."""
    survey, agreement = load_agreement(slug)
    version = _version(agreement)
    annex = _annex(survey, version)
    pdf = render_pdf("workshop/pdf/annex.html", annex=annex, timeframe=timeframe)
    return download(pdf, "pdf", f"zielvereinbarung-{slug}-v{version.number}")


@bp.get("/<slug>/fortschrittsbericht.pdf")
@moderator_required
def progress_pdf(slug: str) -> Response:
    """The yearly progress report: status per field and year, and the year's updates."""
    survey, agreement = load_agreement(slug)
    fields = list(fields_in_order(db.session))
    today = date.today()
    years = yearly_progress(agreement, fields, today)
    asked = request.args.get("jahr", "")
    # By default the latest year of the period so far: after a 2027-2029 agreement has
    # ended, its 2029 report, not an empty one for the year of the download.
    default_year = min(today.year, agreement.period_end.year)
    report_year = int(asked) if asked.isdigit() else default_year
    year_updates = next((y.updates for y in years if y.year == report_year), None)
    if year_updates is None:
        if report_year != default_year:
            abort(404)
        year_updates = []  # the period has not started yet
    measures = tracked_measures(agreement)
    pdf = render_pdf(
        "workshop/pdf/progress.html",
        survey=survey,
        agreement=agreement,
        version=agreement.current,
        fields=fields,
        years=years,
        measures=measures,
        totals=status_counts(measures),
        statuses=list(MeasureStatus),
        today=today,
        report_year=report_year,
        year_updates=year_updates,
    )
    return download(pdf, "pdf", f"fortschrittsbericht-{slug}-{report_year}")
