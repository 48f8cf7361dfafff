"""Item non-response on the dashboard's field page and in the Mappe XLSX, recomputed from
the answer rows with plain SQL."""

from __future__ import annotations

import html as html_lib
import re

from sqlalchemy import text

from app.extensions import db
from tests.app.dashboard_support import (
    SLUG,
)
from tests.app.demo_world import DemoWorld, Mappe

#: Families (the question's only target group), and those of them with a non-"weiß nicht"
#: answer or only "weiß nicht" to the yes/no question ``wohnung_passend``.
COUNTS = text(
    """
    SELECT
      (SELECT count(*) FROM response r JOIN target_group g ON g.id = r.target_group_id
        WHERE r.survey_id = :s AND g.key = 'familien'),
      (SELECT count(DISTINCT a.response_id) FROM answer a JOIN question q ON q.id = a.question_id
        JOIN response r ON r.id = a.response_id JOIN target_group g ON g.id = r.target_group_id
        WHERE q.survey_id = :s AND q.key = 'wohnung_passend' AND g.key = 'familien'
          AND NOT a.dont_know),
      (SELECT count(DISTINCT a.response_id) FROM answer a JOIN question q ON q.id = a.question_id
        JOIN response r ON r.id = a.response_id JOIN target_group g ON g.id = r.target_group_id
        WHERE q.survey_id = :s AND q.key = 'wohnung_passend' AND g.key = 'familien'
          AND a.dont_know),
      (SELECT text FROM question WHERE survey_id = :s AND key = 'wohnung_passend')
    """
)


def percent(part: int, whole: int) -> str:
    return f"{round(part / whole * 100)}\u202f%"


def test_field_page_shows_answered_dont_know_and_skipped_per_question(demo: DemoWorld) -> None:
    shown, answered, dont_know, question = db.session.execute(COUNTS, {"s": demo.survey_id}).one()
    skipped = shown - answered - dont_know
    assert skipped > 0  # the demo leaves some questions out
    page = demo.client().get(f"/workshop/{SLUG}/dashboard/feld/wohnumfeld")
    body = page.get_data(as_text=True)
    section = body.split('id="fehlend"', 1)[1].split("</table>", 1)[0]
    row = re.search(
        r"<th scope=\"row\">" + re.escape(html_lib.escape(question, quote=False)) + r".*?</tr>",
        section,
        re.S,
    )
    assert row is not None, section[:2000]
    cells = re.findall(r'<td class="num">(.*?)</td>', row[0])
    assert cells == [
        str(shown),
        percent(answered, shown),
        percent(dont_know, shown),
        percent(skipped, shown),
    ]


def test_mappe_xlsx_has_the_item_nonresponse_sheet(demo: DemoWorld, demo_mappe: Mappe) -> None:
    shown, answered, dont_know, question = db.session.execute(COUNTS, {"s": demo.survey_id}).one()
    sheet = demo_mappe.workbook["Fehlende Angaben"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    for name in ("Gefragt (Frage gestellt)", "Beantwortet (ohne „weiß nicht“)", "Übersprungen"):
        assert name in header
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    mine = next(r for r in rows if r["Frage"] == "wohnung_passend")
    assert mine["Gefragt (Frage gestellt)"] == shown
    assert mine["Beantwortet (ohne „weiß nicht“)"] == answered
    assert mine["Weiß nicht"] == dont_know
    assert mine["Übersprungen"] == shown - answered - dont_know
