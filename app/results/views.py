"""The public results page of a survey and its charts."""

from __future__ import annotations

from flask import abort, render_template
from werkzeug.wrappers import Response

from analysis import charts
from app.common.labels import STATUS_LABELS
from app.extensions import db
from app.results import bp
from app.results.content import ChartPart, PublicResults
from app.results.helpers import policy, published_or_404, results_of
from surveys.models import ResultPublication
from surveys.publication import licence_of, published_publications


def selected(publication: ResultPublication, results: PublicResults) -> PublicResults:
    """Keep only the comments and breakdown tables staff selected (and that the analysis
    still allows)."""
    chosen = set(publication.comments)
    breakdowns = set(publication.breakdowns or [])
    return PublicResults(
        too_few=results.too_few,
        total=results.total,
        groups=results.groups,
        fields=results.fields,
        comments=[c for c in results.comments if c.key in chosen],
        breakdowns=[b for b in results.breakdowns if b.key in breakdowns],
    )


def render_results(publication: ResultPublication, *, preview: bool = False) -> str:
    """Render the results page of a publication (also the staff preview)."""
    results = selected(publication, results_of(publication))
    return render_template(
        "results/results.html",
        publication=publication,
        survey=publication.survey,
        results=results,
        licence=licence_of(publication),
        preview=preview,
        min_cell=policy().min_cell,
        status_labels=STATUS_LABELS,
    )


@bp.get("/s/<slug>/ergebnisse")
def results_page(slug: str) -> str:
    """What the survey found, as far as staff published it."""
    return render_results(published_or_404(slug))


def chart_part(results: PublicResults, key: str) -> tuple[str, ChartPart] | None:
    """Find a chart part by key; returns the field title with it."""
    for summary in results.fields:
        for part in summary.charts:
            if part.key == key:
                return summary.title, part
    return None


def chart_png(results: PublicResults, key: str, min_cell: int) -> bytes | None:
    """Render one chart part as PNG (``None`` if there is no such part)."""
    import pandas as pd

    found = chart_part(results, key)
    if found is None or not found[1].rows:
        return None
    _title, part = found
    table = pd.DataFrame(
        [{f"share_{i + 1}": s for i, s in enumerate(row.shares)} for row in part.rows]
    ).astype(float)
    labels = [row.text if len(row.text) <= 60 else row.text[:57] + "…" for row in part.rows]
    return charts.likert_bars(table, labels, part.scale, fmt="png", min_cell=min_cell)


@bp.get("/s/<slug>/ergebnisse/diagramm/<key>.png")
def chart(slug: str, key: str) -> Response:
    """A chart of the results page, only for fields staff chose to show."""
    publication = published_or_404(slug)
    if key.rsplit("-", 1)[0] not in publication.charts:
        abort(404)
    png = chart_png(results_of(publication), key, policy().min_cell)
    if png is None:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/ergebnisse")
def results_index() -> str:
    """Every published result (linked from the home page)."""
    return render_template("results/index.html", publications=published_publications(db.session))
