"""Formula neutralisation: the one rule for every spreadsheet the project writes.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` is run as a formula by Excel,
LibreOffice and Google Sheets (CSV injection, OWASP "CSV Injection"); TAB, CR and LF in front
let such a text slip past a naive check. Every CSV and XLSX writer passes user-written text
through :func:`neutralise`; importers that read their own files back use :func:`unneutralise`.
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> Any:
    """Return ``value`` safe for spreadsheets.

    Text starting with ``= + - @``, TAB, CR or LF gets a leading ``'``; anything else,
    numbers included (a negative number is data, not a formula), stays as it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo :func:`neutralise` on a text read back from a file the project wrote."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
