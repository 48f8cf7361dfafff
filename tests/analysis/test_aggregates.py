"""The analysis on database aggregates against the row-based reference and scipy.

Random surveys (group sizes, scale length, reversed items, languages, channels, a baseline,
the threshold) are stored through the domain; :func:`analysis.report.run_full_analysis`
(count tables computed by ``GROUP BY``) must give every table of
:func:`tests.analysis.row_reference.run_row_analysis` (all answer rows in pandas) within
floating-point tolerance (the demo: ``test_demo_aggregates.py``). Independently of both,
the scale statistics are recomputed from answer rows read with plain SQL, and the tests
against scipy on the expanded rows.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from analysis.frames import Filters
from analysis.privacy import Policy
from analysis.report import AnalysisResult, run_full_analysis
from surveys.models import Channel, Item, Question, Survey, TargetGroup
from surveys.responses import store_response
from tests.analysis.builders import build_survey, random_answers
from tests.analysis.row_reference import run_row_analysis
from tests.conftest import rollback_session

LANGUAGES = ["de", "de", "de", "en", "tr", "ar"]


def _fill(session: Session, survey: Survey, sizes: dict[str, int], seed: int, points: int) -> None:
    rng = random.Random(seed)
    groups = {g.key: g for g in session.scalars(select(TargetGroup))}
    for key, count in sizes.items():
        for _ in range(count):
            store_response(
                session,
                survey,
                groups[key],
                random_answers(rng, points),
                today=date(2026, 5, 1),
                channel=Channel.PAPER if rng.random() < 0.3 else Channel.ONLINE,
                language=rng.choice(LANGUAGES),
            )
    session.flush()


def _reverse_one(session: Session, survey: Survey, seed: int) -> None:
    """Mark one satisfaction item (or nothing) as negatively worded."""
    choice = seed % 4
    if choice == 3:
        return
    item = session.scalars(
        select(Item)
        .join(Question, Question.id == Item.question_id)
        .where(Question.survey_id == survey.id, Question.key == "zufr_wohnen")
        .order_by(Item.position)
    ).all()[choice]
    item.reversed = True
    session.flush()


def assert_same(ours: AnalysisResult, reference: AnalysisResult) -> None:
    """Every table equal (values within floating-point tolerance, same rows and order)."""
    assert ours.status == reference.status, (ours.status, reference.status, ours.filters)
    assert ours.n_responses == reference.n_responses
    for name, table in reference.tables().items():
        mine = ours.tables()[name]
        pd.testing.assert_frame_equal(
            mine.reset_index(drop=True),
            table.reset_index(drop=True),
            check_dtype=False,
            check_categorical=False,
            check_index_type=False,
            rtol=1e-7,
            atol=1e-9,
            obj=name,
        )


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 10_000),
    families=st.integers(0, 40),
    seniors=st.integers(0, 25),
    stakeholders=st.integers(0, 12),
    points=st.integers(3, 7),
    min_cell=st.integers(3, 6),
    with_baseline=st.booleans(),
)
def test_aggregates_equal_the_row_based_reference(
    engine: Engine,
    seed: int,
    families: int,
    seniors: int,
    stakeholders: int,
    points: int,
    min_cell: int,
    with_baseline: bool,
) -> None:
    policy = Policy(min_cell=min_cell, min_text=max(min_cell, 5))
    with rollback_session(engine) as session:
        baseline = None
        if with_baseline:
            baseline = build_survey(session, f"then-{seed}", points=points)
            _fill(session, baseline, {"familien": 20, "senioren": 9}, seed + 1, points)
        survey = build_survey(session, f"now-{seed}", points=points, baseline=baseline)
        _reverse_one(session, survey, seed)
        sizes = {"familien": families, "senioren": seniors, "akteure": stakeholders}
        _fill(session, survey, sizes, seed, points)
        conn = session.connection()
        for filters in (Filters(), Filters(group="familien"), Filters(channel="paper")):
            ours = run_full_analysis(conn, survey.id, filters, policy=policy)
            reference = run_row_analysis(conn, survey.id, filters, policy=policy)
            assert_same(ours, reference)


@pytest.fixture(scope="module")
def stored(engine: Engine) -> Any:
    """One survey with 150 responses, analysed on aggregates, and its connection."""
    with rollback_session(engine) as session:
        survey = build_survey(session, "scipy", points=5)
        _fill(session, survey, {"familien": 70, "senioren": 50, "akteure": 30}, 11, 5)
        conn = session.connection()
        yield conn, survey.id, run_full_analysis(conn, survey.id)


def _points(conn: Any, survey_id: int, key: str, item: str, group: str) -> np.ndarray:
    """The scale points of one item and group, read with plain SQL (no "weiß nicht")."""
    rows = conn.execute(
        text(
            "SELECT a.num FROM answer a JOIN response r ON r.id = a.response_id "
            "JOIN question q ON q.id = a.question_id JOIN target_group g ON g.id = "
            "r.target_group_id LEFT JOIN item i ON i.id = a.item_id WHERE r.survey_id = :s "
            "AND q.key = :q AND coalesce(i.key, '') = :i AND g.key = :g AND a.num IS NOT NULL"
        ),
        {"s": survey_id, "q": key, "i": item, "g": group},
    ).all()
    return np.array([r[0] for r in rows], dtype=float)


def test_scale_statistics_match_plain_sql(stored: Any) -> None:
    conn, survey_id, result = stored
    scale = result.scale.set_index(["question", "item", "group"])
    for key, item in (("zufr_wohnen", "radwege"), ("kita", ""), ("wicht_wohnen", "gruen")):
        for group in ("familien", "senioren", "akteure"):
            values = _points(conn, survey_id, key, item, group)
            row = scale.loc[(key, item, group)]
            assert row["n"] == len(values)
            assert row["mean"] == pytest.approx(values.mean())
            assert row["sd"] == pytest.approx(values.std(ddof=1))
            assert row["median"] == pytest.approx(np.median(values))
            assert row["top2_share"] == pytest.approx((values >= 4).mean())


def test_mann_whitney_matches_scipy_on_expanded_rows(stored: Any) -> None:
    conn, survey_id, result = stored
    tests = result.group_differences
    assert len(tests) > 0
    for row in tests.to_dict("records"):
        a = _points(conn, survey_id, row["question"], row["item"], row["group_a"])
        b = _points(conn, survey_id, row["question"], row["item"], row["group_b"])
        expected = sps.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
        assert row["statistic"] == pytest.approx(expected.statistic)
        assert row["p"] == pytest.approx(expected.pvalue, rel=1e-9)


def test_chi_square_matches_scipy_on_plain_counts(stored: Any) -> None:
    conn, survey_id, result = stored
    rows = conn.execute(
        text(
            "SELECT g.key, o.code FROM answer a JOIN response r ON r.id = a.response_id "
            "JOIN question q ON q.id = a.question_id JOIN target_group g ON g.id = "
            "r.target_group_id JOIN option o ON o.id = a.option_id "
            "WHERE r.survey_id = :s AND q.key = 'weg'"
        ),
        {"s": survey_id},
    ).all()
    table = pd.crosstab([r[0] for r in rows], [r[1] for r in rows])
    chi2, p, dof, _ = sps.chi2_contingency(table.to_numpy())
    row = result.choice_differences.set_index("question").loc["weg"]
    assert row["statistic"] == pytest.approx(chi2)
    assert row["p"] == pytest.approx(p)
    assert row["dof"] == dof


def test_index_is_the_mean_of_per_respondent_means(stored: Any) -> None:
    conn, survey_id, result = stored
    rows = conn.execute(
        text(
            "SELECT a.response_id, g.key, a.num FROM answer a JOIN response r ON "
            "r.id = a.response_id JOIN question q ON q.id = a.question_id JOIN target_group g "
            "ON g.id = r.target_group_id WHERE r.survey_id = :s AND q.key = 'zufr_wohnen' "
            "AND a.num IS NOT NULL"
        ),
        {"s": survey_id},
    ).all()
    frame = pd.DataFrame(rows, columns=["response", "group", "num"])
    frame["score"] = (frame["num"] - 1) / 4 * 100
    per = frame.groupby(["response", "group"])["score"].mean().reset_index()
    index = result.field_index.set_index(["field", "group"])
    for group, part in per.groupby("group"):
        row = index.loc[("wohnumfeld", group)]
        assert row["n"] == len(part)
        assert row["index"] == pytest.approx(part["score"].mean())
        assert row["sd"] == pytest.approx(part["score"].std(ddof=1))
