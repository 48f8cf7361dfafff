"""Background jobs on rq: long downloads (the Workshop-Mappe, the XLSX of a large survey)
made by a worker process instead of a web worker, with progress and an owner.

A task is a function registered under a name with :func:`task`; it takes the job's
parameters and a progress callback and returns a :class:`Output` (the file). Views call
:func:`start`: with ``REDIS_URL`` configured it enqueues the task on the production stack's
Redis and returns the job id (the view sends the person to the job page); without Redis it
runs the task at once and returns the file (development, tests, a single small installation).

What a job keeps, and for how long (see ``docs/background-jobs.md``):

* its parameters (survey id, filters), its owner (the staff account's id and the roles the
  download needs), its progress – no IP address, user agent or other request data;
* its result, the file, only in Redis and only for :data:`JOB_TTL` seconds; nothing is written
  to disk by the worker;
* the same person asking again for the same file of the same data gets the same job
  (:func:`start` keys jobs by task, parameters, data version and owner).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from flask import current_app
from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from app.extensions import db
from surveys.models import Role, User

#: Seconds a finished job's file (and a failed job's state) stays in Redis.
JOB_TTL = 3600
#: Seconds a task may run before the worker stops it.
JOB_TIMEOUT = 900
#: The rq queue of this application.
QUEUE_NAME = "familienkompass"
#: Prefix of the keys that map a request (task, parameters, owner) to its job.
DEDUPE_PREFIX = "familienkompass:job-for:"

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Output:
    """A task's file: its bytes, its format (:data:`app.downloads.FORMATS`) and name stem."""

    body: bytes
    fmt: str
    stem: str


Task = Callable[[dict[str, Any], Progress], Output]
TASKS: dict[str, Task] = {}


def task(name: str) -> Callable[[Task], Task]:
    """Register ``function`` as the task ``name`` (a worker imports every blueprint)."""

    def register(function: Task) -> Task:
        TASKS[name] = function
        return function

    return register


def connection() -> Redis | None:
    """The Redis of the job queue (``REDIS_URL``), or ``None``: run tasks inline."""
    url = str(current_app.config.get("REDIS_URL") or "")
    if not url:
        return None
    clients: dict[str, Redis] = current_app.extensions.setdefault("job_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(url)
    return clients[url]


def queue(redis: Redis) -> Queue:
    """The application's rq queue on ``redis``."""
    name = str(current_app.config.get("JOBS_QUEUE") or QUEUE_NAME)  # tests: one of their own
    return Queue(name, connection=redis, default_timeout=JOB_TIMEOUT)


def _dedupe_key(name: str, params: dict[str, Any], version: str, owner: int) -> str:
    text = json.dumps([name, params, version, owner], sort_keys=True, default=str)
    return DEDUPE_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def start(
    name: str,
    params: dict[str, Any],
    user: User,
    roles: Iterable[Role],
    *,
    version: str = "",
) -> str | Output:
    """Start task ``name`` for ``user`` (who must keep one of ``roles`` to fetch the file).

    Returns the job id when a queue is configured (an unfinished or finished job of the same
    request, data ``version`` and person is reused), else the file, made at once.
    """
    redis = connection()
    if redis is None:
        return TASKS[name](params, lambda _percent: None)
    key = _dedupe_key(name, params, version, user.id)
    known = cast(bytes | None, redis.get(key))
    if known is not None:
        job = _fetch(redis, known.decode())
        if job is not None and job.get_status() not in (JobStatus.FAILED, JobStatus.STOPPED):
            return job.id
    job = queue(redis).enqueue_call(
        "app.jobs.queue.execute",
        args=(name, params),
        description=name,  # the worker logs this: the task's name, nothing about a person
        timeout=JOB_TIMEOUT,
        result_ttl=JOB_TTL,
        failure_ttl=JOB_TTL,
        ttl=JOB_TTL,
        meta={"owner": user.id, "roles": [r.value for r in roles], "task": name, "progress": 0},
    )
    redis.set(key, job.id, ex=JOB_TTL)
    return job.id


def _fetch(redis: Redis, job_id: str) -> Job | None:
    try:
        return Job.fetch(job_id, connection=redis)
    except NoSuchJobError:
        return None


def job_of(job_id: str, user: User) -> Job | None:
    """The job ``job_id`` if ``user`` started it and still has a role it needs, else ``None``
    (also when no queue is configured or the job has expired)."""
    redis = connection()
    if redis is None or not job_id.replace("-", "").isalnum() or len(job_id) > 64:
        return None
    job = _fetch(redis, job_id)
    if job is None or job.meta.get("owner") != user.id:
        return None
    if not user.has_role(*(Role(r) for r in job.meta.get("roles", []))):
        return None
    return job


def result_of(job: Job) -> Output | None:
    """The file of a finished job (``None`` while it runs, after a failure or expiry)."""
    if job.get_status() != JobStatus.FINISHED:
        return None
    value = job.return_value()
    return value if isinstance(value, Output) else None


def execute(name: str, params: dict[str, Any]) -> Output:
    """Run task ``name`` in the worker (inside the app context ``flask jobs worker`` holds),
    reporting its progress in the job's meta data."""
    from rq import get_current_job

    job = get_current_job()

    def progress(percent: int) -> None:
        if job is not None:
            job.meta["progress"] = max(0, min(100, int(percent)))
            job.save_meta()  # type: ignore[no-untyped-call]

    # A request of its own to the URL the job was started from (``params["path"]``: its
    # blueprint's template helpers apply), with the filters as its query string.
    path = str(params.get("path") or "/")
    try:
        with current_app.test_request_context(path, query_string=params.get("query") or {}):
            return TASKS[name](params, progress)
    finally:
        # One job's objects never leak into the next; a failed transaction does not stay open.
        db.session.remove()
