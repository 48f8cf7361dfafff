"""Checks that keep redirects after login on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a local path (``/...``), else ``None``.

    Refuses scheme-relative (``//evil``), backslash (``/\\evil``, ``\\\\evil``), schemed
    (``https:evil``) and control-character targets that browsers may read as other hosts.
    """
    if not target or len(target) > 2000:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
