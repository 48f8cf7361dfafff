"""Survey translations as an XLSX workbook for translators: a row per text, a column per language.

Sheet ``Übersetzungen``: column A the text path (do not change), B what the text is, C the
German source, then one column per target language headed by its code (``de-LS``, ``en``,
``tr``, ``ar``). Row 1 holds the headers; the second header row names the language in its
own script. Importing reads every language column it recognises; empty cells remove a
translation, unknown paths and a changed German source are reported, not stored blindly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from zipfile import BadZipFile, ZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from surveys.db import SessionLike
from surveys.errors import FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import Survey
from surveys.spreadsheet import neutralise, unneutralise
from surveys.translations import (
    LANGUAGES,
    TARGET_LANGUAGES,
    all_translations,
    save_translations,
    source_texts,
)

SHEET = "Übersetzungen"
MAX_BYTES = 5 * 1024 * 1024
FIXED = ("path", "Art", "de")


def export_xlsx(session: SessionLike, survey: Survey, kinds: dict[str, str] | None = None) -> bytes:
    """Return the workbook of the survey's texts; ``kinds`` translates the "Art" labels."""
    stored = all_translations(session, survey)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append([*FIXED, *TARGET_LANGUAGES])
    sheet.append(
        ["", "", LANGUAGES["de"]["name"], *(LANGUAGES[c]["name"] for c in TARGET_LANGUAGES)]
    )
    for text in source_texts(survey):
        kind = (kinds or {}).get(text.kind, text.kind)
        values = [stored.get(code, {}).get(text.path, "") for code in TARGET_LANGUAGES]
        sheet.append([neutralise(v) for v in (text.path, kind, text.german, *values)])
    bold = Font(bold=True)
    for header_row in sheet.iter_rows(min_row=1, max_row=2):
        for header_cell in header_row:
            header_cell.font = bold
    grey = PatternFill("solid", fgColor="EEEEEE")
    for row in sheet.iter_rows(min_row=3, max_col=3):
        for cell in row:
            cell.fill = grey
    for column, width in zip("ABCDEFG", (28, 18, 50, 50, 50, 50, 50), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "D3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class XlsxImport:
    """What an XLSX import stored and what it could not use."""

    stored: dict[str, int] = field(default_factory=dict)  # language -> filled texts
    unknown_paths: list[str] = field(default_factory=list)
    changed_source: list[str] = field(default_factory=list)  # German changed since export


#: A DTD must stand before the root element, so the head of each part is enough.
_XML_HEAD = 64 * 1024


def _declares_dtd(raw: bytes) -> bool:
    """Return whether any XML part of the zip declares a DTD or an entity (XXE, billion laughs).

    Excel and LibreOffice never write one. Not a zip: ``False`` (the reader reports that).
    """
    try:
        with ZipFile(BytesIO(raw)) as archive:
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    with archive.open(info) as part:
                        head = part.read(_XML_HEAD).upper()
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        return True
    except (BadZipFile, OSError, ValueError, NotImplementedError):
        return False
    return False


def _cell(value: Any) -> str:
    """A cell's text as the export wrote it before :func:`neutralise`."""
    return "" if value is None else unneutralise(str(value).strip())


def import_xlsx(session: SessionLike, survey: Survey, raw: bytes) -> XlsxImport:
    """Store the translations of a workbook made by :func:`export_xlsx` (flush, no commit)."""
    if len(raw) > MAX_BYTES:
        raise ValidationError([FieldError("file", N_("Die Datei ist zu groß (höchstens 5 MB)."))])
    if _declares_dtd(raw):
        raise ValidationError(
            [
                FieldError(
                    "file",
                    N_(
                        "Die Datei enthält eine Dokumenttyp-Definition (DTD), die Excel nie "
                        "schreibt; sie wird aus Sicherheitsgründen nicht gelesen. Bitte speichern "
                        "Sie die Datei in Excel oder LibreOffice neu als .xlsx."
                    ),
                )
            ]
        )
    try:
        book = load_workbook(BytesIO(raw), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError):
        raise ValidationError(
            [FieldError("file", N_("Die Datei ist keine gültige Excel-Datei (.xlsx)."))]
        ) from None
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [_cell(v) for v in rows[0]] if rows else []
    columns = {code: header.index(code) for code in TARGET_LANGUAGES if code in header}
    if not header or header[0] != "path" or not columns:
        raise ValidationError(
            [
                FieldError(
                    "file",
                    N_("In der ersten Zeile fehlen die Spalten „path“ und die Sprachcodes."),
                )
            ]
        )
    german = {t.path: t.german for t in source_texts(survey)}
    german_column = header.index("de") if "de" in header else None
    result = XlsxImport()
    texts: dict[str, dict[str, str]] = {code: {} for code in columns}
    for row in rows[1:]:
        path = _cell(row[0]) if row else ""
        if not path:
            continue
        if path not in german:
            result.unknown_paths.append(path)
            continue
        if german_column is not None and _cell(row[german_column]) not in ("", german[path]):
            result.changed_source.append(path)
        for code, index in columns.items():
            texts[code][path] = _cell(row[index]) if index < len(row) else ""
    for code, mapping in texts.items():
        save_translations(session, survey, code, mapping)
        result.stored[code] = sum(1 for text in mapping.values() if text)
    return result
