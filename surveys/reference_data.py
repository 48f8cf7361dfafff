"""The reference data every installation has: the six Handlungsfelder and the built-in groups.

Inserted by the first migration and, for databases made from the models (tests, the demo's
fresh start), by :func:`ensure_reference_data`; flushes, never commits."""

from __future__ import annotations

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.models import HANDLUNGSFELDER, TARGET_GROUPS, Handlungsfeld, TargetGroup


def ensure_reference_data(session: SessionLike) -> None:
    """Insert the six Handlungsfelder and the built-in target groups where missing."""
    fields = {h.key: h for h in session.scalars(select(Handlungsfeld))}
    for key, number, title in HANDLUNGSFELDER:
        if key not in fields:
            session.add(Handlungsfeld(key=key, number=number, title=title))
    groups = {g.key for g in session.scalars(select(TargetGroup))}
    for key, position, label, respondent_label in TARGET_GROUPS:
        if key not in groups:
            session.add(
                TargetGroup(
                    key=key,
                    position=position,
                    label=label,
                    respondent_label=respondent_label,
                    builtin=True,
                )
            )
    session.flush()
