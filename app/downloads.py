"""File downloads: one registry of formats and one response shape for every attachment.

A format is a name, a file extension and a media type (:data:`FORMATS`); the bytes come from
the writers of the domain and the analysis (CSV in the one dialect of
:mod:`surveys.spreadsheet`, workbooks from :mod:`analysis.workbook`, PDFs from WeasyPrint).
:func:`download` sends them: complete bodies through :func:`flask.send_file`, streamed CSV and
XLSX as they are written, always as an attachment with a properly encoded file name. A new
format is one line in :data:`FORMATS` plus its writer.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import Response, send_file

from surveys.spreadsheet import BOM


@dataclass(frozen=True)
class FileFormat:
    """What a download is: its extension and media type."""

    extension: str
    mimetype: str
    #: Text bodies get a byte-order mark (Excel reads CSV as UTF-8 only with it).
    bom: bool = False


FORMATS: dict[str, FileFormat] = {
    "csv": FileFormat("csv", "text/csv; charset=utf-8", bom=True),
    "xlsx": FileFormat("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": FileFormat(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "pdf": FileFormat("pdf", "application/pdf"),
    "json": FileFormat("json", "application/json"),
    "sav": FileFormat("sav", "application/x-spss-sav"),
    "dta": FileFormat("dta", "application/x-stata-dta"),
    "zip": FileFormat("zip", "application/zip"),
}

#: Nothing a person downloads is kept by a browser or proxy cache unless a view says so.
NO_STORE = "no-store"


def download(
    body: bytes | str | Iterable[str] | Iterable[bytes],
    fmt: str,
    stem: str,
    *,
    cache_control: str = NO_STORE,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Return ``body`` as the attachment ``<stem>.<extension>`` of format ``fmt``.

    ``bytes`` are sent as they are; ``str`` is encoded as UTF-8 (with a byte-order mark where
    the format wants one, unless the text already starts with it); any other iterable of text
    or byte pieces is streamed as it is produced (CSV and XLSX exports of many responses).
    """
    kind = FORMATS[fmt]
    filename = f"{stem}.{kind.extension}"
    if isinstance(body, str | bytes):
        if isinstance(body, str):
            text = BOM + body if kind.bom and not body.startswith(BOM) else body
            body = text.encode("utf-8")
        response = send_file(
            io.BytesIO(body),
            mimetype=kind.mimetype,
            as_attachment=True,
            download_name=filename,
            etag=False,
            conditional=False,
        )
    else:
        response = Response(body, mimetype=kind.mimetype)
        response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = cache_control
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
