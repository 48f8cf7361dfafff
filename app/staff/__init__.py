"""Staff area: questionnaire designer, running surveys, import/export, library, users, audit."""

from flask import Blueprint, abort
from flask_login import current_user

from surveys.models import Role

bp = Blueprint("staff", __name__, url_prefix="/verwaltung")


@bp.before_request
def _staff_only() -> None:
    """Defence in depth: every route of this blueprint needs a staff login.

    Each view also carries ``role_required``; this catches a view that forgot it.
    """
    from app.extensions import login_manager

    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not current_user.has_role(Role.STAFF):
        abort(403)


from app.staff import (  # noqa: E402, F401
    admin_views,
    exchange_views,
    library_views,
    paper_list_views,
    paper_views,
    publication_views,
    question_views,
    run_views,
    section_views,
    survey_views,
    translation_views,
    weighting_views,
)
