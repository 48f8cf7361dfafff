"""Response rates on the staff run page, the methods report (PDF) and the Mappe's appendix."""

from __future__ import annotations

import re
import subprocess  # noqa: S404 - pdftotext from poppler-utils, a test dependency
from datetime import date
from pathlib import Path

from flask import Flask

from app.extensions import db
from surveys.access_codes import mark_key, redeem_access_code
from surveys.models import AccessMode, Channel, Role, Survey
from surveys.postal import count_paper_return, create_batch
from surveys.responses import store_response
from tests.app.dashboard_support import SLUG, moderator_client
from tests.app.demo_world import DemoWorld, Mappe
from tests.app.staff_helpers import logged_in
from tests.factories import build_survey

TODAY = date(2026, 11, 20)
# stratum, letters sent, online with code, paper with code, paper without code
BATCHES = (("Deichhorst", 40, 5, 2, 1), ("Düsternort", 30, 9, 3, 0), ("Mitte", 25, 2, 0, 0))


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "bericht.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text


def postal_survey(app: Flask) -> Survey:
    """A code survey with three mailings answered online and on paper (families only)."""
    survey = build_survey(db.session, slug="post-test", access_mode=AccessMode.CODE)
    family = next(g for g in survey.target_groups if g.key == "familien")
    key = mark_key(app.config["SECRET_KEY"])
    for stratum, sent, online, paper, uncoded in BATCHES:
        batch, codes = create_batch(
            db.session, survey, stratum=stratum, target_group=family, count=sent,
            letters_sent=sent, today=TODAY,
        )  # fmt: skip
        channels = [Channel.ONLINE] * online + [Channel.PAPER] * paper
        for code, channel in zip(codes, channels, strict=False):
            store_response(db.session, survey, family, {"kita": 4}, today=TODAY, channel=channel)
            redeem_access_code(db.session, survey, code, key, channel)
        for _ in range(uncoded):
            store_response(db.session, survey, family, {}, today=TODAY, channel=Channel.PAPER)
            count_paper_return(db.session, batch)
    db.session.commit()
    return survey


def test_staff_run_page_shows_raw_rates_per_stratum(app: Flask) -> None:
    survey = postal_survey(app)
    client = logged_in(app, Role.STAFF)
    html = client.get(f"/verwaltung/umfragen/{survey.id}/ruecklauf").get_data(as_text=True)
    table = html[html.index('id="ruecklaufquote"') :]
    table = table[: table.index("</table>")]
    assert "<caption>Rücklauf je Versand" in table
    rows = {
        m[0]: [c.strip() for c in re.findall(r'<td class="num">([^<]*)</td>', m[1])]
        for m in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S)
    }
    assert rows["Deichhorst"] == ["40", "5", "2", "1", "8", "20,0\u202f%"]
    assert rows["Mitte"] == ["25", "2", "0", "0", "2", "8,0\u202f%"]  # staff see small counts
    assert rows["Alle Versände"] == ["95", "16", "5", "1", "22", "23,2\u202f%"]
    assert "methodenbericht.pdf" in html


def test_methods_report_hides_small_counts_and_their_complement(
    app: Flask,
    tmp_path: Path,
) -> None:
    survey = postal_survey(app)
    response = moderator_client(app).get(f"/workshop/{survey.slug}/methodenbericht.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "methodenbericht-post-test.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data, tmp_path)
    # Mitte (2) is too small; Deichhorst (8), the smallest other, is hidden with it, so
    # 22 − 12 = 10 only tells the two together. Letters sent stay.
    assert re.search(r"Mitte\s+Familien\s+25\s+•\s+•", text)
    assert re.search(r"Deichhorst\s+Familien\s+40\s+•\s+•", text)
    assert re.search(r"Düsternort\s+Familien\s+30\s+12\s+40,0\s*%", text)
    compact = re.sub(r"\s+", " ", text)
    assert re.search(r"Alle Versände 95 22 23,2 ?%", compact)
    for heading in (
        "Methodenbericht",
        "Zitiervorschlag:",
        "1. Feldzeit und Zugang",
        "2. Stichprobe und Rücklauf",
        "3. Erhebungswege",
        "4. Sprachen",
        "5. Fehlende Angaben je Frage",
        "6. Schutz der Befragten",
        "7. Vergleich mit der Basisbefragung",
        "8. Zugangscodes und Adressen",
    ):
        assert heading in compact, heading
    assert re.search(r"Seite 1 von \d", compact)
    assert "mindestens 5 Befragten" in compact


def test_methods_report_needs_a_login_and_a_role(app: Flask) -> None:
    survey = postal_survey(app)
    url = f"/workshop/{survey.slug}/methodenbericht.pdf"
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and "/anmelden" in anonymous.headers["Location"]
    assert logged_in(app, Role.STAFF).get(url).status_code == 200
    assert app.test_client().get("/workshop/gibt-es-nicht/methodenbericht.pdf").status_code == 302


def test_mappe_ends_with_the_methods_report(demo: DemoWorld, demo_mappe: Mappe) -> None:
    client = demo.client()
    text = demo_mappe.text
    chapter = text.index("Handlungsfeld 6: Senioren und Generationen")
    appendix = text.index("Anhang: Methodenbericht")
    assert chapter < appendix
    rest = text[appendix:]
    assert "5. Fehlende Angaben je Frage" in rest and "Verglichene Aussagen" in rest
    assert "Nicht verglichene Aussagen" in rest
    assert "Methodenbericht" in client.get(f"/workshop/{SLUG}/dashboard").get_data(as_text=True)


def test_mappe_xlsx_has_the_protected_response_rates(app: Flask) -> None:
    import io

    from openpyxl import load_workbook

    survey = postal_survey(app)
    data = moderator_client(app).get(f"/workshop/{survey.slug}/mappe.xlsx").data
    book = load_workbook(io.BytesIO(data))
    sheet = book["Rücklauf je Versand"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    # As in the methods report: Mitte (2) and its complement Deichhorst are hidden.
    assert rows["Mitte"][2:] == (25, None, None)
    assert rows["Deichhorst"][2:] == (40, None, None)
    assert rows["Düsternort"][2:4] == (30, 12) and round(rows["Düsternort"][4], 1) == 40.0
    contents = [r[0] for r in book["Inhalt"].iter_rows(min_row=2, values_only=True)]
    assert "Rücklauf je Versand" in contents
