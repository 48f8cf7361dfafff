"""Home page, legal information pages and the health check."""

from __future__ import annotations

from datetime import date

from flask import abort, jsonify, render_template
from flask.wrappers import Response
from sqlalchemy import text

from app.extensions import db
from app.public import bp
from surveys.publication import published_publications
from surveys.queries import open_surveys

INFO_PAGES = {
    "impressum": "public/impressum.html",
    "datenschutz": "public/datenschutz.html",
    "barrierefreiheit": "public/barrierefreiheit.html",
}


@bp.get("/")
def home() -> str:
    """List the surveys that take answers today."""
    surveys = open_surveys(db.session, date.today())
    results = published_publications(db.session)
    return render_template("public/home.html", surveys=surveys, results=results)


@bp.get("/<any(impressum, datenschutz, barrierefreiheit):page>")
def info(page: str) -> str:
    """Render one of the legal information pages."""
    template = INFO_PAGES.get(page)
    if template is None:
        abort(404)
    return render_template(template)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Report whether the database answers (for load balancers and monitoring)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
