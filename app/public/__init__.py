"""Public pages: home, information pages and the health check (citizen survey views join later)."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import views  # noqa: E402,F401  - registers the routes
