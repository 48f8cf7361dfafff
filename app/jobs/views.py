"""The job page, its JSON status and the download of the finished file.

``/auftraege/<id>`` shows what is being made and how far it is ("Die Workshop-Mappe wird
erstellt … 40 %"); without JavaScript the page reloads itself every few seconds (meta refresh)
and has an "Aktualisieren" link, with JavaScript (``app/static/js/job-status.js``) it asks
``/auftraege/<id>/status`` instead and swaps in the download button when the file is ready.
Only the account that started a job sees any of these (404 for everyone else, also for
expired or unknown jobs), and only while it keeps a role the download needs.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from rq.job import Job, JobStatus

from app.downloads import download
from app.jobs.queue import job_of, result_of

bp = Blueprint("jobs", __name__, url_prefix="/auftraege")

#: Seconds between two reloads of the job page without JavaScript.
REFRESH_SECONDS = 3

#: What each task makes, for the page's heading (task name -> German noun phrase).
TITLES: dict[str, Any] = {
    "workshop.mappe_pdf": _l("Die Workshop-Mappe (PDF)"),
    "staff.responses_xlsx": _l("Die Excel-Datei mit den Antworten (XLSX)"),
}


def _job(job_id: str) -> Job:
    job = job_of(job_id, current_user)
    if job is None:
        abort(404)
    return job


def status_of(job: Job) -> dict[str, Any]:
    """What the page and the JSON status show: state, progress in percent, download URL."""
    status = job.get_status()
    state = (
        {
            JobStatus.FINISHED: "finished",
            JobStatus.FAILED: "failed",
            JobStatus.STOPPED: "failed",
            JobStatus.CANCELED: "failed",
            JobStatus.STARTED: "started",
        }.get(status, "queued")
        if status is not None
        else "failed"
    )
    if state == "finished" and result_of(job) is None:
        state = "failed"  # expired between two looks, or not a file
    progress = 100 if state == "finished" else int(job.meta.get("progress", 0))
    return {
        "state": state,
        "progress": progress,
        "download": url_for("jobs.file", job_id=job.id) if state == "finished" else None,
    }


@bp.get("/<job_id>")
@login_required
def page(job_id: str) -> str:
    """The job page: progress while the file is made, then its download button."""
    job = _job(job_id)
    title = TITLES.get(str(job.meta.get("task")), _l("Die Datei"))
    return render_template(
        "jobs/status.html",
        job=job,
        status=status_of(job),
        title=title,
        refresh=REFRESH_SECONDS,
    )


@bp.get("/<job_id>/status")
@login_required
def status(job_id: str) -> Response:
    """The job's state as JSON (what ``job-status.js`` polls)."""
    response = jsonify(status_of(_job(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<job_id>/datei")
@login_required
def file(job_id: str) -> Response:
    """The finished file (404 while it is made, after a failure and once it has expired)."""
    output = result_of(_job(job_id))
    if output is None:
        abort(404)
    return download(output.body, output.fmt, output.stem)
