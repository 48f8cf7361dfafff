"""Designer screens for survey translations: coverage, one form per language, XLSX round-trip."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from app.auth import role_required
from app.downloads import download
from app.extensions import db
from app.staff import bp
from app.staff.helpers import actor, apply_errors, get_survey_or_404
from surveys.audit import Action, record
from surveys.errors import ValidationError
from surveys.exchange.translations_xlsx import MAX_BYTES, export_xlsx, import_xlsx
from surveys.models import Role
from surveys.translations import (
    LANGUAGES,
    TARGET_LANGUAGES,
    coverage,
    load_texts,
    save_translations,
    source_texts,
)


@bp.get("/umfragen/<int:survey_id>/uebersetzungen")
@role_required(Role.STAFF)
def translations_overview(survey_id: int) -> ResponseReturnValue:
    """How complete each language is, with links to the forms and the XLSX round-trip."""
    survey = get_survey_or_404(survey_id)
    return render_template(
        "staff/translations.html",
        survey=survey,
        coverage=coverage(db.session, survey),
        languages=LANGUAGES,
        errors={},
    )


@bp.route("/umfragen/<int:survey_id>/uebersetzungen/<lang>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def translation_form(survey_id: int, lang: str) -> ResponseReturnValue:
    """Every text of the survey next to its translation; missing ones are marked."""
    survey = get_survey_or_404(survey_id)
    if lang not in TARGET_LANGUAGES:
        abort(404)
    texts = source_texts(survey)
    stored = load_texts(db.session, survey.id, lang)
    only_missing = request.args.get("fehlend") == "1"
    if request.method == "POST":
        entered = {t.path: request.form.get(f"t-{t.path}", "") for t in texts}
        submitted = {p: v for p, v in entered.items() if f"t-{p}" in request.form}
        save_translations(db.session, survey, lang, submitted)
        record(
            db.session, actor(), Action.SURVEY_WORDING, survey=survey, details=f"Übersetzung {lang}"
        )
        db.session.commit()
        flash(_("Die Übersetzungen sind gespeichert."), "success")
        return redirect(url_for("staff.translation_form", survey_id=survey.id, lang=lang))
    rows = [
        {"text": t, "value": stored.get(t.path, ""), "missing": not stored.get(t.path)}
        for t in texts
    ]
    missing = sum(1 for r in rows if r["missing"])
    if only_missing:
        rows = [r for r in rows if r["missing"]]
    return render_template(
        "staff/translation_form.html",
        survey=survey,
        lang=lang,
        language=LANGUAGES[lang],
        rows=rows,
        missing=missing,
        total=len(texts),
        only_missing=only_missing,
    )


@bp.get("/umfragen/<int:survey_id>/uebersetzungen.xlsx")
@role_required(Role.STAFF)
def translations_xlsx(survey_id: int) -> HttpResponse:
    """Download every text with one column per language for a translator."""
    survey = get_survey_or_404(survey_id)
    kinds = {t.kind: _(t.kind) for t in source_texts(survey)}
    return download(export_xlsx(db.session, survey, kinds), "xlsx", f"{survey.slug}-uebersetzungen")


@bp.post("/umfragen/<int:survey_id>/uebersetzungen/import")
@role_required(Role.STAFF)
def translations_import(survey_id: int) -> ResponseReturnValue:
    """Read back a translated workbook; report unknown rows and changed German texts."""
    survey = get_survey_or_404(survey_id)
    upload = request.files.get("file")
    errors: dict[str, list[str]] = {}
    if upload is None or not upload.filename:
        errors = {"file": [_("Bitte wählen Sie eine Datei aus.")]}
    else:
        try:
            result = import_xlsx(db.session, survey, upload.read(MAX_BYTES + 1))
        except ValidationError as error:
            db.session.rollback()
            errors = apply_errors(error.errors)
        else:
            record(
                db.session,
                actor(),
                Action.SURVEY_WORDING,
                survey=survey,
                details="Übersetzungen XLSX",
            )
            db.session.commit()
            counts = ", ".join(f"{LANGUAGES[c]['name']}: {n}" for c, n in result.stored.items())
            flash(_("Übersetzungen übernommen (%(counts)s).", counts=counts), "success")
            if result.unknown_paths:
                flash(
                    _(
                        "%(n)s Zeilen gehören zu keinem Text dieser Umfrage "
                        "und wurden übersprungen.",
                        n=len(result.unknown_paths),
                    ),
                    "warning",
                )
            if result.changed_source:
                flash(
                    _(
                        "Bei %(n)s Texten hat sich der deutsche Text seit dem Export geändert – "
                        "bitte prüfen Sie diese Übersetzungen.",
                        n=len(result.changed_source),
                    ),
                    "warning",
                )
            return redirect(url_for("staff.translations_overview", survey_id=survey.id))
    return (
        render_template(
            "staff/translations.html",
            survey=survey,
            coverage=coverage(db.session, survey),
            languages=LANGUAGES,
            errors=errors,
        ),
        422,
    )
