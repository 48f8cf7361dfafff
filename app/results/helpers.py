"""Shared helpers of the public results pages: policy, loading a publication."""

from __future__ import annotations

from flask import abort, current_app, render_template

from analysis.privacy import Policy
from app.extensions import db
from app.results.content import PublicResults, analysis_for, public_results
from app.suppression import configured_policy
from surveys.models import ResultPublication
from surveys.publication import published_publication
from surveys.queries import survey_by_slug


def policy() -> Policy:
    """The suppression thresholds configured for this installation."""
    return configured_policy()


def published_or_404(slug: str) -> ResultPublication:
    """Return the published results of ``slug`` or answer with the "not yet" page (404)."""
    publication = published_publication(db.session, slug)
    if publication is None:
        survey = survey_by_slug(db.session, slug)
        page = render_template("results/not_published.html", survey=survey)
        abort(current_app.response_class(page, status=404))
    return publication


def results_of(publication: ResultPublication) -> PublicResults:
    """Return the public view of a publication's survey (cached analysis)."""
    result = analysis_for(db.engine, publication.survey_id, publication.published_at, policy())
    return public_results(result)


def format_number(value: float | None, digits: int = 0) -> str:
    """German number format (``1.234``, ``47,6``); an empty string for suppressed cells."""
    if value is None:
        return ""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_share(value: float | None) -> str:
    """A share as German percent (``42 %``); empty for suppressed cells."""
    return "" if value is None else f"{format_number(value * 100)} %"
