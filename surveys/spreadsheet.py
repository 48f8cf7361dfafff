"""Formula neutralisation and the CSV dialect: the rules for every spreadsheet the project writes.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` is run as a formula by Excel,
LibreOffice and Google Sheets (CSV injection, OWASP "CSV Injection"); TAB, CR and LF in front
let such a text slip past a naive check. Every CSV and XLSX writer passes user-written text
through :func:`neutralise`; importers that read their own files back use :func:`unneutralise`.

Every CSV file is written with :func:`csv_writer` in one dialect, :class:`GermanExcel`:
semicolons (the list separator of a German Excel), CRLF line ends, minimal quoting, UTF-8 with
a byte-order mark (:data:`BOM`) so that Excel opens umlauts correctly.
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

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


class GermanExcel(csv.Dialect):
    """The one CSV dialect of the project: what Excel in a German locale opens directly."""

    delimiter = ";"
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL


#: Written first in every CSV file: Excel reads the file as UTF-8 only when it is there.
BOM = "\ufeff"


def csv_writer(out: TextIO) -> Any:
    """A ``csv.writer`` on ``out`` in :class:`GermanExcel` (the caller neutralises cells)."""
    return csv.writer(out, dialect=GermanExcel)
