"""The dashboard and the Workshop-Mappe show the figures of the multiple number entries,
number matrices and date questions (issue #16), computed from the database aggregates.

The expected figures come from plain SQL over the answer table and Python's
:mod:`statistics`, not from the analysis code.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from typing import Any

import pandas as pd
from flask import Flask
from sqlalchemy import text

from analysis.report import run_full_analysis
from app.extensions import db
from app.workshop.dashboard.data import clear_cache, number
from tests.app.dashboard_support import SLUG, moderator_client, seeded, shrink_group
from tests.app.demo_world import DemoWorld

NUMBER_SQL = text(
    """
    SELECT q.key AS question, COALESCE(i.key, '') AS item, COALESCE(o.code, '') AS option,
           g.key AS grp, a.num AS num
    FROM answer a
    JOIN response r ON r.id = a.response_id
    JOIN question q ON q.id = a.question_id
    JOIN target_group g ON g.id = r.target_group_id
    LEFT JOIN item i ON i.id = a.item_id
    LEFT JOIN option o ON o.id = a.option_id
    WHERE r.survey_id = :survey AND q.key IN ('kinder_alter', 'betreuung_zeiten')
      AND a.num IS NOT NULL
    """
)
DATE_SQL = text(
    """
    SELECT g.key AS grp, a.num AS num, COUNT(*) AS n
    FROM answer a
    JOIN response r ON r.id = a.response_id
    JOIN question q ON q.id = a.question_id
    JOIN target_group g ON g.id = r.target_group_id
    WHERE r.survey_id = :survey AND q.key = 'wohnt_seit' AND a.num IS NOT NULL
    GROUP BY g.key, a.num
    """
)
MIN_CELL = 5


def _expected_numbers(survey_id: int) -> dict[tuple[str, str, str, str], list[float]]:
    values: dict[tuple[str, str, str, str], list[float]] = defaultdict(list)
    for r in db.session.execute(NUMBER_SQL, {"survey": survey_id}):
        values[(r.question, r.item, r.option, r.grp)].append(float(r.num))
        values[(r.question, r.item, r.option, "total")].append(float(r.num))
    return values


def _expected_months(survey_id: int) -> dict[str, dict[str, int]]:
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    epoch = dt.date(1970, 1, 1)
    for r in db.session.execute(DATE_SQL, {"survey": survey_id}):
        month = (epoch + dt.timedelta(days=int(r.num))).strftime("%Y-%m")
        months[r.grp][month] += int(r.n)
        months["total"][month] += int(r.n)
    return months


def _by_key(table: pd.DataFrame) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    return {
        (str(r["question"]), str(r["item"]), str(r["option"]), str(r["group"])): r
        for r in table.to_dict("records")
    }


def test_number_parts_and_months_equal_plain_sql(demo: DemoWorld) -> None:
    with demo.app.app_context():
        result = run_full_analysis(db.engine, demo.survey_id)
        expected = _expected_numbers(demo.survey_id)
        months = _expected_months(demo.survey_id)
    mine = _by_key(result.number_parts)
    assert set(mine) == set(expected)
    shown = 0
    for key, values in expected.items():
        row = mine[key]
        if len(values) < MIN_CELL:
            assert math.isnan(row["n"]) and math.isnan(row["mean"]), key
            continue
        shown += 1
        assert row["n"] == len(values), key
        assert math.isclose(row["mean"], statistics.fmean(values), rel_tol=1e-12), key
        assert row["median"] == statistics.median(values), key
        assert row["sum"] == sum(values), key
    assert shown >= 18  # 5 age bands + 2×2 matrix cells, per group and in total
    table = result.date_months
    assert set(table["group"]) == set(months)
    for group, counts in months.items():
        part = table[table["group"] == group]
        total = sum(counts.values())
        if total < MIN_CELL:
            assert part["count"].isna().all()
            continue
        shown_counts = part.dropna(subset=["count"])
        # every shown month equals plain SQL; no month shows 1 to MIN_CELL - 1 people
        assert all(
            int(n) == counts[m]
            for m, n in zip(shown_counts["month"], shown_counts["count"], strict=True)
        )
        assert ((shown_counts["count"] == 0) | (shown_counts["count"] >= MIN_CELL)).all()
        assert set(part["month"]) == set(counts)
        assert (part["respondents"] == total).all()
        hidden = part["count"].isna()
        assert hidden.sum() != 1  # a single hidden month would follow from the total
        assert shown_counts["share"].sum() <= 1.0 + 1e-9


def test_field_page_overview_and_mappe_show_the_tables(demo: DemoWorld) -> None:
    with demo.app.app_context():
        result = run_full_analysis(db.engine, demo.survey_id)
    client = demo.client()
    field = client.get(f"/workshop/{SLUG}/dashboard/feld/bildung").get_data(as_text=True)
    assert 'id="zahlen-daten"' in field
    parts = result.number_parts
    row = parts[
        (parts["question"] == "betreuung_zeiten")
        & (parts["item"] == "krippe_kita")
        & (parts["option"] == "stunden")
        & (parts["group"] == "total")
    ].iloc[0]
    section = field.split('id="zahlen-daten"')[1].split("<h2")[0]
    assert "<caption>" in section and '<th scope="rowgroup"' in section
    assert '<div class="table-wrap">' in field.split('id="zahlen-daten"')[1]
    assert f'<td class="num">{number(row["mean"], 1)}</td>' in section
    assert f'<td class="num">{number(row["sum"])}</td>' in section
    assert "Mittelwert" in section and "Median" in section
    # "Seit wann wohnen Sie in Delmenhorst?" has no Handlungsfeld: on the overview.
    overview = client.get(f"/workshop/{SLUG}/dashboard").get_data(as_text=True)
    about = overview.split('id="weitere-angaben"')[1].split("<h2")[0]
    assert "Seit wann wohnen Sie" in about and "<caption>" in about
    months = result.date_months
    total = months[months["group"] == "total"]
    first = total[total["count"] > 0].iloc[0]
    year, month = str(first["month"]).split("-")
    assert f'<th scope="row">{month}/{year}</th>' in about
    # a month that only hidden cells answered has no row: the row itself would tell
    for hidden in total[total["count"].isna()]["month"]:
        year, month = str(hidden).split("-")
        if (months[months["month"] == hidden]["count"].fillna(0) == 0).all():
            assert f'<th scope="row">{month}/{year}</th>' not in about
    assert "wohnt_seit" not in field


def test_small_groups_stay_hidden(wapp: Flask) -> None:
    survey = seeded()
    result = run_full_analysis(db.engine, survey.id)
    answering = sorted(set(result.number_parts["group"]) - {"total"})
    assert answering
    group = answering[0]
    shrink_group(survey, group, keep=3)
    clear_cache()
    result = run_full_analysis(db.engine, survey.id)
    parts = result.number_parts[result.number_parts["group"] == group]
    assert len(parts) and parts[["n", "mean", "median", "sum"]].isna().all().all()
    months = result.date_months[result.date_months["group"] == group]
    assert months[["count", "respondents", "share"]].isna().all().all()
    html = moderator_client(wapp).get(f"/workshop/{SLUG}/dashboard/feld/bildung")
    section = html.get_data(as_text=True).split('id="zahlen-daten"')[1].split("<h2")[0]
    label = str(result.meta.groups.at[group, "label"])
    block = section.split(f'<th scope="rowgroup" colspan="5">{label}</th>')[1].split("</tbody>")[0]
    assert 'class="suppressed"' in block
    assert all(
        cell.strip().startswith('<span class="suppressed"')
        for cell in block.split('<td class="num">')[1:]
    )
