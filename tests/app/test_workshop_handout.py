"""Workshop-Mappe: the PDF (chapters, page numbers, A4, escaping) and the XLSX (every table,
German headers, formula-safe cells)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from flask import Flask
from openpyxl import load_workbook

from tests.app.dashboard_support import (
    FORMULA,
    SLUG,
    XSS,
    moderator_client,
    plant_comments,
    seeded,
)

FIELDS = (
    "Handlungsfeld 1: Steuerung, Vernetzung und Nachhaltigkeit",
    "Handlungsfeld 2: Familie und Arbeitswelt",
    "Handlungsfeld 3: Bildung und Erziehung",
    "Handlungsfeld 4: Beratung und Unterstützung",
    "Handlungsfeld 5: Wohnumfeld und Lebensqualität",
    "Handlungsfeld 6: Senioren und Generationen",
)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "mappe.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.sub(r"\s+", " ", text)


def test_pdf_has_title_summary_and_a_chapter_per_field(wapp: Flask, tmp_path: Path) -> None:
    survey = seeded()
    plant_comments(survey, "bildung_anmerkungen", [XSS])
    response = moderator_client(wapp).get(f"/workshop/{SLUG}/mappe.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data, tmp_path)
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
        ["pdfinfo", str(tmp_path / "mappe.pdf")], check=True, capture_output=True, text=True
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
            str(tmp_path / "mappe.pdf"),
            str(tmp_path / "seite"),
        ],
        check=True,
    )
    rendered = sorted(tmp_path.glob("seite-*.png"))
    assert len(rendered) == 3 and all(p.stat().st_size > 2000 for p in rendered)


def test_pdf_shows_previous_measures_from_tracking(wapp: Flask, tmp_path: Path) -> None:
    from app.extensions import db
    from surveys.workshop.previous import previous_measures

    survey = seeded(40)
    previous = previous_measures(db.session, survey)
    assert previous, "the demo seeds the 2019 agreement"
    text = pdf_text(moderator_client(wapp).get(f"/workshop/{SLUG}/mappe.pdf").data, tmp_path)
    flat = text
    assert previous[0].code in flat
    assert "umgesetzt" in flat or "begonnen" in flat or "geplant" in flat


def test_xlsx_has_every_table_with_german_headers_and_safe_cells(wapp: Flask) -> None:
    survey = seeded()
    plant_comments(survey, "bildung_anmerkungen", [FORMULA])
    response = moderator_client(wapp).get(f"/workshop/{SLUG}/mappe.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
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
    wapp: Flask,
    tmp_path: Path,
) -> None:
    from sqlalchemy import select, update

    from app.extensions import db
    from surveys.models import Answer, Question, Response

    survey = seeded()
    plant_comments(survey, "bildung_anmerkungen", ["Kreşlerde daha fazla yer olmalı"])
    question = db.session.scalar(
        select(Question.id).where(
            Question.survey_id == survey.id, Question.key == "bildung_anmerkungen"
        )
    )
    writers = select(Answer.response_id).where(
        Answer.question_id == question, Answer.text.is_not(None)
    )
    db.session.execute(update(Response).where(Response.id.in_(writers)).values(language="tr"))
    db.session.commit()
    client = moderator_client(wapp)
    text = pdf_text(client.get(f"/workshop/{SLUG}/mappe.pdf").data, tmp_path)
    chapter = text[text.index(FIELDS[2]) : text.index(FIELDS[3])]
    assert "Kreşlerde daha fazla yer olmalı" in chapter and "(Sprache: Türkçe)" in chapter
    assert "Antworten je Sprache und Zielgruppe" in text
    book = load_workbook(io.BytesIO(client.get(f"/workshop/{SLUG}/mappe.xlsx").data))
    assert "Sprachen je Zielgruppe" in book.sheetnames
    rows = list(book["Kommentare"].iter_rows(values_only=True))
    header = list(rows[0])
    turkish = [
        row[header.index("Sprache")]
        for row in rows[1:]
        if str(row[header.index("Text")]).startswith("Kreşlerde")
    ]
    assert turkish and set(turkish) == {"Türkisch"}


def test_mappe_names_reversed_items_and_both_index_definitions(
    wapp: Flask,
    tmp_path: Path,
) -> None:
    seeded()
    client = moderator_client(wapp)
    text = pdf_text(client.get(f"/workshop/{SLUG}/mappe.pdf").data, tmp_path)
    assert "Ich fühle mich oft allein. (umgepolt)" in text
    assert "Umgepolte Items: „Ich fühle mich oft allein.“" in text
    assert "Index (alle Aussagen)" in text and "Aktuell (gemeinsame Aussagen)" in text
    assert "Nicht im Vergleich" in text
    book = load_workbook(io.BytesIO(client.get(f"/workshop/{SLUG}/mappe.xlsx").data))
    notes = [r[0] for r in book["Hinweise"].iter_rows(min_row=2, values_only=True)]
    assert any("Ich fühle mich oft allein." in str(n) for n in notes)
    header = [c.value for c in next(book["Skalen"].iter_rows(max_row=1))]
    assert "Umgepolt" in header
