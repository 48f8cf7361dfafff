"""A streaming XLSX writer for long tables: rows in, zip bytes out, as they are written.

General spreadsheet libraries spend most of their time per cell (type dispatch, cell
objects, style lookups); a response export is one plain table of text, numbers and one date
column. This writer builds each row's SpreadsheetML in one string operation and compresses
it into the zip at once, so memory stays flat and the bytes can be sent while the rest is
still being written (the zip's entries carry data descriptors, as a stream requires).

Cells: ``str`` becomes an inline text cell (never a formula – callers neutralise text, see
:func:`surveys.spreadsheet.neutralise`), ``bool`` a boolean, ``int``/``float`` a number,
``datetime.date``/``datetime`` a date cell shown as ``DD.MM.YYYY``; ``None`` and ``""`` stay
empty. The first row of every sheet is its header, kept in view (frozen pane).
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, cast
from xml.sax.saxutils import escape

#: Rows written before the compressed bytes so far are handed on.
ROWS_PER_CHUNK = 500
EPOCH = dt.datetime(1899, 12, 30)
#: Characters XML 1.0 does not allow (control characters except tab, newline, return).
_ILLEGAL = {c: None for c in (*range(0, 9), 11, 12, *range(14, 32))}

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>{sheets}</Types>'
)
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD.MM.YYYY"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"


def column_letter(index: int) -> str:
    """Spreadsheet letters of the 0-based column ``index`` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Pipe:
    """A write-only file that collects what the zip writes until it is taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        return None

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def _cell(ref: str, value: Any, header: bool) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = escape(value.translate(_ILLEGAL))
        style = ' s="2"' if header else ""
        return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"><v>{value!r}</v></c>' if math.isfinite(value) else ""
    if isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        serial = (moment.replace(tzinfo=None) - EPOCH) / dt.timedelta(days=1)
        return f'<c r="{ref}" s="1"><v>{serial:g}</v></c>'
    return _cell(ref, str(value), header)


def _sheet_xml(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The XML of one sheet in pieces of :data:`ROWS_PER_CHUNK` rows."""
    letters: list[str] = []
    batch = [SHEET_START]
    for number, row in enumerate(rows, start=1):
        while len(letters) < len(row):
            letters.append(column_letter(len(letters)))
        cells = "".join(
            _cell(f"{letters[i]}{number}", value, number == 1) for i, value in enumerate(row)
        )
        batch.append(f'<row r="{number}">{cells}</row>')
        if len(batch) >= ROWS_PER_CHUNK:
            yield "".join(batch)
            batch = []
    batch.append(SHEET_END)
    yield "".join(batch)


def xlsx_chunks(sheets: Sequence[tuple[str, Iterable[Sequence[Any]]]]) -> Iterator[bytes]:
    """The workbook of ``sheets`` (name, rows; the first row is the header) as zip bytes,
    a piece whenever a batch of rows is compressed."""
    pipe = _Pipe()
    target = cast(IO[bytes], pipe)  # write and tell, no seek: the zip streams
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        overrides = "".join(SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))
        book.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets=overrides))
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", _workbook_xml([name for name, _rows in sheets]))
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        book.writestr("xl/styles.xml", STYLES)
        for n, (_name, rows) in enumerate(sheets, start=1):
            with book.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as entry:
                for piece in _sheet_xml(rows):
                    entry.write(piece.encode("utf-8"))
                    yield pipe.take()
    yield pipe.take()


def _workbook_xml(names: Sequence[str]) -> str:
    sheets = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def _workbook_rels(count: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    styles = (
        f'<Relationship Id="rId{count + 1}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}{styles}</Relationships>"
    )
