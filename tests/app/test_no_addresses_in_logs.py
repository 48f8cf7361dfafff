"""Client addresses never reach a log: gunicorn's invalid-request warnings and the dev
server's request lines (also the 414 and 400 ones, which werkzeug logs as warnings/errors)."""

from __future__ import annotations

import logging
import runpy
import socket
import threading
from pathlib import Path

import pytest
from gunicorn.config import Config
from werkzeug.serving import make_server

from app import create_app
from app.gunicorn_logging import AnonymousLogger, scrub

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("address", ["203.0.113.7", "2001:db8::1", "::1"])
def test_gunicorn_invalid_request_warning_loses_the_address(
    address: str, caplog: pytest.LogCaptureFixture
) -> None:
    # the exact call of gunicorn/workers/base.py:handle_error
    line = "Invalid request from ip={ip}: {error}".format(ip=address, error="Invalid HTTP method")
    assert scrub(line) == "Invalid request: Invalid HTTP method"
    logger = AnonymousLogger(Config())
    logger.error_log.propagate = True
    with caplog.at_level(logging.WARNING, logger="gunicorn.error"):
        logger.warning(line)
    assert "Invalid HTTP method" in caplog.text
    assert address not in caplog.text


def test_gunicorn_conf_uses_the_anonymous_logger() -> None:
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["logger_class"] == "app.gunicorn_logging.AnonymousLogger"
    assert settings["accesslog"] is None


def test_dev_server_logs_no_address_for_normal_414_and_400(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    requests = [
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",  # 414
        b"BROKEN\r\n\r\n",  # 400
    ]
    try:
        with caplog.at_level(logging.DEBUG, logger="werkzeug"):
            for raw in requests:
                with socket.create_connection(("127.0.0.1", server.server_port)) as conn:
                    conn.sendall(raw)
                    conn.recv(1024)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
    assert "127.0.0.1" not in caplog.text
