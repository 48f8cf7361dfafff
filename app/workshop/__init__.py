"""Workshop blueprints: goals and measures for moderators (``/workshop``), public votes (``/v``)."""

from flask import Blueprint

bp = Blueprint("workshop", __name__, url_prefix="/workshop")
vote_bp = Blueprint("vote", __name__)

from app.workshop import (  # noqa: E402,F401  - registers the routes
    dashboard_views,
    labels,
    methods_views,
    views_goals,
    views_public_vote,
    views_tracking,
    views_versions,
    views_voting,
)
