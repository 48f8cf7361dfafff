"""Translatable display labels of the workshop's status and priority values."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.workshop import bp
from surveys.models import MeasureStatus, Priority

STATUS_LABELS = {
    MeasureStatus.PLANNED: _l("geplant"),
    MeasureStatus.STARTED: _l("begonnen"),
    MeasureStatus.DONE: _l("umgesetzt"),
    MeasureStatus.POSTPONED: _l("zurückgestellt"),
    MeasureStatus.DROPPED: _l("nicht umgesetzt"),
}
PRIORITY_LABELS = {
    Priority.HIGH: _l("hoch"),
    Priority.MEDIUM: _l("mittel"),
    Priority.LOW: _l("niedrig"),
}


@bp.context_processor
def _labels() -> dict[str, Any]:
    """Make ``status_label`` and ``priority_label`` available in the workshop templates."""
    return {
        "status_label": lambda status: str(STATUS_LABELS[MeasureStatus(status)]),
        "priority_label": lambda priority: str(PRIORITY_LABELS[Priority(priority)]),
    }
