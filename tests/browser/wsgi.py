"""WSGI helpers of the browser tests' live servers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from flask import Flask
from werkzeug.serving import make_server

from app.extensions import db


def read_static_files_at_once(wsgi_app: Any) -> Any:
    """Wrap ``wsgi_app`` so that a static file is read and closed before it is sent.

    werkzeug's development server closes the response iterable only after draining the
    socket; when Chromium drops a request (a favicon while the tab closes), that draining
    raises first and the open file is left to the garbage collector, which turns into an
    unraisable ``ResourceWarning`` in whichever test runs next. Streamed downloads keep
    streaming: only ``/static/`` is buffered, and those files are small.
    """

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        body = wsgi_app(environ, start_response)
        if not environ.get("PATH_INFO", "").startswith("/static/"):
            return body
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return app


def serve(application: Flask) -> Iterator[str]:
    """Serve ``application`` on a free port of 127.0.0.1 in a thread; yield its base URL.

    For fixtures: ``yield from serve(app)``. Afterwards the server stops and the app's
    database connections are closed.
    """
    wsgi = read_static_files_at_once(application.wsgi_app)
    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with application.app_context():
            db.engine.dispose()
