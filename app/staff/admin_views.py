"""Administration: user accounts and the audit log (admins only)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth import role_required
from app.extensions import db
from app.saving import commit_and_return
from app.staff import bp
from app.staff.helpers import actor, apply_errors, parse_date
from surveys.accounts import all_users, create_user, delete_user, set_active
from surveys.audit import ACTION_LABELS, Action, AuditFilter, events
from surveys.errors import ValidationError
from surveys.models import Role, Survey, User
from surveys.two_factor import parse_required_roles
from surveys.two_factor import reset as reset_two_factor

ROLE_LABELS = {
    Role.ADMIN.value: "Administration",
    Role.STAFF.value: "Mitarbeitende (Umfragen)",
    Role.MODERATOR.value: "Moderation (Workshop)",
}


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        from flask import abort

        abort(404)
    return user


def _users_page(values: dict[str, str], errors: dict[str, list[str]]) -> str:
    return render_template(
        "staff/users.html",
        users=all_users(db.session),
        values=values,
        errors=errors,
        role_choices=[(k, _(v)) for k, v in ROLE_LABELS.items()],
        role_labels=ROLE_LABELS,
    )


@bp.route("/benutzer", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def users() -> str | Response | tuple[str, int]:
    """List accounts and create a new one."""
    if request.method == "GET":
        return _users_page({"role": Role.STAFF.value}, {})
    form = request.form
    try:
        create_user(
            db.session,
            form.get("email", ""),
            form.get("password", ""),
            form.get("role", ""),
            name=form.get("name", ""),
            actor=actor(),
        )
    except ValidationError as exc:
        db.session.rollback()
        values = {k: v for k, v in form.items() if k != "password"}
        return _users_page(values, apply_errors(exc.errors)), 422
    db.session.commit()
    flash(_("Das Konto wurde angelegt."), "success")
    return redirect(url_for("staff.users"))


@bp.post("/benutzer/<int:user_id>/<any(aktivieren, deaktivieren):change>")
@role_required(Role.ADMIN)
def user_active(user_id: int, change: str) -> Response:
    """Enable or disable an account."""
    user = _user_or_404(user_id)
    return commit_and_return(
        lambda: set_active(db.session, user, change == "aktivieren", actor()),
        _("Das Konto wurde geändert."),
        url_for("staff.users"),
    )


@bp.route("/benutzer/<int:user_id>/loeschen", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_delete(user_id: int) -> str | Response:
    """Confirm, then delete an account."""
    user = _user_or_404(user_id)
    if request.method == "GET":
        return render_template(
            "staff/confirm_delete.html",
            what=_("das Konto %(email)s", email=user.email),
            action=url_for("staff.user_delete", user_id=user.id),
            back=url_for("staff.users"),
        )
    return commit_and_return(
        lambda: delete_user(db.session, user, actor()),
        _("Das Konto wurde gelöscht."),
        url_for("staff.users"),
    )


@bp.route("/benutzer/<int:user_id>/zwei-faktor-zuruecksetzen", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_reset_two_factor(user_id: int) -> str | Response:
    """Confirm, then clear an account's second factor (lost phone); it enrols again."""
    user = _user_or_404(user_id)
    if request.method == "GET":
        required = parse_required_roles(current_app.config.get("TWO_FACTOR_REQUIRED_ROLES", ""))
        return render_template(
            "staff/confirm_two_factor_reset.html", account=user, required=user.role in required
        )
    return commit_and_return(
        lambda: reset_two_factor(db.session, user, actor()),
        _("Der zweite Faktor von %(email)s wurde zurückgesetzt.", email=user.email),
        url_for("staff.users"),
    )


@bp.get("/protokoll")
@role_required(Role.ADMIN)
def audit() -> str:
    """The audit log, filterable by person, action, survey and period."""
    args = request.args
    survey_id = args.get("survey_id", "")
    filt = AuditFilter(
        actor=args.get("actor", "")[:254],
        action=args.get("action", "")
        if args.get("action", "") in {a.value for a in Action}
        else "",
        survey_id=int(survey_id) if survey_id.isdigit() else None,
        since=parse_date(args.get("since")),
        until=parse_date(args.get("until")),
    )
    surveys = db.session.scalars(select(Survey).order_by(Survey.title)).all()
    return render_template(
        "staff/audit.html",
        events=events(db.session, filt),
        filt=filt,
        action_choices=[("", _("alle"))]
        + [(a.value, _(ACTION_LABELS.get(a, a.value))) for a in Action],
        action_labels={str(k): _(v) for k, v in ACTION_LABELS.items()},
        survey_choices=[("", _("alle"))] + [(s.id, s.title) for s in surveys],
        survey_titles={s.id: s.title for s in surveys},
    )
