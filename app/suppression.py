"""The installation's suppression thresholds, shared by every page and export that counts.

``MIN_CELL`` is the smallest group any table, chart or export shows; ``MIN_TEXT_GROUP`` the
smallest group whose free-text comments are shown (never below ``MIN_CELL``). The staff pages,
the workshop dashboard and the public results all take their :class:`~analysis.privacy.Policy`
from here, so a number hidden in one place is hidden in all of them.
"""

from __future__ import annotations

from flask import current_app

from analysis.privacy import Policy


def configured_policy() -> Policy:
    """Return the suppression policy configured for this installation."""
    config = current_app.config
    min_cell = int(config["MIN_CELL"])
    return Policy(min_cell=min_cell, min_text=max(min_cell, int(config["MIN_TEXT_GROUP"])))
