"""Translatable display labels of the workshop's status and priority values (the public
results show the status labels too)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
