"""Breakdowns ("Auswertungsmerkmale") on the dashboard and in the Workshop-Mappe: the index
per Handlungsfeld for every Stadtteil and age group, and the dashboard filtered to one answer.

The reference figures come from plain SQL over the answer rows (the helpers of
``tests/analysis/test_demo_evidence.py``), not from :mod:`analysis`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from analysis.frames import Filters
from analysis.report import run_full_analysis
from app.extensions import db
from app.workshop.dashboard.data import analysis_for
from tests.analysis.test_demo_evidence import index_rows, per_response
from tests.app.demo_world import SLUG, DemoWorld, Mappe, pdf_text

OVERVIEW = f"/workshop/{SLUG}/dashboard"

#: Each response's answer to a breakdown question (option code).
BREAKDOWN_ANSWERS = text(
    """
    SELECT a.response_id, o.code
    FROM answer a
    JOIN question q ON q.id = a.question_id
    JOIN option o ON o.id = a.option_id
    WHERE q.survey_id = :survey AND q.key = :question
    """
)


def answers_to(survey_id: int, question: str) -> dict[int, str]:
    """Response id -> option code of ``question`` (responses that skipped it are absent)."""
    rows = db.session.execute(BREAKDOWN_ANSWERS, {"survey": survey_id, "question": question})
    return {int(rid): str(code) for rid, code in rows}


def reference_index(survey_id: int, question: str) -> dict[tuple[str, str], tuple[float, int]]:
    """(field, option code) -> (index, respondents), recomputed from the answer rows."""
    value_of = answers_to(survey_id, question)
    rows = [
        (rid, value_of[rid], *rest)
        for rid, _group, *rest in index_rows(db.session, survey_id)
        if rid in value_of
    ]
    scores = per_response(rows, reverse=True)  # type: ignore[arg-type]
    return {
        key: (float(np.mean(values)), len(values))
        for key, values in scores.items()
        if key[1] != "total"
    }


def test_breakdown_index_matches_a_recomputation_from_the_answer_rows(demo: DemoWorld) -> None:
    survey = demo.survey()
    result = analysis_for(survey, Filters())
    table = result.breakdown_index
    assert set(table["breakdown"]) == {"stadtteil", "altersgruppe"}
    for question in ("stadtteil", "altersgruppe"):
        reference = reference_index(survey.id, question)
        part = table[(table["breakdown"] == question) & (table["value"] != "total")]
        shown = part[~part["suppressed"].astype(bool)]
        assert len(shown) > 0.8 * len(part)  # groups of a few dozen people are not hidden
        for row in shown.to_dict("records"):
            index, n = reference[(row["field"], row["value"])]
            assert row["n"] == n, (question, row)
            assert row["index"] == pytest.approx(index, abs=1e-9), (question, row)
        for row in part[part["suppressed"].astype(bool)].to_dict("records"):
            assert row["index"] is None or np.isnan(row["index"])


def test_overview_shows_the_index_per_stadtteil_and_links_to_the_filtered_view(
    demo: DemoWorld,
) -> None:
    survey = demo.survey()
    client = demo.client()
    html = client.get(OVERVIEW).get_data(as_text=True)
    assert 'id="merkmal-stadtteil"' in html and 'id="merkmal-altersgruppe"' in html
    section = html.split('id="merkmal-stadtteil"', 1)[1].split("</table>", 1)[0]
    assert "In welchem Stadtteil wohnen Sie?" in html
    assert ">Mitte</a>" in section and "Alle Befragten" in section
    assert "merkmal=stadtteil%3Dmitte" in section  # the row links to the filtered dashboard
    # The filter form offers every Stadtteil as an answer of the breakdown question.
    form = html.split('id="f-merkmal"', 1)[1].split("</select>", 1)[0]
    assert '<optgroup label="In welchem Stadtteil wohnen Sie?">' in form
    assert '<option value="stadtteil=mitte">Mitte</option>' in form

    filtered = client.get(OVERVIEW + "?merkmal=stadtteil%3Dmitte").get_data(as_text=True)
    assert '<option value="stadtteil=mitte" selected>' in filtered
    assert 'id="merkmal-stadtteil"' not in filtered  # one answer only: no table by Stadtteil
    mitte = sum(1 for code in answers_to(survey.id, "stadtteil").values() if code == "mitte")
    total = re.search(r'class="total-row"><th scope="row">Alle Befragten</th>.*?</tr>', filtered)
    assert total is not None and f">{mitte}</td>" in total[0].replace("\u202f", "")


def test_breakdown_combines_with_a_group_filter_and_unknown_values_are_ignored(
    demo: DemoWorld,
) -> None:
    survey = demo.survey()
    client = demo.client()
    both = client.get(OVERVIEW + "?gruppe=familien&merkmal=altersgruppe%3D30_44")
    assert both.status_code == 200
    result = run_full_analysis(
        db.engine,
        survey.id,
        Filters(group="familien", breakdown=("altersgruppe", "30_44")),
        guards=(analysis_for(survey, Filters()).guard, None),
    )
    ages = answers_to(survey.id, "altersgruppe")
    families = {
        int(rid)
        for (rid,) in db.session.execute(
            text(
                "SELECT r.id FROM response r JOIN target_group g ON g.id = r.target_group_id "
                "WHERE r.survey_id = :s AND g.key = 'familien'"
            ),
            {"s": survey.id},
        )
    }
    expected = sum(1 for rid in families if ages.get(rid) == "30_44")
    assert result.n_responses in (expected, None)
    for odd in ("stadtteil%3Dmond", "mond%3Dmitte", "%3C%3E", "stadtteil"):
        page = client.get(OVERVIEW + "?merkmal=" + odd)
        assert page.status_code == 200
        assert "selected>" not in page.get_data(as_text=True).split('id="f-merkmal"')[1][:400]


def test_handout_names_the_breakdown_and_the_xlsx_has_the_breakdown_tables(
    demo_mappe: Mappe,
) -> None:
    book = demo_mappe.workbook
    sheets = {name.lower(): book[name] for name in book.sheetnames}
    titled = [name for name in sheets if "merkmal" in name]
    assert titled, book.sheetnames
    values = defaultdict(list)
    for name in titled:
        for row in sheets[name].iter_rows(values_only=True):
            values[name].extend(str(v) for v in row if v is not None)
    assert any("Mitte" in v for vs in values.values() for v in vs)


def test_handout_pdf_has_the_index_per_stadtteil_and_names_the_filter(
    demo: DemoWorld, demo_mappe: Mappe, tmp_path: Path
) -> None:
    client = demo.client()
    whole = demo_mappe.text
    assert "nach: In welchem Stadtteil wohnen Sie?" in whole
    assert "Düsternort" in whole and "HF 6" in whole
    only = pdf_text(
        client.get(f"/workshop/{SLUG}/mappe.pdf?merkmal=stadtteil%3Dmitte").data, tmp_path
    )
    assert "In welchem Stadtteil wohnen Sie? Mitte" in only
