"""Moderators' dashboard: overview of the six Handlungsfelder and a page per field.

Filters (target group, channel, language) come as a GET form, so every view is a plain link
that works without JavaScript. The list of surveys and each overview show in which languages
the answers came (per target group on the overview). Numbers come from the cached analysis
(:mod:`app.workshop.dashboard.data`); suppressed cells are shown as "< 5".
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select

from analysis.frames import FIELD, GROUP, NONE, QUESTION, TEXT, TOTAL, Filters
from analysis.report import AnalysisResult
from app.downloads import download
from app.extensions import db
from app.jobs import queue as jobs
from app.language_stats import language_breakdown
from app.rate_tables import protected_rates
from app.workshop import bp
from app.workshop.dashboard.charts import find_figure
from app.workshop.dashboard.data import (
    CHANNELS,
    WARM_UP_SURVEYS,
    analysis_for,
    filter_args,
    filter_choices,
    group_label,
    groups_shown,
    heat_class,
    is_missing,
    left_out_note,
    number,
    parse_filters,
    percent,
    policy,
    reversed_note,
    rows,
    warm_up,
)
from app.workshop.dashboard.field import (
    comments_of,
    date_month_tables,
    field_view,
    number_part_tables,
)
from app.workshop.dashboard.tables import breakdown_rows, language_rows, overview_rows
from app.workshop.handout import job as mappe_job
from app.workshop.handout import mappe as handout
from app.workshop.helpers import load_survey, moderator_required
from surveys.models import Response as SurveyResponse
from surveys.models import Role, Survey
from surveys.postal import batches_of
from surveys.publication import comment_reference

COMMENTS_PER_PAGE = 50
#: How long a browser may keep a figure without asking again (its URL carries a version).
FIGURE_MAX_AGE = 3600


def _common(survey: Survey) -> dict[str, Any]:
    """Filters, the analysis and the helpers every dashboard template uses."""
    choices = filter_choices(survey)
    filters = parse_filters(request.args, choices)
    result = analysis_for(survey, filters)
    return {
        "survey": survey,
        "choices": choices,
        "channels": CHANNELS,
        "filters": filters,
        "query": filter_args(filters),
        "result": result,
        "min_cell": result.policy.min_cell,
        "fmt": number,
        "pct": percent,
        "missing": is_missing,
        "heat": heat_class,
        "group_label": lambda g: group_label(result, g),
    }


@bp.get("/auswertung/")
@moderator_required
def dashboards() -> str:
    """List the surveys with their number of responses, each linking to its dashboard."""
    counts = dict(
        db.session.execute(
            select(SurveyResponse.survey_id, func.count(SurveyResponse.id)).group_by(
                SurveyResponse.survey_id
            )
        ).all()
    )
    surveys = db.session.scalars(select(Survey).order_by(Survey.id.desc())).all()
    rules = policy()
    warm_up([s.id for s in surveys if counts.get(s.id)][:WARM_UP_SURVEYS])
    return render_template(
        "workshop/dashboard/index.html",
        rows=[(s, counts.get(s.id, 0)) for s in surveys],
        languages={s.id: language_breakdown(s, rules) for s in surveys if counts.get(s.id)},
        min_cell=rules.min_cell,
    )


@bp.get("/<slug>/dashboard")
@moderator_required
def dashboard(slug: str) -> str:
    """Overview: index per field and group (heatmap), response counts, baseline changes."""
    survey = load_survey(slug)
    context = _common(survey)
    result: AnalysisResult = context["result"]
    return render_template(
        "workshop/dashboard/overview.html",
        groups=groups_shown(result),
        fields=overview_rows(result) if not result.too_few else [],
        responses=result.responses.to_dict("records"),
        languages=language_rows(result) if not result.too_few else [],
        breakdowns=breakdown_rows(result) if not result.too_few else [],
        about_numbers=number_part_tables(result, NONE) if not result.too_few else [],
        about_dates=date_month_tables(result, NONE) if not result.too_few else [],
        field_titles=[(str(k), m["number"], m["title"]) for k, m in result.meta.fields.iterrows()],
        notes=[n for n in (reversed_note(result), left_out_note(result)) if n],
        nav_active="dashboard",
        **context,
    )


@bp.get("/<slug>/dashboard/feld/<key>")
@moderator_required
def dashboard_field(slug: str, key: str) -> str:
    """All findings of one Handlungsfeld: charts with tables, priorities, comments."""
    survey = load_survey(slug)
    context = _common(survey)
    result: AnalysisResult = context["result"]
    if key not in result.meta.fields.index:
        abort(404)
    view = None if result.too_few else field_view(result, key)
    comment_group = request.args.get("kommentare_gruppe", "")
    if comment_group not in groups_shown(result):
        comment_group = ""
    search = request.args.get("suche", "").strip()[:100]
    try:
        page = max(1, int(request.args.get("seite", "1")))
    except ValueError:
        page = 1
    found = comments_of(result, key, comment_group, search)
    pages = max(1, -(-len(found) // COMMENTS_PER_PAGE))
    page = min(page, pages)
    start = (page - 1) * COMMENTS_PER_PAGE
    text_groups = {str(r[GROUP]) for r in rows(result.comments, **{FIELD: key})} - {TOTAL}
    return render_template(
        "workshop/dashboard/field.html",
        view=view,
        field_key=key,
        fields=[(str(k), m["number"], m["title"]) for k, m in result.meta.fields.iterrows()],
        comments=[
            {**c, "ref": comment_reference(str(c[QUESTION]), str(c[GROUP]), str(c[TEXT]))}
            for c in found.iloc[start : start + COMMENTS_PER_PAGE].to_dict("records")
        ],
        comment_total=len(found),
        comment_group=comment_group,
        comment_groups=[g for g in groups_shown(result) if g in text_groups],
        search=search,
        page=page,
        pages=pages,
        nav_active="dashboard",
        **context,
    )


@bp.get("/<slug>/dashboard/abbildung/<any(likert, ipa, woerter):kind>/<subject>/<group>.png")
@moderator_required
def dashboard_figure(slug: str, kind: str, subject: str, group: str) -> Response:
    """One chart of a field page as PNG, drawn on demand from the same suppressed tables and
    under the same filters (query string) as the page; 404 when there is no such chart."""
    survey = load_survey(slug)
    result = analysis_for(survey, parse_filters(request.args, filter_choices(survey)))
    figure = find_figure(result, kind, subject, group)
    if figure is None:
        abort(404)
    response = Response(mimetype="image/png")
    response.set_etag(figure.etag)
    response.cache_control.private = True
    response.cache_control.max_age = FIGURE_MAX_AGE
    if request.if_none_match.contains(figure.etag):
        response.status_code = 304
        return response
    response.set_data(figure.png())
    return response


@bp.get("/<slug>/mappe.pdf")
@moderator_required
def handout_pdf(slug: str) -> ResponseReturnValue:
    """The Workshop-Mappe as PDF (A4, title page, summary, one chapter per field): made by a
    background job with a queue (the job page shows its progress), else at once."""
    survey = load_survey(slug)
    params, version = mappe_job.mappe_params(survey)
    roles = (Role.MODERATOR, Role.STAFF)
    started = jobs.start(mappe_job.TASK, params, current_user, roles, version=version)
    if isinstance(started, jobs.Output):
        return download(started.body, started.fmt, started.stem)
    return redirect(url_for("jobs.page", job_id=started), 303)


@bp.get("/<slug>/mappe.xlsx")
@moderator_required
def handout_xlsx(slug: str) -> Response:
    """Every table of the analysis (and the previous period's measures) as XLSX."""
    survey = load_survey(slug)
    result = _common(survey)["result"]
    rates = None
    if batches_of(db.session, survey):
        # Mailings describe the whole survey, whatever the filters: its guard decides.
        everyone = analysis_for(survey, Filters())
        rates = protected_rates(
            survey, everyone.policy.min_cell, total_known=everyone.n_responses is not None
        )
    data = handout.handout_xlsx(result, handout.all_previous(survey), rates)
    return download(data, "xlsx", f"workshop-mappe-{slug}")
