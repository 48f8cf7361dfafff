"""The workshop templates' helpers for the labels of :mod:`app.common.labels`."""

from __future__ import annotations

from typing import Any

from app.common.labels import PRIORITY_LABELS, STATUS_LABELS
from app.workshop import bp
from surveys.models import MeasureStatus, Priority


@bp.context_processor
def _labels() -> dict[str, Any]:
    """Make ``status_label`` and ``priority_label`` available in the workshop templates."""
    return {
        "status_label": lambda status: str(STATUS_LABELS[MeasureStatus(status)]),
        "priority_label": lambda priority: str(PRIORITY_LABELS[Priority(priority)]),
    }
