"""Response rates of surveys by post for the web pages and PDFs (raw for staff, protected
for moderators)."""

from __future__ import annotations

from flask import current_app
from flask_babel import format_decimal

from app.extensions import db
from surveys.access_codes import mark_key
from surveys.models import Survey
from surveys.response_rates import ResponseRates, ShownRates, response_rates, shown_rates


def rates_of(survey: Survey) -> ResponseRates:
    """The raw response rates per batch (for staff)."""
    return response_rates(db.session, survey, mark_key(current_app.config["SECRET_KEY"]))


def protected_rates(survey: Survey, min_cell: int, *, total_known: bool) -> ShownRates:
    """The response rates per batch with small counts hidden (Mappe, methods report)."""
    return shown_rates(rates_of(survey), min_cell, total_known=total_known)


def rate_text(value: float | None) -> str:
    """A rate in per cent with one decimal in the page's locale; "–" when there is none."""
    if value is None:
        return "–"
    return f"{format_decimal(value, format='#,##0.0')}\u202f%"
