"""Exports of the responses for statistics software: SPSS, Stata and R.

Each writer takes a session and a survey and returns the file's bytes; :data:`WRITERS` maps
the download format (``app.downloads.FORMATS``) to its writer. These are raw data, like the
CSV and XLSX of :mod:`surveys.exports`: the web layer offers them to staff only.
"""

from __future__ import annotations

from collections.abc import Callable

from surveys.db import SessionLike
from surveys.models import Survey
from surveys.statistics_export.files import to_dta, to_sav
from surveys.statistics_export.rdata import to_r_zip

WRITERS: dict[str, Callable[[SessionLike, Survey], bytes]] = {
    "sav": to_sav,
    "dta": to_dta,
    "zip": to_r_zip,
}

__all__ = ["WRITERS", "to_dta", "to_r_zip", "to_sav"]
