"""Workshop-Mappe: the PDF (chapters, page numbers, A4, escaping) and the XLSX (every table,
German headers, formula-safe cells).

Both are made once per session from the shared demo (``tests/app/demo_world.py``); each test
checks its part of them. One test renders pages to PNG as a smoke test of the PDF itself.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.app.demo_world import TURKISH, DemoWorld, Mappe

FIELDS = (
    "Handlungsfeld 1: Steuerung, Vernetzung und Nachhaltigkeit",
    "Handlungsfeld 2: Familie und Arbeitswelt",
    "Handlungsfeld 3: Bildung und Erziehung",
    "Handlungsfeld 4: Beratung und Unterstützung",
    "Handlungsfeld 5: Wohnumfeld und Lebensqualität",
    "Handlungsfeld 6: Senioren und Generationen",
)


def test_pdf_has_title_summary_and_a_chapter_per_field(demo_mappe: Mappe, tmp_path: Path) -> None:
    assert demo_mappe.pdf_headers["Content-Type"] == "application/pdf"
    assert "attachment" in demo_mappe.pdf_headers["Content-Disposition"]
    text = demo_mappe.text
    assert text.index("Workshop-Mappe") < text.index("Zusammenfassung über alle Handlungsfelder")
    positions = [text.index(title) for title in FIELDS]
    assert positions == sorted(positions)
    chapter = text[positions[2] : positions[3]]
    for heading in (
        "Kennzahlen",
        "Stärken und Schwächen",
        "Ausgewählte Kommentare",
        "Stand der Maßnahmen aus der letzten Periode",
        "Fragen für die Diskussion",
    ):
        assert heading in chapter, heading
    assert "Veränderung seit der Basisbefragung" in chapter
    assert '<script>alert("xss")</script>' in chapter  # printed literally, never interpreted
    assert "Prioritäten" in text[positions[4] : positions[5]]  # Wohnumfeld ranks options
    pages = int(re.findall(r"Seite 1 von (\d+)", text)[0])
    assert pages >= 8 and f"Seite {pages} von {pages}" in text
    info = subprocess.run(
        ["pdfinfo", str(demo_mappe.pdf_path)], check=True, capture_output=True, text=True
    ).stdout
    assert "595.2" in info and "841.8" in info  # A4 in points
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "3",
            str(demo_mappe.pdf_path),
            str(tmp_path / "seite"),
        ],
        check=True,
    )
    rendered = sorted(tmp_path.glob("seite-*.png"))
    assert len(rendered) == 3 and all(p.stat().st_size > 2000 for p in rendered)


def test_pdf_shows_previous_measures_from_tracking(demo: DemoWorld, demo_mappe: Mappe) -> None:
    from app.extensions import db
    from surveys.workshop.previous import previous_measures

    previous = previous_measures(db.session, demo.survey())
    assert previous, "the demo seeds the 2019 agreement"
    flat = demo_mappe.text
    assert previous[0].code in flat
    assert "umgesetzt" in flat or "begonnen" in flat or "geplant" in flat


def test_xlsx_has_every_table_with_german_headers_and_safe_cells(demo_mappe: Mappe) -> None:
    book = demo_mappe.workbook
    for sheet in (
        "Rücklauf",
        "Skalen",
        "Index Handlungsfelder",
        "Stärken Schwächen",
        "Vergleich Basis Index",
        "Kommentare",
        "Kategorien",
        "Maßnahmen Vorperiode",
    ):
        assert sheet in book.sheetnames, sheet
    header = [c.value for c in next(book["Index Handlungsfelder"].iter_rows(max_row=1))]
    assert "Handlungsfeld" in header and "Zielgruppe" in header and "Index (0–100)" in header
    rows = list(book["Kommentare"].iter_rows(values_only=True))
    text_column = list(rows[0]).index("Text")
    texts = [str(row[text_column]) for row in rows[1:]]
    planted = [t for t in texts if "HYPERLINK" in t]
    assert planted and all(t.startswith("'=") for t in planted)
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith(("=", "+", "@")))


def test_mappe_marks_the_language_of_comments_and_counts_answers_per_language(
    demo_mappe: Mappe,
) -> None:
    text = demo_mappe.text
    chapter = text[text.index(FIELDS[2]) : text.index(FIELDS[3])]
    assert TURKISH in chapter and "(Sprache: Türkçe)" in chapter
    assert "Antworten je Sprache und Zielgruppe" in text
    book = demo_mappe.workbook
    assert "Sprachen je Zielgruppe" in book.sheetnames
    rows = list(book["Kommentare"].iter_rows(values_only=True))
    header = list(rows[0])
    languages = {
        str(row[header.index("Text")]).startswith(TURKISH): row[header.index("Sprache")]
        for row in rows[1:]
    }
    assert languages[True] == "Türkisch" and languages[False] != "Türkisch"


def test_mappe_names_reversed_items_and_both_index_definitions(demo_mappe: Mappe) -> None:
    text = demo_mappe.text
    assert "Ich fühle mich oft allein. (umgepolt)" in text
    assert "Umgepolte Items: „Ich fühle mich oft allein.“" in text
    assert "Index (alle Aussagen)" in text and "Aktuell (gemeinsame Aussagen)" in text
    assert "Nicht im Vergleich" in text
    book = demo_mappe.workbook
    notes = [r[0] for r in book["Hinweise"].iter_rows(min_row=2, values_only=True)]
    assert any("Ich fühle mich oft allein." in str(n) for n in notes)
    header = [c.value for c in next(book["Skalen"].iter_rows(max_row=1))]
    assert "Umgepolt" in header
