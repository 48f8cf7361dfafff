"""The XLSX of a large survey's responses as a background job (:mod:`app.jobs`).

A workbook is a zip: it is complete only at the end, so unlike the CSV it cannot be sent while
it is written, and for tens of thousands of responses it would hold a web worker for a long
time. From :data:`LARGE_SURVEY` responses on (``JOBS_XLSX_MIN_RESPONSES``), and only with a
queue configured, the export runs in the worker; smaller ones are sent at once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.queue import Output, Progress, connection, task
from surveys.exports import to_xlsx
from surveys.models import Response, Survey
from surveys.queries import data_version

TASK = "staff.responses_xlsx"
#: Responses from which the XLSX is made by the worker (when a queue is configured).
LARGE_SURVEY = 5000


def runs_as_job(survey: Survey) -> bool:
    """Whether the XLSX of ``survey`` is made by the worker."""
    if connection() is None:
        return False
    limit = int(current_app.config.get("JOBS_XLSX_MIN_RESPONSES", LARGE_SURVEY))
    count = db.session.scalar(
        select(func.count(Response.id)).where(Response.survey_id == survey.id)
    )
    return int(count or 0) >= limit


def job_params(survey: Survey) -> tuple[dict[str, Any], str]:
    """The job's parameters and the data version the file depends on."""
    return {"survey": survey.id}, repr(data_version(db.session, survey.id))


@task(TASK)
def responses_xlsx_job(params: dict[str, Any], progress: Progress) -> Output:
    """The responses of survey ``params["survey"]`` and the codebook as XLSX."""
    survey = db.session.get(Survey, int(params["survey"]))
    if survey is None:
        raise LookupError("the survey no longer exists")
    progress(5)
    body = to_xlsx(db.session, survey)
    return Output(body, "xlsx", f"{survey.slug}-antworten-{date.today().isoformat()}")
