"""Running a survey: response counts, access codes and the raw export of responses."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from werkzeug.wrappers import Response

from app.auth import role_required
from app.extensions import db
from app.language_stats import language_breakdown
from app.staff import bp
from app.staff.helpers import actor, apply_errors, get_survey_or_404
from app.suppression import configured_policy
from surveys.access_codes import MAX_BATCH, code_counts, generate_access_codes
from surveys.audit import Action, record
from surveys.errors import ValidationError
from surveys.exports import to_csv, to_xlsx
from surveys.models import Role
from surveys.monitoring import counts_by_group_and_channel, counts_by_week

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


@bp.get("/umfragen/<int:survey_id>/export.<any(csv, xlsx):fmt>")
@role_required(Role.STAFF)
def run_export(survey_id: int, fmt: str) -> Response:
    """Download the anonymous responses (one row per response) with a codebook."""
    survey = get_survey_or_404(survey_id)
    record(db.session, actor(), Action.RESPONSES_EXPORT, survey=survey, details=fmt.upper())
    stamp = date.today().isoformat()
    if fmt == "csv":
        body: str | bytes = to_csv(db.session, survey)
        mimetype = "text/csv; charset=utf-8"
    else:
        body = to_xlsx(db.session, survey)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    db.session.commit()
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{survey.slug}-antworten-{stamp}.{fmt}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
