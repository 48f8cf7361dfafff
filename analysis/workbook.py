"""Spreadsheets a statistics office can hand on: one formatted sheet per table.

Every sheet gets a bold, wrapped header row that stays in view (frozen pane) with an
autofilter, column widths that fit their content, and number formats chosen from what a
column holds: shares as percentages, counts as whole numbers, means and scores with a fixed
number of decimals, p-values with four, dates as dates. The values stay full-precision
numbers (a statistician can recompute from them); only their display is rounded. A first
sheet "Inhalt" lists every sheet with what it measures.

Cells are written as given: callers pass tables whose text cells are already neutralised
against formula injection (:func:`analysis.export.safe`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

CONTENTS = "Inhalt"
MAX_WIDTH = 60
#: Rows looked at to size a column (the header row counts too).
SAMPLE_ROWS = 300

PERCENT = "0.0%"
WHOLE = "#,##0"
ONE = "#,##0.0"
TWO = "0.00"
FOUR = "0.0000"
DATE = "DD.MM.YYYY"


def number_format(header: str, values: pd.Series) -> str | None:
    """The display format of a column, from its German header and its values."""
    if pd.api.types.is_bool_dtype(values):
        return None
    sample = values.dropna()
    if len(sample) and all(isinstance(v, dt.date) for v in sample.head(50)):
        return DATE
    if pd.api.types.is_datetime64_any_dtype(values):
        return DATE
    if not pd.api.types.is_numeric_dtype(values):
        return None
    name = header.lower()
    if name.startswith("anteil") or "-anteil" in name:
        return PERCENT
    if name.startswith("p-wert"):
        return FOUR
    if name.startswith("95-%-ki"):
        return TWO  # the interval of a mean on the answer scale
    if pd.api.types.is_integer_dtype(values) or (
        len(sample) and bool((sample.astype(float) % 1 == 0).all())
    ):
        return WHOLE
    if any(word in name for word in ("mittelwert", "standardabweichung", "cohens", "rang")):
        return TWO
    if name.startswith(("mittlerer", "median", "borda", "teststatistik", "effekt")):
        return TWO
    return ONE


def _width(header: str, values: pd.Series) -> float:
    texts = [header, *(str(v) for v in values.head(SAMPLE_ROWS) if v is not None)]
    longest = max((len(t) for t in texts), default=8)
    header_words = max((len(w) for w in header.split()), default=8)
    return float(min(MAX_WIDTH, max(8, header_words + 2, min(longest, MAX_WIDTH) + 2)))


def format_sheet(sheet: Worksheet, table: pd.DataFrame) -> None:
    """Header style, frozen header, autofilter, widths and number formats of one sheet."""
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = wrap
    sheet.freeze_panes = "A2"
    if len(table.columns):
        sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(table.columns, start=1):
        header = str(column)
        values = table[column]
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _width(header, values)
        fmt = number_format(header, values)
        if fmt is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = fmt


def _cells(table: pd.DataFrame) -> pd.DataFrame:
    """Values openpyxl writes as numbers, dates, text or empty cells (no NaN, no NA)."""
    out = table.astype(object).where(table.notna(), None)
    return out


def write_workbook(
    target: str | Path | BinaryIO,
    tables: Mapping[str, pd.DataFrame],
    descriptions: Mapping[str, str] | None = None,
) -> None:
    """Write ``tables`` (sheet name -> table) as formatted sheets, after a contents sheet
    when ``descriptions`` (sheet name -> what it measures) are given."""
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        if descriptions is not None:
            contents = pd.DataFrame(
                {
                    "Tabellenblatt": list(tables),
                    "Was es zeigt": [descriptions.get(name, "") for name in tables],
                    "Zeilen": [len(t) for t in tables.values()],
                }
            )
            contents.to_excel(writer, sheet_name=CONTENTS, index=False)
            format_sheet(writer.sheets[CONTENTS], contents)
            writer.sheets[CONTENTS].column_dimensions["B"].width = 100
            for (cell,) in writer.sheets[CONTENTS].iter_rows(min_row=2, min_col=2, max_col=2):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for name, table in tables.items():
            _cells(table).to_excel(writer, sheet_name=name, index=False)
            format_sheet(writer.sheets[name], table)
