"""The streaming XLSX writer, read back by openpyxl (an independent reader of the format)."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile

from openpyxl import load_workbook

from surveys.xlsx_stream import ROWS_PER_CHUNK, column_letter, xlsx_chunks


def read(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a style sheet openpyxl has to repair fails here
        book = load_workbook(io.BytesIO(data))
    return {name: list(book[name].values) for name in book.sheetnames}


def test_cells_keep_their_types_and_text_stays_text() -> None:
    rows = [
        ["nr", "tag", "text", "anteil", "ja"],
        [1, dt.date(2026, 5, 4), '\'=HYPERLINK("x")', 0.25, True],
        [2, dt.datetime(2026, 12, 31, 0, 0), "=1+1", None, False],
        [3, None, "<b>&amp;</b> \x07Glocke", "", 10**12],
    ]
    data = b"".join(xlsx_chunks([("Antworten", rows), ("Codebuch", [["a", "b"], ["x", ""]])]))
    sheets = read(data)
    assert list(sheets) == ["Antworten", "Codebuch"]
    header, first, second, third = sheets["Antworten"]
    assert header == ("nr", "tag", "text", "anteil", "ja")
    assert first == (1, dt.datetime(2026, 5, 4), '\'=HYPERLINK("x")', 0.25, True)
    assert second[:2] == (2, dt.datetime(2026, 12, 31)) and second[3] is None
    assert second[2] == "=1+1"  # an inline string: a spreadsheet shows it, never computes it
    assert third == (3, None, "<b>&amp;</b> Glocke", None, 10**12)
    assert sheets["Codebuch"] == [("a", "b"), ("x", None)]
    book = load_workbook(io.BytesIO(data))
    sheet = book["Antworten"]
    assert sheet["B2"].is_date and sheet["B2"].number_format == "DD.MM.YYYY"
    assert sheet["C3"].data_type == "s"  # text, not a formula ("f")
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None


def test_rows_are_sent_while_they_are_written() -> None:
    handed_out: list[int] = []

    def rows():  # type: ignore[no-untyped-def]
        yield ["n", "text"]
        for n in range(3 * ROWS_PER_CHUNK):
            handed_out.append(n)
            yield [n, f"Zeile {n}"]

    chunks = xlsx_chunks([("Antworten", rows())])
    seen_before_end = []
    data = b""
    for chunk in chunks:
        data += chunk
        if chunk:
            seen_before_end.append(len(handed_out))
    assert min(seen_before_end) < 3 * ROWS_PER_CHUNK  # bytes left before the last row was read
    values = read(data)["Antworten"]
    last = 3 * ROWS_PER_CHUNK - 1
    assert len(values) == 3 * ROWS_PER_CHUNK + 1 and values[-1] == (last, f"Zeile {last}")


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
