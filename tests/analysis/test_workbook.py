"""Workbooks a statistics office can hand on: contents sheet, frozen headers, number formats,
real dates, German headers; values keep full precision."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook

from analysis.workbook import CONTENTS, DATE, FOUR, ONE, PERCENT, TWO, WHOLE, write_workbook


def test_sheets_are_formatted_and_values_keep_their_precision() -> None:
    table = pd.DataFrame(
        {
            "Zielgruppe": ["Familien", "Alle Befragten"],
            "n (gültig)": pd.array([12, None], dtype="Int64"),
            "Mittelwert": [3.14159265, 2.5],
            "Anteil Stufe 1": [0.123456, 0.5],
            "p-Wert": [0.0001234, 0.5],
            "Index (0–100)": [47.123456, 50.0 + 1e-9],
            "Eingang": [dt.date(2026, 5, 2), None],
        }
    )
    buffer = io.BytesIO()
    write_workbook(buffer, {"Skalen": table}, {"Skalen": "Je Frage die Verteilung."})
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == [CONTENTS, "Skalen"]
    contents = [[c.value for c in row] for row in book[CONTENTS].iter_rows()]
    assert contents[1] == ["Skalen", "Je Frage die Verteilung.", 2]
    sheet = book["Skalen"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G3"
    assert sheet["A1"].font.bold
    formats = [c.number_format for c in sheet[2]]
    assert formats == ["General", WHOLE, TWO, PERCENT, FOUR, ONE, DATE]
    assert sheet["C2"].value == 3.14159265  # shown rounded, stored exactly
    assert sheet["B3"].value is None  # a hidden count is an empty cell, not "nan"
    assert sheet["G2"].value.date() == dt.date(2026, 5, 2)
    assert sheet.column_dimensions["A"].width >= len("Alle Befragten")
