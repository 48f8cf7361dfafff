"""Login, logout and the own account (password change) of staff members."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.account import (  # noqa: E402, F401
    oidc,
    second_step,
    session_timeouts,
    two_factor_views,
    views,
)
