"""Checks that keep redirects after login on this site."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a local path (``/...``), else ``None``.

    Refuses scheme-relative (``//evil``), backslash (``/\\evil``, ``\\\\evil``), schemed
    (``https:evil``) and control-character targets that browsers may read as other hosts.
    """
    if not target or len(target) > 2000:
        return None
    # Check the text and its percent-decoded form: "/%2F/evil" or "/%0a/evil" are refused too.
    for candidate in (target, unquote(target)):
        if not candidate.startswith("/") or candidate.startswith("//"):
            return None
        if "\\" in candidate or any(ord(ch) < 32 or ord(ch) == 127 for ch in candidate):
            return None
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return None
    return target
