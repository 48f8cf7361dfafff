"""Public results and accountability: results pages, measures, Atom feed, open data."""

from flask import Blueprint

bp = Blueprint("results", __name__)

from app.results import dcat, feed, filters, opendata, views, views_measures  # noqa: E402, F401
