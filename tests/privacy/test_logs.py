"""Logs never contain the client address for survey routes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from tests.app.citizen_flow import answer_all, submission_id, submit
from tests.factories import build_survey

ADDRESS = "203.0.113.77"


def test_a_complete_survey_flow_logs_no_client_address(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    build_survey(db.session)
    db.session.commit()
    client = app.test_client()
    client.environ_base.update(
        REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT="Agent/1.0 Privacy", HTTP_REFERER="https://ref.example"
    )
    with caplog.at_level(logging.DEBUG):
        client.get("/s/familienumfrage")
        answer_all(client, "familien")
        response = submit(client, "familien", submission_id(client, "familien"))
        assert response.status_code == 303
        client.get("/s/familienumfrage/gibt-es-nicht/seite/1")
        client.post("/s/familienumfrage/weiter", data={"code": "FALSCH"})
    text = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert ADDRESS not in text
    assert "Agent/1.0" not in text and "ref.example" not in text


def test_gunicorn_keeps_no_access_log() -> None:
    config = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    namespace: dict[str, object] = {}
    exec(compile(config.read_text(), str(config), "exec"), namespace)  # noqa: S102
    assert namespace["accesslog"] is None
    assert namespace["worker_class"] == "sync"
