"""Workshop blueprints: goals and measures for moderators (``/workshop``), public votes (``/v``).

The modules are grouped by purpose: ``dashboard/`` (the evidence per Handlungsfeld and target
group), ``handout/`` (the Workshop-Mappe and the methods report), ``agreement/`` (goals,
measures, versions and tracking) and ``voting/`` (live prioritisation).
"""

from flask import Blueprint

bp = Blueprint("workshop", __name__, url_prefix="/workshop")
vote_bp = Blueprint("vote", __name__)

from app.workshop import labels  # noqa: E402,F401  - registers the routes
from app.workshop.agreement import (  # noqa: E402,F401
    goals_views,
    tracking_views,
    versions_views,
)
from app.workshop.dashboard import views  # noqa: E402,F401
from app.workshop.handout import methods_views  # noqa: E402,F401
from app.workshop.voting import live_views, public_views  # noqa: E402,F401
