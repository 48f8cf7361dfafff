"""Configuration: environment variables, safe defaults, production refusals."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import DEV_SECRET_KEY, ConfigError, load_config


def test_development_defaults(tmp_path) -> None:
    config = load_config(str(tmp_path), env={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/familienkompass.db"
    assert config["SECRET_KEY"] == DEV_SECRET_KEY
    assert config["MIN_CELL"] == 5
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["SESSION_COOKIE_HTTPONLY"] is True


def test_postgres_url_uses_psycopg3(tmp_path) -> None:
    config = load_config(str(tmp_path), env={"DATABASE_URL": "postgres://u@db/x"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/x"


@pytest.mark.parametrize("variable", ["APP_ENV", "FLASK_ENV"])
@pytest.mark.parametrize("secret", [None, "", DEV_SECRET_KEY, "short"])
def test_production_refuses_weak_secret(tmp_path, variable: str, secret: str | None) -> None:
    env = {variable: "production"}
    if secret is not None:
        env["SECRET_KEY"] = secret
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(str(tmp_path), env=env)


def test_production_with_real_secret(tmp_path) -> None:
    config = load_config(str(tmp_path), env={"APP_ENV": "production", "SECRET_KEY": "x" * 40})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["APP_ENV"] == "production"


def test_create_app_refuses_production_without_secret(monkeypatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()


@pytest.mark.parametrize(("value", "ok"), [("2", False), ("abc", False), ("3", True)])
def test_min_cell_never_below_three(tmp_path, value: str, ok: bool) -> None:
    if ok:
        assert load_config(str(tmp_path), env={"MIN_CELL": value})["MIN_CELL"] == 3
    else:
        with pytest.raises(ConfigError):
            load_config(str(tmp_path), env={"MIN_CELL": value})


def test_overrides_win(tmp_path) -> None:
    app = create_app({"SITE_NAME": "Testkompass", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SITE_NAME"] == "Testkompass"
