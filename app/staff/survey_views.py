"""Survey list, metadata, lifecycle, duplication and deletion."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.auth import role_required
from app.extensions import db
from app.i18n import translate_error
from app.saving import commit_and_return
from app.staff import bp
from app.staff.helpers import actor, apply_errors, get_survey_or_404
from surveys.designer import (
    SurveyValues,
    create_survey,
    is_locked,
    response_total,
    update_survey,
)
from surveys.errors import Conflict, ValidationError
from surveys.lifecycle import close_survey, delete_survey, duplicate_survey, open_survey
from surveys.models import AccessMode, Role, Survey, SurveyStatus
from surveys.models import Response as SurveyResponse
from surveys.queries import handlungsfelder, target_groups
from surveys.question_types import REGISTRY

STATUS_LABELS = {
    SurveyStatus.DRAFT: "Entwurf",
    SurveyStatus.OPEN: "Geöffnet",
    SurveyStatus.CLOSED: "Geschlossen",
}


def _values_from_form() -> SurveyValues:
    form = request.form
    baseline = form.get("baseline_id", "")
    return SurveyValues(
        title=form.get("title", ""),
        slug=form.get("slug", ""),
        intro=form.get("intro", ""),
        intro_easy=form.get("intro_easy", ""),
        privacy_notice=form.get("privacy_notice", ""),
        purpose=form.get("purpose", ""),
        next_steps=form.get("next_steps", ""),
        opens_on=form.get("opens_on", ""),
        closes_on=form.get("closes_on", ""),
        access_mode=form.get("access_mode", AccessMode.PUBLIC.value),
        baseline_id=int(baseline) if baseline.isdigit() else None,
        target_groups=form.getlist("target_groups"),
        return_address=form.get("return_address", ""),
        return_by=form.get("return_by", ""),
    )


def _form_page(
    survey: Survey | None, values: dict[str, object], errors: dict[str, list[str]]
) -> str:
    others = db.session.scalars(select(Survey).order_by(Survey.created_at.desc())).all()
    return render_template(
        "staff/survey_form.html",
        survey=survey,
        values=values,
        errors=errors,
        group_choices=[(g.key, g.label) for g in target_groups(db.session)],
        baseline_choices=[("", _("keine"))]
        + [(s.id, f"{s.title} ({s.slug})") for s in others if survey is None or s.id != survey.id],
    )


@bp.get("/")
@role_required(Role.STAFF)
def surveys() -> str:
    """List every survey with its status and response count."""
    rows = db.session.scalars(select(Survey).order_by(Survey.created_at.desc())).all()
    counts = dict(
        db.session.execute(
            select(SurveyResponse.survey_id, func.count(SurveyResponse.id)).group_by(
                SurveyResponse.survey_id
            )
        ).all()
    )
    return render_template(
        "staff/surveys.html", surveys=rows, counts=counts, status_labels=STATUS_LABELS
    )


@bp.route("/umfragen/neu", methods=["GET", "POST"])
@role_required(Role.STAFF)
def survey_new() -> str | Response | tuple[str, int]:
    """Create a survey from its metadata."""
    if request.method == "GET":
        return _form_page(None, {"target_groups": ["familien", "senioren", "akteure"]}, {})
    try:
        survey = create_survey(db.session, _values_from_form(), actor())
    except ValidationError as exc:
        db.session.rollback()
        return _form_page(None, _posted(), apply_errors(exc.errors)), 422
    db.session.commit()
    flash(_("Die Umfrage wurde angelegt. Fügen Sie nun Abschnitte und Fragen hinzu."), "success")
    return redirect(url_for("staff.survey_detail", survey_id=survey.id))


def _posted() -> dict[str, object]:
    values: dict[str, object] = dict(request.form.items())
    values["target_groups"] = request.form.getlist("target_groups")
    return values


@bp.route("/umfragen/<int:survey_id>/bearbeiten", methods=["GET", "POST"])
@role_required(Role.STAFF)
def survey_edit(survey_id: int) -> str | Response | tuple[str, int]:
    """Edit the survey's metadata."""
    survey = get_survey_or_404(survey_id)
    if request.method == "GET":
        values: dict[str, object] = {
            "title": survey.title,
            "slug": survey.slug,
            "intro": survey.intro,
            "intro_easy": survey.intro_easy,
            "privacy_notice": survey.privacy_notice,
            "purpose": survey.purpose,
            "next_steps": survey.next_steps,
            "opens_on": survey.opens_on.isoformat() if survey.opens_on else "",
            "closes_on": survey.closes_on.isoformat() if survey.closes_on else "",
            "access_mode": survey.access_mode.value,
            "baseline_id": survey.baseline_id or "",
            "target_groups": [g.key for g in survey.target_groups],
            "return_address": survey.return_address,
            "return_by": survey.return_by.isoformat() if survey.return_by else "",
        }
        return _form_page(survey, values, {})
    try:
        update_survey(db.session, survey, _values_from_form(), actor())
    except ValidationError as exc:
        db.session.rollback()
        return _form_page(survey, _posted(), apply_errors(exc.errors)), 422
    except Conflict as exc:
        db.session.rollback()
        errors = {"target_groups": [translate_error(exc.message, exc.params)]}
        return _form_page(get_survey_or_404(survey_id), _posted(), errors), 409
    db.session.commit()
    flash(_("Die Angaben wurden gespeichert."), "success")
    return redirect(url_for("staff.survey_detail", survey_id=survey.id))


@bp.get("/umfragen/<int:survey_id>")
@role_required(Role.STAFF)
def survey_detail(survey_id: int) -> str:
    """The designer overview: metadata, sections and questions with their actions."""
    return _detail_page(get_survey_or_404(survey_id))


def _detail_page(survey: Survey, open_errors: list[tuple[str, str]] | None = None) -> str:
    """Render the designer overview, with what keeps the survey from opening if given."""
    return render_template(
        "staff/survey_detail.html",
        survey=survey,
        locked=is_locked(db.session, survey),
        responses=response_total(db.session, survey),
        status_labels=STATUS_LABELS,
        fields=handlungsfelder(db.session),
        types=REGISTRY,
        open_errors=open_errors or [],
    )


@bp.post("/umfragen/<int:survey_id>/oeffnen")
@role_required(Role.STAFF)
def survey_open(survey_id: int) -> str | Response | tuple[str, int]:
    """Open (or reopen) the survey if it is valid; otherwise list what is missing."""
    survey = get_survey_or_404(survey_id)
    try:
        open_survey(db.session, survey, actor())
    except ValidationError as exc:
        db.session.rollback()
        survey = get_survey_or_404(survey_id)
        messages = [translate_error(e.message, e.params) for e in exc.errors]
        open_errors = list(zip([e.field for e in exc.errors], messages, strict=True))
        return _detail_page(survey, open_errors), 422
    db.session.commit()
    flash(_("Die Umfrage ist geöffnet und nimmt Antworten an."), "success")
    return redirect(url_for("staff.survey_detail", survey_id=survey_id))


@bp.post("/umfragen/<int:survey_id>/schliessen")
@role_required(Role.STAFF)
def survey_close(survey_id: int) -> Response:
    """Close the survey."""
    survey = get_survey_or_404(survey_id)
    return commit_and_return(
        lambda: close_survey(db.session, survey, actor()),
        _("Die Umfrage ist geschlossen."),
        url_for("staff.survey_detail", survey_id=survey_id),
    )


@bp.route("/umfragen/<int:survey_id>/kopieren", methods=["GET", "POST"])
@role_required(Role.STAFF)
def survey_copy(survey_id: int) -> str | Response | tuple[str, int]:
    """Duplicate a survey (keeping question keys), e.g. the 2019 survey for the Bilanz."""
    survey = get_survey_or_404(survey_id)
    new_version = request.values.get("version") == "1"
    if request.method == "GET":
        suffix = f"-v{survey.version + 1}" if new_version else "-kopie"
        values = {
            "title": survey.title if new_version else f"{survey.title} (Kopie)",
            "slug": (survey.slug + suffix)[:80],
            "as_baseline": not new_version,
        }
        return render_template(
            "staff/survey_copy.html",
            survey=survey,
            values=values,
            errors={},
            new_version=new_version,
        )
    try:
        copy = duplicate_survey(
            db.session,
            survey,
            slug=request.form.get("slug", ""),
            title=request.form.get("title", ""),
            actor=actor(),
            as_baseline=request.form.get("as_baseline") == "1",
            new_version=new_version,
        )
    except ValidationError as exc:
        db.session.rollback()
        values = dict(request.form.items())
        return (
            render_template(
                "staff/survey_copy.html",
                survey=get_survey_or_404(survey_id),
                values=values,
                errors=apply_errors(exc.errors),
                new_version=new_version,
            ),
            422,
        )
    db.session.commit()
    flash(_("Die Kopie wurde als Entwurf angelegt."), "success")
    return redirect(url_for("staff.survey_detail", survey_id=copy.id))


@bp.route("/umfragen/<int:survey_id>/loeschen", methods=["GET", "POST"])
@role_required(Role.STAFF)
def survey_delete(survey_id: int) -> str | Response:
    """Ask for confirmation, then delete a survey without responses."""
    survey = get_survey_or_404(survey_id)
    if request.method == "GET":
        return render_template(
            "staff/confirm_delete.html",
            what=_("die Umfrage „%(title)s“", title=survey.title),
            action=url_for("staff.survey_delete", survey_id=survey.id),
            back=url_for("staff.survey_detail", survey_id=survey.id),
        )

    def delete() -> None:
        from surveys.audit import Action, record

        title = survey.title
        record(db.session, actor(), Action.SURVEY_DELETE, details=f"{survey.slug}: {title}")
        delete_survey(db.session, survey)

    return commit_and_return(
        delete,
        _("Die Umfrage wurde gelöscht."),
        url_for("staff.surveys"),
        refused=url_for("staff.survey_detail", survey_id=survey_id),
    )
