"""Template filters and globals of the public results pages."""

from __future__ import annotations

from flask import url_for

from app.extensions import db
from app.results import bp
from app.results.helpers import format_number, format_share
from surveys.models import Survey
from surveys.publication import get_publication


@bp.app_template_filter("de_num")
def de_num(value: float | None, digits: int = 0) -> str:
    """German number format; empty for suppressed cells."""
    return format_number(value, digits)


@bp.app_template_filter("de_share")
def de_share(value: float | None) -> str:
    """German percent format; empty for suppressed cells."""
    return format_share(value)


@bp.app_template_global("published_results_url")
def published_results_url(survey: Survey | None) -> str | None:
    """The address of a survey's published results (``None`` while not published)."""
    if survey is None:
        return None
    publication = get_publication(db.session, survey)
    if publication is None or not publication.published:
        return None
    return url_for("results.results_page", slug=survey.slug)
