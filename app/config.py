"""Configuration from environment variables with safe development defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from surveys.db import normalize_database_url

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production below
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the message says what to set."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on", "ja")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc


def _open_data(env: Mapping[str, str]) -> dict[str, str]:
    """Who publishes the open-data catalogue (DCAT-AP.de, ``docs/open-data.md``) and where."""
    publisher = env.get("OPENDATA_PUBLISHER_NAME") or env.get("MUNICIPALITY", "Stadt Delmenhorst")
    key = env.get("OPENDATA_MUNICIPALITY_KEY", "03401000").strip()  # AGS of Delmenhorst
    if not (len(key) == 8 and key.isdigit()):
        raise ConfigError(f"OPENDATA_MUNICIPALITY_KEY must be an 8-digit AGS, got {key!r}")
    uri = env.get("OPENDATA_PUBLISHER_URI", "https://www.delmenhorst.de/").strip()
    if not uri.startswith(("https://", "http://")):
        raise ConfigError(f"OPENDATA_PUBLISHER_URI must be an http(s) address, got {uri!r}")
    email = env.get("OPENDATA_CONTACT_EMAIL", "").strip()
    if email and ("@" not in email or any(c.isspace() for c in email)):
        raise ConfigError(f"OPENDATA_CONTACT_EMAIL is not an e-mail address: {email!r}")
    return {
        "OPENDATA_PUBLISHER_NAME": publisher,
        "OPENDATA_PUBLISHER_URI": uri,
        "OPENDATA_MUNICIPALITY_KEY": key,
        "OPENDATA_CONTACT_EMAIL": email,
        "OPENDATA_ATTRIBUTION": env.get("OPENDATA_ATTRIBUTION", "").strip() or publisher,
        # GovData's id of the delivering portal (http://dcat-ap.de/def/contributors/...)
        "OPENDATA_CONTRIBUTOR_ID": env.get("OPENDATA_CONTRIBUTOR_ID", "").strip(),
    }


def _trim(env: Mapping[str, str]) -> tuple[float, float] | None:
    """``WEIGHT_TRIM``: "0.2,5" keeps weights within 0.2 and 5 times the mean; "aus" none."""
    value = env.get("WEIGHT_TRIM", "0.2,5").strip().lower()
    if value in ("aus", "off", "none", "0"):
        return None
    try:
        lower, upper = (float(part) for part in value.split(","))
    except ValueError as exc:
        raise ConfigError(f"WEIGHT_TRIM must look like 0.2,5 or aus, got {value!r}") from exc
    if not 0 < lower < 1 < upper:
        raise ConfigError("WEIGHT_TRIM needs 0 < lower < 1 < upper, e.g. 0.2,5.")
    return lower, upper


def is_production(env: Mapping[str, str]) -> bool:
    """Return whether APP_ENV or FLASK_ENV says production."""
    return "production" in (env.get("APP_ENV", "").lower(), env.get("FLASK_ENV", "").lower())


def _two_factor_roles(env: Mapping[str, str], production: bool) -> str:
    """Roles that need a second factor: "admin,staff" in production, none otherwise.

    Development and the demo (``make run``) keep password-only logins unless
    ``TWO_FACTOR_REQUIRED_ROLES`` says otherwise; an empty value in production switches the
    requirement off on purpose.
    """
    from surveys.two_factor import parse_required_roles

    value = env.get("TWO_FACTOR_REQUIRED_ROLES")
    if value is None:
        value = "admin,staff" if production else ""
    try:
        roles = parse_required_roles(value)
    except ValueError as exc:
        raise ConfigError(f"TWO_FACTOR_REQUIRED_ROLES: {exc}") from exc
    return ",".join(sorted(role.value for role in roles))


def _single_sign_on(env: Mapping[str, str], production: bool) -> dict[str, Any]:
    """OpenID Connect login of staff (``docs/single-sign-on.md``); off without ``OIDC_ISSUER``."""
    from surveys.single_sign_on import parse_role_map

    issuer = env.get("OIDC_ISSUER", "").strip().rstrip("/")
    try:
        role_map = parse_role_map(env.get("OIDC_ROLE_MAP", ""))
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    if issuer and (not env.get("OIDC_CLIENT_ID") or not role_map):
        raise ConfigError("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_ROLE_MAP as well.")
    if issuer and production and not issuer.startswith("https://"):
        raise ConfigError("OIDC_ISSUER must be an https:// address in production.")
    return {
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": env.get("OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": env.get("OIDC_CLIENT_SECRET", ""),
        "OIDC_SCOPES": env.get("OIDC_SCOPES", "openid email profile"),
        "OIDC_ROLE_CLAIM": env.get("OIDC_ROLE_CLAIM", "groups").strip(),
        "OIDC_ROLE_MAP": role_map,
        "OIDC_BUTTON_LABEL": env.get("OIDC_BUTTON_LABEL", "").strip(),
        "OIDC_TIMEOUT": _int(env, "OIDC_TIMEOUT", 10),
    }


def load_config(instance_path: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask configuration from ``env`` (default: ``os.environ``).

    Raises :class:`ConfigError` when production is asked for without a real secret key.
    """
    env = os.environ if env is None else env
    production = is_production(env)
    secret = env.get("SECRET_KEY", "")
    if production and (not secret or secret == DEV_SECRET_KEY or len(secret) < 32):
        raise ConfigError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    default_db = "sqlite:///" + str(Path(instance_path) / "familienkompass.db")
    database_url = normalize_database_url(env.get("DATABASE_URL") or default_db)
    min_cell = _int(env, "MIN_CELL", 5)
    two_factor_roles = _two_factor_roles(env, production)
    if min_cell < 3:
        raise ConfigError("MIN_CELL must be at least 3 (reports never show smaller groups).")
    return {
        "APP_ENV": "production" if production else env.get("APP_ENV", "development"),
        "SECRET_KEY": secret or DEV_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
        "MIN_CELL": min_cell,
        "MIN_TEXT_GROUP": _int(env, "MIN_TEXT_GROUP", 10),
        "DRAFT_TTL_DAYS": _int(env, "DRAFT_TTL_DAYS", 30),
        "DEMO_RESPONSES": _int(env, "DEMO_RESPONSES", 3000),
        # Trimming bounds of survey weights, as multiples of the mean weight (None: no trimming).
        "WEIGHT_TRIM": _trim(env),
        # Compute the dashboards' analyses in the background when the workshop pages open.
        "DASHBOARD_WARM_UP": _bool(env.get("DASHBOARD_WARM_UP"), True),
        "SITE_NAME": env.get("SITE_NAME", "Familienkompass Delmenhorst"),
        "MUNICIPALITY": env.get("MUNICIPALITY", "Stadt Delmenhorst"),
        **_open_data(env),
        # Erklärung zur Barrierefreiheit: what the municipality fills in (empty = marked gap).
        "ACCESSIBILITY_STATUS": env.get("ACCESSIBILITY_STATUS", ""),
        "ACCESSIBILITY_REVIEWED_ON": env.get("ACCESSIBILITY_REVIEWED_ON", ""),
        "ACCESSIBILITY_LIMITATIONS": env.get("ACCESSIBILITY_LIMITATIONS", ""),
        "ACCESSIBILITY_CONTACT": env.get("ACCESSIBILITY_CONTACT", ""),
        "BABEL_DEFAULT_LOCALE": "de",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "app" / "translations"),
        # Long questionnaires: the CSRF token lives as long as the session, and an expired
        # token re-renders the page with the answers kept instead of failing.
        "WTF_CSRF_TIME_LIMIT": _int(env, "CSRF_TIME_LIMIT", 4 * 3600),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), production),
        "PERMANENT_SESSION_LIFETIME": _int(env, "SESSION_LIFETIME", 8 * 3600),
        "STAFF_IDLE_TIMEOUT": _int(env, "STAFF_IDLE_TIMEOUT", 30 * 60),
        # Shared by every gunicorn worker and app node: redis://host:port/db in production
        # (memory:// counts per process, so N processes would allow N times the limit).
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        # The background jobs' queue (app.jobs); empty: jobs run inline in the web process.
        "REDIS_URL": env.get("REDIS_URL", ""),
        # Reverse proxies whose X-Forwarded-For/-Proto are believed (0 = none, the default).
        "TRUSTED_PROXY_HOPS": _int(env, "TRUSTED_PROXY_HOPS", 0),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), True),
        "SUBMIT_RATE_LIMIT": env.get("SUBMIT_RATE_LIMIT", "120 per minute"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "5 per minute"),
        # failed logins of one client over all accounts; there is no limit over all clients
        "LOGIN_CLIENT_RATE_LIMIT": env.get("LOGIN_CLIENT_RATE_LIMIT", "20 per minute"),
        # failed access-code or resume-code entries of one client (code guessing)
        "CODE_RATE_LIMIT": env.get("CODE_RATE_LIMIT", "10 per minute"),
        # Roles that must log in with a second factor (TOTP); see docs/two-factor.md.
        "TWO_FACTOR_REQUIRED_ROLES": two_factor_roles,
        # wrong second-factor codes per account and client, and per account over all clients
        "TWO_FACTOR_RATE_LIMIT": env.get("TWO_FACTOR_RATE_LIMIT", "5 per minute"),
        "TWO_FACTOR_ACCOUNT_RATE_LIMIT": env.get("TWO_FACTOR_ACCOUNT_RATE_LIMIT", "30 per hour"),
        # the name authenticator apps show next to the account (default: SITE_NAME)
        "TWO_FACTOR_ISSUER": env.get("TWO_FACTOR_ISSUER", ""),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        **_single_sign_on(env, production),
    }
