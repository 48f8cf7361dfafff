"""Login, logout and the own account (password change) of staff members."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.account import session_timeouts, views  # noqa: E402, F401
from app.account import oidc  # noqa: E402, F401
