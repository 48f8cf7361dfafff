"""Flask application factory of Familienkompass."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request
from flask.wrappers import Response
from werkzeug.routing import IntegerConverter, Map

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
    app.url_map.converters["int"] = DatabaseIntConverter
    register_blueprints(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_error_pages(app)
    register_cli(app)
    trust_proxy(app)
    quiet_request_logging()
    return app


class DatabaseIntConverter(IntegerConverter):
    """``<int:…>`` limited to what an id column holds (PostgreSQL ``integer``).

    A larger number (``/verwaltung/umfragen/99999999999999999999``) does not match the route,
    so it is a 404 instead of a database overflow error (500) on SQLite and PostgreSQL.
    """

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def trust_proxy(app: Flask) -> None:
    """Take the client address and scheme from exactly ``TRUSTED_PROXY_HOPS`` reverse proxies.

    0 (the development default) ignores every ``X-Forwarded-*`` header, so a client cannot
    forge its address; the shipped production configuration sets 1 for the nginx in front.
    The address is only used hashed as a rate-limit key (``app.common.ratelimit``), never
    stored or logged.
    """
    hops = int(app.config.get("TRUSTED_PROXY_HOPS", 0))
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0
        )


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
    # The single sign-on button posts to this site, which redirects to the identity provider;
    # browsers apply form-action to that redirect too (docs/single-sign-on.md).
    if app.config.get("OIDC_ISSUER"):
        issuer = urlsplit(app.config["OIDC_ISSUER"])
        csp += f" {issuer.scheme}://{issuer.netloc}"

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # same-origin, not no-referrer: the browser sends the Referer to this site only (never
        # to another one), and Flask-WTF's WTF_CSRF_SSL_STRICT needs it to accept HTTPS POSTs.
        response.headers.setdefault("Referrer-Policy", "same-origin")
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
    from app.jobs import init_app as init_jobs

    register(app)
    init_jobs(app)  # the job page's blueprint and `flask jobs worker`


class NoClientAddressFilter(logging.Filter):
    """Drop werkzeug's request lines: they begin with the client's address.

    The level WARNING alone is not enough: werkzeug logs refused requests (414 URI too long,
    400 bad request line) as warnings and errors, each with the address in front.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "funcName", "") != "log_request" and not _is_request_line(record)


def _is_request_line(record: logging.LogRecord) -> bool:
    msg = str(record.msg)
    return msg.startswith("%s - - [%s] %s") or " - - [" in msg


def quiet_request_logging() -> None:
    """Keep client addresses out of the logs: the dev server's request log is switched off."""
    logger = logging.getLogger("werkzeug")
    logger.setLevel(logging.WARNING)
    if not any(isinstance(f, NoClientAddressFilter) for f in logger.filters):
        logger.addFilter(NoClientAddressFilter())
