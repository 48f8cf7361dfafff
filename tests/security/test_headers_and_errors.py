"""Security headers on every response, session cookie flags and error pages without traces."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app.config import load_config
from app.extensions import db
from tests.app.workshop_support import ensure_login_route
from tests.app_fixtures import make_app
from tests.security.world import logged_in, rules, seed, url_for_rule

REQUIRED_CSP = ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'")


def check_headers(headers: Any, where: str) -> None:
    """The headers every response must carry."""
    csp = headers.get("Content-Security-Policy", "")
    for directive in REQUIRED_CSP:
        assert directive in csp, f"{directive} missing on {where}"
    script = next((d for d in csp.split(";") if d.strip().startswith("script-src")), "")
    assert script, f"no script-src on {where}"
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") in ("no-referrer", "same-origin"), where


def test_every_response_has_the_security_headers(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    for client in (app.test_client(), logged_in(app, world.admin)):
        for rule in rules(app, "GET"):
            path = url_for_rule(app, rule, world.values(rule))
            check_headers(client.get(path).headers, path)
    check_headers(app.test_client().get("/gibt-es-nicht").headers, "404")


def test_hsts_only_over_https(app: Flask) -> None:
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert "max-age=" in secure.headers["Strict-Transport-Security"]


def test_no_inline_script_or_style_in_pages(app: Flask) -> None:
    ensure_login_route(app)
    world = seed()
    client = logged_in(app, world.admin)
    for rule in rules(app, "GET"):
        response = client.get(url_for_rule(app, rule, world.values(rule)))
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for start in range(len(html)):
            start = html.find("<script", start)
            if start < 0:
                break
            tag = html[start : html.find(">", start) + 1]
            assert "src=" in tag, f"inline script on {rule.rule}"
        assert " style=" not in html, f"style attribute on {rule.rule}"
        assert " onclick=" not in html.lower() and " onload=" not in html.lower(), rule.rule


def test_production_session_cookie_is_secure_httponly_samesite(tmp_path: Any) -> None:
    env = {"APP_ENV": "production", "SECRET_KEY": "x" * 40}
    config = load_config(str(tmp_path), env)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")


def test_session_cookie_flags_on_the_wire(app_database: str) -> None:
    app = make_app(app_database, SESSION_COOKIE_SECURE=True)
    with app.app_context():
        seed()
        client = app.test_client()
        response = client.post(
            "/s/familienumfrage/familien/seite/1",
            data={"aktion": "speichern"},
            base_url="https://localhost",
        )
        cookies = [v for k, v in response.headers.items() if k == "Set-Cookie"]
        assert cookies
        for cookie in cookies:
            lowered = cookie.lower()
            assert "secure" in lowered and "httponly" in lowered and "samesite=lax" in lowered
        from tests.app_fixtures import empty_tables

        empty_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture()
def failing_app(app_database: str) -> Iterator[Flask]:
    """An app that is not in testing mode (errors become pages) with a failing route."""
    app = make_app(app_database, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def boom() -> str:
        raise RuntimeError("secret detail /etc/passwd SELECT * FROM user_account")

    app.add_url_rule("/boom", "boom", boom)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_error_pages_show_no_stack_trace(failing_app: Flask) -> None:
    client = failing_app.test_client()
    for path, status in (("/boom", 500), ("/gibt-es-nicht", 404), ("/s/x/y/seite/abc", 404)):
        response = client.get(path)
        assert response.status_code == status
        body = response.get_data(as_text=True)
        for leak in ("Traceback", "secret detail", 'File "', "werkzeug", "sqlalchemy"):
            assert leak not in body, f"{leak} on {path}"
        assert 'lang="de"' in body
    response = client.delete("/")
    assert response.status_code == 405
    assert "Traceback" not in response.get_data(as_text=True)
