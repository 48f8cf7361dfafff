"""Rate-limit key without stored addresses, for every blueprint that throttles requests.

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

from flask import current_app, request

ROTATE_SECONDS = 24 * 3600


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
