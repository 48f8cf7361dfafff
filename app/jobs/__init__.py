"""Background jobs: the queue (:mod:`app.jobs.queue`), the job page (:mod:`app.jobs.views`)
and the worker command ``flask jobs worker`` (:mod:`app.jobs.worker`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the job page's blueprint and the ``flask jobs`` commands."""
    from app.jobs.views import bp
    from app.jobs.worker import jobs_cli

    app.register_blueprint(bp)
    app.cli.add_command(jobs_cli)
