"""Anti-abuse for survey routes: rate-limit key without stored addresses, friendly CSRF errors.

Rate limiting needs *some* notion of "the same sender". The key is an HMAC of the client
address; the address itself is never stored or logged. The HMAC secret rotates every day
and is never written anywhere:

* with the default in-memory limiter storage it is random and lives only in this process
  (each worker counts on its own; after a rotation nobody can tell which address a key was);
* with a shared storage (``RATELIMIT_STORAGE_URI=redis://...``) all workers must compute the
  same key, so the day's secret is derived from ``SECRET_KEY`` and the date. The shared
  storage then holds only these hashes, and only for the length of the limit's window.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from datetime import UTC, datetime
from typing import cast

from flask import Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError

from app.citizen import bp
from app.errors import MESSAGES

ROTATE_SECONDS = 24 * 3600
#: Marks a request whose CSRF check failed (kept on the request, never on ``g``, which an
#: outer app context may share between requests).
CSRF_FAILED = "familienkompass.csrf_failed"


def csrf_failed() -> bool:
    """Return whether the current request is re-run after a failed CSRF check."""
    return bool(request.environ.get(CSRF_FAILED))


class _RotatingSecret:
    """A random key that is replaced after ``ROTATE_SECONDS`` (memory only)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key = secrets.token_bytes(32)
        self._born = time.monotonic()

    def current(self) -> bytes:
        """Return the current key, rotating it when it is too old."""
        with self._lock:
            if time.monotonic() - self._born > ROTATE_SECONDS:
                self._key = secrets.token_bytes(32)
                self._born = time.monotonic()
            return self._key


_SECRET = _RotatingSecret()


def bucket_secret() -> bytes:
    """Return today's HMAC secret of the rate-limit key (see the module docstring)."""
    storage = str(current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if storage.startswith("memory://"):
        return _SECRET.current()
    day = datetime.now(UTC).date().isoformat()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"submit-rate-limit:{day}".encode(), hashlib.sha256).digest()


def client_bucket() -> str:
    """Return the rate-limit key of the sender: a keyed hash of the address, never the address."""
    address = (request.remote_addr or "").encode()
    digest = hmac.new(bucket_secret(), address, hashlib.sha256).hexdigest()
    return "submit-" + digest[:32]


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> ResponseReturnValue:
    """On survey pages re-run the view in "token expired" mode: it re-renders the posted
    answers with a friendly message and stores nothing. Elsewhere show the 400 page."""
    endpoint = request.endpoint or ""
    if request.blueprint == "citizen" and endpoint in current_app.view_functions:
        request.environ[CSRF_FAILED] = True
        view = current_app.view_functions[endpoint]
        return cast(ResponseReturnValue, view(**(request.view_args or {})))
    title, text = MESSAGES[400]
    return render_template("error.html", code=400, title=title, text=text), 400


#: Citizen pages the browser may keep: they show nobody's answers.
CACHEABLE = {"citizen.paper"}


@bp.after_request
def no_store(response: Response) -> Response:
    """Let no browser keep a questionnaire page (``Cache-Control: no-store``).

    The pages show the person's answers, which must not come back from the cache of a
    shared device; and the browser's Back button then asks the server again, which knows
    (from the session) that the answers were sent and says so instead of an old form.
    """
    if request.endpoint not in CACHEABLE:
        response.headers.setdefault("Cache-Control", "no-store")
    return response
