"""Download of the methods report (staff and moderators)."""

from __future__ import annotations

from flask import Response

from analysis.frames import Filters
from app.downloads import download
from app.workshop import bp
from app.workshop.dashboard.data import analysis_for
from app.workshop.helpers import load_survey, moderator_required


@bp.get("/<slug>/methodenbericht.pdf")
@moderator_required
def methods_report_pdf(slug: str) -> Response:
    """The methods report as PDF: sample, response rates, modes, languages, non-response."""
    from app.workshop.handout.methods_report import methods_report_pdf as render

    survey = load_survey(slug)
    pdf = render(survey, analysis_for(survey, Filters()))
    return download(pdf, "pdf", f"methodenbericht-{slug}")
