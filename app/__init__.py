"""Flask application factory of Familienkompass."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, request
from flask.wrappers import Response

from app.config import PROJECT_ROOT, load_config
from app.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the app; ``overrides`` replace settings (tests use them)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.update(load_config(app.instance_path))
    if overrides:
        app.config.update(overrides)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        PROJECT_ROOT.joinpath("instance").mkdir(exist_ok=True)
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    register_extensions(app)
    register_blueprints(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_error_pages(app)
    register_cli(app)
    quiet_request_logging()
    return app


def register_extensions(app: Flask) -> None:
    """Initialise the extension objects of :mod:`app.extensions`."""
    import surveys.db  # noqa: F401  - registers the SQLite pragmas

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    from app import auth  # noqa: F401  - registers the user loader
    from surveys.questionnaire_cache import QuestionnaireCache

    app.extensions["questionnaire_cache"] = QuestionnaireCache()


def select_locale() -> str:
    """Choose the interface language (German unless a supported one is asked for)."""
    from app.i18n import select_locale as select

    return select()


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint."""
    from app.account import bp as auth_bp
    from app.citizen import bp as citizen_bp
    from app.public import bp as public_bp
    from app.results import bp as results_bp
    from app.staff import bp as staff_bp
    from app.workshop import bp as workshop_bp
    from app.workshop import vote_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(workshop_bp)
    app.register_blueprint(vote_bp)
    app.register_blueprint(citizen_bp)
    app.register_blueprint(results_bp)


def register_security_headers(app: Flask) -> None:
    """Send a strict Content-Security-Policy and related headers on every response."""
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    )

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response


def register_template_helpers(app: Flask) -> None:
    """Expose site settings and formatting helpers to templates."""
    from app.i18n import register_template_globals

    register_template_globals(app)
    from app.i18n_content import register_content_helpers

    register_content_helpers(app)


def register_error_pages(app: Flask) -> None:
    """German error pages without stack traces."""
    from app.errors import register

    register(app)


def register_cli(app: Flask) -> None:
    """Add the project's ``flask`` commands."""
    from app.cli import register

    register(app)


def quiet_request_logging() -> None:
    """Keep client addresses out of the logs: the dev server's access log is switched off."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
