"""Citizen survey flow: landing page, one page per section, check answers, submit, resume, paper.

Routes live under ``/s/<slug>``. ``flask purge-drafts`` is registered at the top level
(``cli_group=None``).
"""

from flask import Blueprint

bp = Blueprint("citizen", __name__, url_prefix="/s", cli_group=None)

from app.citizen import (  # noqa: E402,F401  - registers routes, handlers and commands
    cli,
    paper,
    resume,
    security,
    submit,
    views,
)
from app.common.fields import register_helpers  # noqa: E402

bp.record_once(register_helpers)
