"""Questionnaire export as JSON and import of JSON or LimeSurvey ``.lss`` files."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.auth import role_required
from app.downloads import download
from app.extensions import db
from app.staff import bp
from app.staff.helpers import actor, apply_errors, get_survey_or_404
from surveys.audit import Action, record
from surveys.errors import ValidationError
from surveys.exchange import json_format, limesurvey
from surveys.exchange.duplicates import free_slug, same_surveys
from surveys.i18n import N_
from surveys.models import Role
from surveys.translations import LANGUAGES, all_translations


@bp.get("/umfragen/<int:survey_id>/fragebogen.json")
@role_required(Role.STAFF)
def survey_export_json(survey_id: int) -> Response:
    """Download the whole questionnaire as JSON (schema version 1)."""
    survey = get_survey_or_404(survey_id)
    record(db.session, actor(), Action.SURVEY_EXPORT, survey=survey, details="JSON")
    db.session.commit()
    document = json_format.export_survey(survey, all_translations(db.session, survey))
    return download(json_format.dumps(document), "json", f"{survey.slug}-fragebogen")


@bp.route("/umfragen/import", methods=["GET", "POST"])
@role_required(Role.STAFF)
def survey_import() -> str | Response | tuple[str, int]:
    """Upload a JSON questionnaire or a LimeSurvey structure file (.lss)."""
    values = {"slug": request.form.get("slug", "")}
    if request.method == "GET":
        return render_template("staff/import.html", errors={}, values=values, skipped=[])
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        errors = {"file": [_("Bitte wählen Sie eine Datei aus.")]}
        return render_template("staff/import.html", errors=errors, values=values, skipped=[]), 422
    raw = upload.read(limesurvey.MAX_BYTES + 1)
    name = upload.filename.lower()
    slug = values["slug"].strip().lower() or None
    skipped: list[str] = []
    converted: list[str] = []
    languages: list[str] = []
    wanted_slug = ""
    try:
        if name.endswith(".lss") or name.endswith(".xml"):
            result = limesurvey.import_lss(db.session, raw, actor=actor(), slug=slug)
            survey, skipped = result.survey, result.skipped_messages()
            converted = result.converted_messages()
            languages = [LANGUAGES[code]["name"] for code in result.languages]
        elif name.endswith(".json"):
            document = json_format.loads(raw)
            # The file's slug, or (when it is taken) a free one for a copy: whether it is a
            # copy of the same survey is asked below.
            wanted_slug = str((document.get("survey") or {}).get("slug") or "")
            free = slug or (free_slug(db.session, wanted_slug) if wanted_slug else None)
            survey = json_format.import_survey(db.session, document, actor=actor(), slug=free)
        else:
            raise ValidationError.single(
                "file", N_("Bitte laden Sie eine .json- oder .lss-Datei hoch.")
            )
        if not request.form.get("copy"):
            same = [
                {"id": s.id, "title": s.title, "slug": s.slug}
                for s in same_surveys(db.session, survey)
            ]
            if same:
                # ask first; the file is chosen again with "Trotzdem als Kopie" ticked
                db.session.rollback()
                return render_template(
                    "staff/import.html", errors={}, values=values, skipped=[], same=same
                )
            if wanted_slug and not slug and survey.slug != wanted_slug:
                # another survey has the file's slug: say so rather than renaming silently
                raise ValidationError.single("slug", N_("Diese Kurzadresse ist schon vergeben."))
    except ValidationError as exc:
        db.session.rollback()
        return render_template(
            "staff/import.html", errors=apply_errors(exc.errors), values=values, skipped=[]
        ), 422
    db.session.commit()
    candidates = limesurvey.polarity_candidates(survey) if name.endswith((".lss", ".xml")) else []
    if skipped or candidates or languages or converted:
        return render_template(
            "staff/import_report.html",
            survey=survey,
            skipped=skipped,
            converted=converted,
            candidates=candidates,
            languages=languages,
        )
    flash(_("Der Fragebogen wurde als Entwurf importiert."), "success")
    return redirect(url_for("staff.survey_detail", survey_id=survey.id))


@bp.post("/umfragen/<int:survey_id>/umpolen")
@role_required(Role.STAFF)
def survey_confirm_polarity(survey_id: int) -> Response:
    """Mark the statements staff confirmed after an .lss import as negatively worded."""
    survey = get_survey_or_404(survey_id)
    marked = limesurvey.apply_polarity(
        db.session, survey, set(request.form.getlist("reversed")), actor()
    )
    db.session.commit()
    if marked:
        flash(
            _("%(n)s Aussagen wurden als negativ formuliert (umgepolt) markiert.", n=marked),
            "success",
        )
    else:
        flash(_("Keine Aussage wurde umgepolt."), "success")
    return redirect(url_for("staff.survey_detail", survey_id=survey.id))
