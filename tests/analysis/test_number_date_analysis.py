"""The analysis of dates (by month) and of multiple numbers and number matrices (n, mean,
median, sum per number), checked against plain SQL and Python's ``statistics``."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from analysis.frames import NONE, TOTAL, load_survey
from analysis.questions import date_months, number_parts
from surveys.models import Survey, TargetGroup
from surveys.responses import store_response
from tests.surveys.number_date_survey import number_date_survey

COUNTS = {"familien": 23, "senioren": 3}  # senioren are fewer than MIN_CELL (5)


def random_answers(rng: random.Random) -> dict[str, Any]:
    day = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 7 * 365))
    bands = {k: rng.randint(0, 3) for k in ("a0_2", "a3_5", "a6_9") if rng.random() < 0.8}
    care = {
        row: {col: rng.randint(0, 40) for col in ("kinder", "stunden") if rng.random() < 0.7}
        for row in ("kita", "schule")
    }
    answers: dict[str, Any] = {"zuzug": day.isoformat()}
    if bands:
        answers["kinder"] = bands
    care = {row: cells for row, cells in care.items() if cells}
    if care:
        answers["betreuung"] = care
    return answers


@pytest.fixture()
def survey(session: Session) -> Survey:
    made = number_date_survey(session)
    groups = {g.key: g for g in session.scalars(select(TargetGroup))}
    rng = random.Random(16)
    for key, count in COUNTS.items():
        for _ in range(count):
            store_response(session, made, groups[key], random_answers(rng), today=date(2026, 5, 6))
    session.flush()
    return made


def sql_numbers(session: Session, survey: Survey, group: str | None) -> dict[tuple, list[float]]:
    """Every stored number by (question, item key, option code), straight from the tables."""
    rows = session.execute(
        text(
            """
            SELECT q.key, COALESCE(i.key, ''), COALESCE(o.code, ''), a.num
            FROM answer a
            JOIN question q ON q.id = a.question_id
            JOIN response r ON r.id = a.response_id
            JOIN target_group g ON g.id = r.target_group_id
            LEFT JOIN item i ON i.id = a.item_id
            LEFT JOIN option o ON o.id = a.option_id
            WHERE q.survey_id = :survey AND q.type IN ('multinumber', 'numbermatrix')
              AND (CAST(:group AS VARCHAR(80)) IS NULL OR g.key = :group)
            """
        ),
        {"survey": survey.id, "group": group},
    ).all()
    out: dict[tuple, list[float]] = {}
    for question, item, option, num in rows:
        out.setdefault((question, item, option), []).append(float(num))
    return out


def test_number_parts_match_sql(session: Session, survey: Survey) -> None:
    data = load_survey(session.connection(), survey.id)
    table = number_parts(data.answers, data.meta)
    for group in ("familien", TOTAL):
        expected = sql_numbers(session, survey, None if group == TOTAL else group)
        mine = table[table["group"] == group]
        assert len(mine) == len(expected)
        for row in mine.itertuples():
            option = "" if row.option == NONE else row.option
            item = "" if row.item == NONE else row.item
            values = expected[(row.question, item, option)]
            assert row.n == len(values)
            assert row.sum == pytest.approx(sum(values))
            assert row.mean == pytest.approx(statistics.fmean(values))
            assert row.median == pytest.approx(statistics.median(values))
    # the three seniors are too few: their rows are hidden, the total is not
    seniors = table[table["group"] == "senioren"]
    assert len(seniors) and seniors["n"].isna().all() and seniors["mean"].isna().all()
    assert set(table["question"]) == {"kinder", "betreuung"}
    assert {"kita", "schule"} <= set(table["item"]) and {"kinder", "stunden"} <= set(
        table["option"]
    )


def test_date_months_match_sql(session: Session, survey: Survey) -> None:
    data = load_survey(session.connection(), survey.id)
    table = date_months(data.answers, data.meta)
    stored = session.execute(
        text(
            """
            SELECT g.key, a.text FROM answer a
            JOIN question q ON q.id = a.question_id
            JOIN response r ON r.id = a.response_id
            JOIN target_group g ON g.id = r.target_group_id
            WHERE q.survey_id = :survey AND q.key = 'zuzug'
            """
        ),
        {"survey": survey.id},
    ).all()
    families = Counter(day[:7] for group, day in stored if group == "familien")
    everyone = Counter(day[:7] for _group, day in stored)
    for group, expected in (("familien", families), (TOTAL, everyone)):
        mine = table[table["group"] == group]
        assert set(mine["month"]) == set(expected)
        shown = mine.dropna(subset=["count"])
        # shown months equal SQL; months of 1 to min_cell - 1 people are hidden
        assert all(
            int(n) == expected[m] for m, n in zip(shown["month"], shown["count"], strict=True)
        )
        assert all(expected[m] >= 5 or expected[m] == 0 for m in shown["month"])
        small = {m for m, n in expected.items() if 0 < n < 5}
        assert small <= set(mine.loc[mine["count"].isna(), "month"])
        assert mine["respondents"].eq(sum(expected.values())).all()
    assert table[table["group"] == "senioren"]["count"].isna().all()
    for _group, part in table.groupby("group"):
        assert list(part["month"]) == sorted(part["month"])
