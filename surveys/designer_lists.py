"""Parsing and writing the "one per line" lists of the designer (``code: label`` allowed)."""

from __future__ import annotations

import re
import unicodedata

_CODE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,79})\s*:\s+(.*)$")
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify_key(text: str, fallback: str) -> str:
    """Return a lower-case ``[a-z0-9_]`` key derived from ``text`` (at most 40 characters)."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLIT))
    ascii_text = folded.encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")[:40].strip("_")
    if not key:
        return fallback
    return key if key[0].isalpha() else f"{fallback}_{key}"[:40]


def parse_lines(text: str, prefix: str = "o") -> list[tuple[str, str]]:
    """Split a textarea into ``(code, label)`` pairs.

    A line ``code: label`` sets the code explicitly; otherwise the code is derived from
    the label. Blank lines are skipped; surrounding whitespace is removed.
    """
    pairs: list[tuple[str, str]] = []
    for index, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _CODE.match(line)
        if match:
            pairs.append((match.group(1), match.group(2).strip()))
        else:
            pairs.append((slugify_key(line, f"{prefix}{index}"), line))
    return pairs


def plain_lines(text: str) -> list[str]:
    """Split a textarea into its non-blank, stripped lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def format_lines(pairs: list[tuple[str, str]]) -> str:
    """Write pairs back as ``code: label`` lines for editing."""
    return "\n".join(f"{code}: {label}" for code, label in pairs)
