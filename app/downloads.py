"""File downloads: one response shape for every attachment the app hands out."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response


def attachment(body: bytes | str | Iterable[str], mimetype: str, filename: str) -> Response:
    """Return ``body`` as a download named ``filename`` (ASCII) that no cache keeps; an
    iterable of text pieces is streamed as it is produced."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
