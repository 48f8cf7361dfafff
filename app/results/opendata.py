"""Open data: an index page, the survey aggregates and the measures as CSV and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app, render_template, url_for
from werkzeug.wrappers import Response

from app.downloads import download
from app.extensions import db
from app.results import bp
from app.results.accountability import public_measures
from app.results.content import analysis_for
from app.results.helpers import policy, published_or_404
from app.results.opendata_records import (
    SCHEMA_VERSION,
    measure_csv_rows,
    measure_records,
    survey_csv_rows,
    survey_records,
    to_csv,
)
from surveys.models import ResultPublication
from surveys.publication import LICENCES, Licence, licence_of, published_publications


def _licence_json(licence: Licence) -> dict[str, str]:
    return {"id": licence.key, "name": licence.name, "url": licence.url}


def _download(body: str, fmt: str, stem: str, licence: Licence) -> Response:
    """Open data: public, cacheable for ten minutes, with its licence as a link header."""
    return download(
        body,
        fmt,
        stem,
        cache_control="public, max-age=600",
        headers={"Link": f'<{licence.url}>; rel="license"'},
    )


def _json(payload: dict[str, Any], filename: str, licence: Licence) -> Response:
    body = json.dumps(payload, ensure_ascii=False, indent=1)
    return _download(body, "json", filename.removesuffix(".json"), licence)


def _measures_licence() -> Licence:
    publications = published_publications(db.session)
    return licence_of(publications[0] if publications else None)


@bp.get("/opendata/")
def opendata_index() -> str:
    """Describe the files, their licence and schema, and link the downloads."""
    return render_template(
        "results/opendata.html",
        publications=published_publications(db.session),
        licence_of=licence_of,
        measures_licence=_measures_licence(),
        licences=LICENCES.values(),
        min_cell=policy().min_cell,
    )


def _survey_payload(publication: ResultPublication) -> tuple[dict[str, Any], Licence]:
    survey = publication.survey
    result = analysis_for(db.engine, survey.id, publication.published_at, policy())
    licence = licence_of(publication)
    meta = {
        "title": survey.title,
        "survey": survey.slug,
        "publisher": current_app.config["MUNICIPALITY"],
        "licence": _licence_json(licence),
        "published": publication.published_at.isoformat() if publication.published_at else None,
        "generated": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "min_cell": policy().min_cell,
        "schema": url_for("results.opendata_schema", name="survey", _external=True),
        "schema_version": SCHEMA_VERSION,
        "source": url_for("results.results_page", slug=survey.slug, _external=True),
    }
    records = survey_records(result, publication.breakdowns or [])
    return {"metadata": meta, **records}, licence


@bp.get("/opendata/<slug>.<any(csv, json):fmt>")
def opendata_survey(slug: str, fmt: str) -> Response:
    """A published survey's aggregates (suppressed cells empty/null and flagged)."""
    if slug == "massnahmen":
        return opendata_measures(fmt)
    publication = published_or_404(slug)
    payload, licence = _survey_payload(publication)
    if fmt == "json":
        return _json(payload, f"{slug}-ergebnisse.json", licence)
    rows = survey_csv_rows(payload, licence)
    return _download(to_csv(rows), "csv", f"{slug}-ergebnisse", licence)


def opendata_measures(fmt: str) -> Response:
    """The adopted measures with their public status."""
    licence = _measures_licence()
    records = measure_records(public_measures(db.session))
    if fmt == "csv":
        return _download(to_csv(measure_csv_rows(records, licence)), "csv", "massnahmen", licence)
    payload = {
        "metadata": {
            "title": "Beschlossene Maßnahmen und ihr Stand",
            "publisher": current_app.config["MUNICIPALITY"],
            "licence": _licence_json(licence),
            "generated": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "schema": url_for("results.opendata_schema", name="measures", _external=True),
            "schema_version": SCHEMA_VERSION,
            "source": url_for("results.measures", _external=True),
        },
        "measures": records,
    }
    return _json(payload, "massnahmen.json", licence)


@bp.get("/opendata/schema/<any(survey, measures):name>.schema.json")
def opendata_schema(name: str) -> Response:
    """The JSON Schema of a download (the files documented in ``docs/opendata/``)."""
    path = Path(current_app.root_path).parent / "docs" / "opendata" / f"{name}.schema.json"
    response = Response(path.read_text(encoding="utf-8"), mimetype="application/schema+json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
