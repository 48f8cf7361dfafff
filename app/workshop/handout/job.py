"""The Workshop-Mappe (PDF) as a background job (:mod:`app.jobs`).

With a queue configured, ``mappe.pdf`` starts this task and sends the moderator to the job
page; the worker renders the Mappe with progress (charts, then layout). Without a queue the
view renders it at once, as before.
"""

from __future__ import annotations

from typing import Any

from flask import request

from app.extensions import db
from app.jobs.queue import Output, Progress, task
from app.workshop.dashboard.data import (
    analysis_for,
    filter_args,
    filter_choices,
    is_missing,
    number,
    parse_filters,
    percent,
)
from app.workshop.handout.mappe import handout_pdf
from surveys.models import Survey
from surveys.queries import data_version

TASK = "workshop.mappe_pdf"
#: The helpers of the Mappe's template (as the dashboard's views pass them).
TEMPLATE_HELPERS = {"fmt": number, "pct": percent, "missing": is_missing}


@task(TASK)
def mappe_job(params: dict[str, Any], progress: Progress) -> Output:
    """Render the Mappe of survey ``params["survey"]`` under the filters of the job request's
    query string (:func:`app.jobs.queue.execute` passes ``params["query"]`` as it)."""
    survey = db.session.get(Survey, int(params["survey"]))
    if survey is None:
        raise LookupError("the survey no longer exists")
    result = analysis_for(survey, parse_filters(request.args, filter_choices(survey)))
    progress(5)
    pdf = handout_pdf(survey, result, TEMPLATE_HELPERS, progress)
    return Output(pdf, "pdf", f"workshop-mappe-{survey.slug}")


def mappe_params(survey: Survey) -> tuple[dict[str, Any], str]:
    """The job parameters of this request's Mappe (survey, filters as parsed, so that
    unknown query arguments never reach the job) and the data version they depend on."""
    filters = parse_filters(request.args, filter_choices(survey))
    params = {"survey": survey.id, "path": request.path, "query": dict(filter_args(filters))}
    version = (data_version(db.session, survey.id), data_version(db.session, survey.baseline_id))
    return params, repr(version)
