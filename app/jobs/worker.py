"""``flask jobs worker``: the process that runs the background jobs of :mod:`app.jobs.queue`.

An rq ``SimpleWorker`` (no fork per job) inside the app context, so tasks use the app's
database session (removed after each job), templates and the per-process caches of analyses
and figures (a second Mappe of the same data is quick). Run one or more next to gunicorn
(systemd unit ``deploy/familienkompass-worker.service``), with the web nodes' ``REDIS_URL``.
"""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup
from rq import SimpleWorker

from app.jobs.queue import connection, queue

jobs_cli = AppGroup("jobs", help="Hintergrundaufträge (Workshop-Mappe, große Exporte).")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (tests, cron).")
def worker_command(burst: bool) -> None:
    """Run the jobs of the queue until stopped (SIGTERM finishes the current job first)."""
    redis = connection()
    if redis is None:
        raise click.UsageError("REDIS_URL is not set: without Redis, jobs run in the web process.")
    logging.getLogger("rq.worker").setLevel(logging.INFO)
    worker = SimpleWorker([queue(redis)], connection=redis)
    click.echo(f"Worker for {current_app.name}: queue {queue(redis).name}")
    worker.work(burst=burst, with_scheduler=False)
