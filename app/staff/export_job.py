"""The XLSX of a large survey's responses as a background job (:mod:`app.jobs`).

The workbook streams (:mod:`surveys.xlsx_stream`), but for tens of thousands of responses it
would still hold a web worker (and the person's connection) for a long time. From
:data:`LARGE_SURVEY` responses on (``JOBS_XLSX_MIN_RESPONSES``), and only with a queue
configured, the export runs in the worker with progress; smaller ones stream at once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.queue import Output, Progress, connection, task
from surveys.exports import xlsx_chunks
from surveys.models import Response, Survey
from surveys.queries import data_version
from surveys.xlsx_stream import ROWS_PER_CHUNK

TASK = "staff.responses_xlsx"
#: Responses from which the XLSX is made by the worker (when a queue is configured).
LARGE_SURVEY = 5000


def runs_as_job(survey: Survey) -> bool:
    """Whether the XLSX of ``survey`` is made by the worker."""
    if connection() is None:
        return False
    limit = int(current_app.config.get("JOBS_XLSX_MIN_RESPONSES", LARGE_SURVEY))
    return _responses(survey) >= limit


def job_params(survey: Survey) -> tuple[dict[str, Any], str]:
    """The job's parameters and the data version the file depends on."""
    return {"survey": survey.id}, repr(data_version(db.session, survey.id))


@task(TASK)
def responses_xlsx_job(params: dict[str, Any], progress: Progress) -> Output:
    """The responses of survey ``params["survey"]`` and the codebook as XLSX."""
    survey = db.session.get(Survey, int(params["survey"]))
    if survey is None:
        raise LookupError("the survey no longer exists")
    total = _responses(survey)
    pieces, written = [], 0
    for piece in xlsx_chunks(db.session, survey):  # one piece per ROWS_PER_CHUNK rows
        pieces.append(piece)
        written += ROWS_PER_CHUNK
        progress(min(99, 100 * written // max(total, 1)))
    body = b"".join(pieces)
    return Output(body, "xlsx", f"{survey.slug}-antworten-{date.today().isoformat()}")


def _responses(survey: Survey) -> int:
    count = db.session.scalar(
        select(func.count(Response.id)).where(Response.survey_id == survey.id)
    )
    return int(count or 0)
