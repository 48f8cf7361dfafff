"""Publishing a closed survey's results: choose what is shown, preview, publish, unpublish."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.auth import role_required
from app.extensions import db
from app.results.content import Comment
from app.results.helpers import policy, results_of
from app.results.views import chart_png, render_results
from app.saving import commit_and_return
from app.staff import bp
from app.staff.helpers import actor, apply_errors, get_survey_or_404
from surveys.errors import ValidationError
from surveys.models import ResultPublication, Role, Survey, SurveyStatus
from surveys.publication import (
    LICENCES,
    current_publication,
    parse_publication,
    publish,
    save_publication,
    unpublish,
)

#: Most comments listed at once (narrow down by Handlungsfeld and search words).
COMMENT_PAGE = 150


def _closed_or_404(survey_id: int) -> Survey:
    survey = get_survey_or_404(survey_id)
    if survey.status != SurveyStatus.CLOSED:
        abort(404)
    return survey


def _listed(comments: list[Comment], field_key: str, query: str) -> list[Comment]:
    words = query.lower().split()
    return [
        c
        for c in comments
        if (not field_key or c.field == field_key) and all(w in c.text.lower() for w in words)
    ]


def _form(
    survey: Survey,
    publication: ResultPublication,
    values: dict[str, object],
    errors: dict[str, list[str]],
    status: int = 200,
) -> tuple[str, int]:
    results = results_of(publication)
    field_key = request.args.get("feld", "")
    query = request.args.get("q", "").strip()
    listed = _listed(results.comments, field_key, query)
    shown = listed[:COMMENT_PAGE]
    shown_keys = {c.key for c in shown}
    chosen = [str(k) for k in values["comments"]]  # type: ignore[attr-defined]
    by_key = {c.key: c for c in results.comments}
    return render_template(
        "staff/publication/form.html",
        survey=survey,
        publication=publication,
        results=results,
        values=values,
        errors=errors,
        licences=[(lic.key, lic.name) for lic in LICENCES.values()],
        field_key=field_key,
        query=query,
        shown=shown,
        more=len(listed) - len(shown),
        hidden_chosen=[k for k in chosen if k not in shown_keys],
        chosen_comments=[by_key[k] for k in chosen if k in by_key],
        min_text=policy().min_text,
        chart_choices=[(f.key, f"{f.number}. {f.title}") for f in results.fields],
        breakdown_choices=[(b.key, b.text) for b in results.breakdowns],
    ), status


@bp.get("/umfragen/<int:survey_id>/ergebnisse")
@role_required(Role.STAFF)
def publication_form(survey_id: int) -> tuple[str, int]:
    """Choose what the public results page shows."""
    survey = _closed_or_404(survey_id)
    publication = current_publication(db.session, survey)
    values = {
        "show_summary": publication.show_summary,
        "charts": list(publication.charts),
        "breakdowns": list(publication.breakdowns or []),
        "comments": list(publication.comments),
        "licence": publication.licence,
    }
    return _form(survey, publication, values, {})


@bp.post("/umfragen/<int:survey_id>/ergebnisse")
@role_required(Role.STAFF)
def publication_save(survey_id: int) -> Response | tuple[str, int]:
    """Store the selection; errors keep everything that was entered."""
    survey = _closed_or_404(survey_id)
    publication = current_publication(db.session, survey)
    results = results_of(publication)
    lists = {
        "charts": request.form.getlist("charts"),
        "breakdowns": request.form.getlist("breakdowns"),
        "comments": request.form.getlist("comments"),
    }
    try:
        data = parse_publication(
            request.form,
            lists,
            [f.key for f in results.fields],
            [c.key for c in results.comments],
            [b.key for b in results.breakdowns],
        )
    except ValidationError as exc:
        values = {
            "show_summary": bool(request.form.get("show_summary")),
            "charts": lists["charts"],
            "breakdowns": lists["breakdowns"],
            "comments": lists["comments"],
            "licence": request.form.get("licence", ""),
        }
        return _form(survey, publication, values, apply_errors(exc.errors), 422)
    save_publication(db.session, survey, data, actor())
    db.session.commit()
    flash(_("Die Auswahl ist gespeichert."), "success")
    args = {k: v for k, v in request.args.items() if k in ("feld", "q") and v}
    return redirect(url_for("staff.publication_form", survey_id=survey.id, **args))  # type: ignore[arg-type]


@bp.post("/umfragen/<int:survey_id>/ergebnisse/veroeffentlichen")
@role_required(Role.STAFF)
def publication_publish(survey_id: int) -> Response:
    """Make the results public."""
    survey = get_survey_or_404(survey_id)
    return commit_and_return(
        lambda: publish(db.session, survey, actor()),
        _("Die Ergebnisse sind jetzt öffentlich."),
        url_for("staff.publication_form", survey_id=survey.id),
        refused=url_for("staff.survey_detail", survey_id=survey.id),
    )


@bp.post("/umfragen/<int:survey_id>/ergebnisse/zurueckziehen")
@role_required(Role.STAFF)
def publication_unpublish(survey_id: int) -> Response:
    """Hide the results again."""
    survey = _closed_or_404(survey_id)
    unpublish(db.session, survey, actor())
    db.session.commit()
    flash(_("Die Ergebnisse sind nicht mehr öffentlich."), "success")
    return redirect(url_for("staff.publication_form", survey_id=survey.id))


@bp.get("/umfragen/<int:survey_id>/ergebnisse/vorschau")
@role_required(Role.STAFF)
def publication_preview(survey_id: int) -> str:
    """The results page exactly as the public will see it, before publishing."""
    survey = _closed_or_404(survey_id)
    return render_results(current_publication(db.session, survey), preview=True)


@bp.get("/umfragen/<int:survey_id>/ergebnisse/vorschau/<key>.png")
@role_required(Role.STAFF)
def publication_chart(survey_id: int, key: str) -> Response:
    """A chart of the preview."""
    survey = _closed_or_404(survey_id)
    publication = current_publication(db.session, survey)
    png = chart_png(results_of(publication), key, policy().min_cell)
    if png is None:
        abort(404)
    return Response(png, mimetype="image/png")
