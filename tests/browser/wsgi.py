"""WSGI helpers of the browser tests' live servers."""

from __future__ import annotations

from typing import Any


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
