"""The demo's reversed item and like-for-like baseline, recomputed from the raw tables.

The reference figures here are computed with plain SQL and Python from the answer rows, not
with :mod:`analysis`, and then compared with what the analysis reports (issue 15).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

import numpy as np
import pytest
from scipy import stats as sps
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from analysis.report import AnalysisResult, run_full_analysis
from demo import seed_demo
from demo.content import BASELINE, CURRENT
from surveys.queries import survey_by_slug
from tests.conftest import rollback_session

#: Per-answer rows of the index: satisfaction (or role-less) scale questions in a field.
INDEX_ROWS = text(
    """
    SELECT r.id, tg.key, hf.key, q.key, COALESCE(i.key, ''), a.num, q.settings,
           q.reversed, COALESCE(i.reversed, false)
    FROM answer a
    JOIN response r ON r.id = a.response_id
    JOIN target_group tg ON tg.id = r.target_group_id
    JOIN question q ON q.id = a.question_id
    JOIN section s ON s.id = q.section_id
    JOIN handlungsfeld hf ON hf.id = s.handlungsfeld_id
    LEFT JOIN item i ON i.id = a.item_id
    WHERE r.survey_id = :survey AND q.type IN ('likert', 'matrix')
      AND (q.role IS NULL OR q.role = 'satisfaction') AND a.num IS NOT NULL
    """
)

Row = tuple[int, str, str, str, str, float, int, bool]


def index_rows(session: Session, survey_id: int) -> list[Row]:
    """(response, group, field, question, item, point, k, reversed) of every index answer."""
    out = []
    for rid, group, field, question, item, num, settings, q_rev, i_rev in session.execute(
        INDEX_ROWS, {"survey": survey_id}
    ):
        settings = json.loads(settings) if isinstance(settings, str) else settings
        k = len(settings["scale"])
        out.append((rid, group, field, question, item, float(num), k, bool(q_rev or i_rev)))
    return out


def per_response(
    rows: list[Row], *, reverse: bool, pairs: set[tuple[str, str]] | None = None
) -> dict[tuple[str, str], list[float]]:
    """(field, group) -> per-response index on 0-100 (mean of the response's items)."""
    sums: dict[tuple[int, str, str], list[float]] = defaultdict(list)
    for rid, group, field, question, item, point, k, rev in rows:
        if pairs is not None and (question, item) not in pairs:
            continue
        scored = k + 1 - point if (reverse and rev) else point
        sums[(rid, field, group)].append((scored - 1) / (k - 1) * 100)
    out: dict[tuple[str, str], list[float]] = defaultdict(list)
    for (_rid, field, group), scores in sums.items():
        out[(field, group)].append(float(np.mean(scores)))
        out[(field, "total")].append(float(np.mean(scores)))
    return out


@pytest.fixture(scope="module")
def demo(engine: Engine) -> Iterator[tuple[Session, int, int, AnalysisResult]]:
    """The full demo (3000 responses per survey), analysed once for this module's tests."""
    with rollback_session(engine) as session:
        seed_demo(session)
        current, baseline = (
            survey_by_slug(session, CURRENT.slug),
            survey_by_slug(session, BASELINE.slug),
        )
        assert current is not None and baseline is not None
        session.flush()
        result = run_full_analysis(session.connection(), current.id)
        yield session, current.id, baseline.id, result


def test_seniors_field_index_uses_the_reversed_item(demo) -> None:  # type: ignore[no-untyped-def]
    session, current_id, _baseline_id, result = demo
    rows = index_rows(session, current_id)
    assert any(r[3] == "allein_gefuehl" and r[7] for r in rows)
    raw = np.mean(per_response(rows, reverse=False)[("senioren", "senioren")])
    scored = np.mean(per_response(rows, reverse=True)[("senioren", "senioren")])
    assert raw == pytest.approx(47.4, abs=0.05)  # the figure before the fix
    assert scored == pytest.approx(54.6, abs=0.05)
    table = result.field_index.set_index(["field", "group"])
    assert table.at[("senioren", "senioren"), "index"] == pytest.approx(scored)
    # The reversal lifts the seniors above the families in Handlungsfeld 6.
    assert table.at[("senioren", "senioren"), "index"] > table.at[("senioren", "familien"), "index"]
    scale = result.scale
    alone = scale[
        (scale["question"].astype(str) == "allein_gefuehl") & (scale["group"] == "senioren")
    ]
    assert (
        alone["reversed"].all()
        and not scale[scale["question"] != "allein_gefuehl"]["reversed"].any()
    )


def test_baseline_change_is_item_matched_with_interval_and_effect(demo) -> None:  # type: ignore[no-untyped-def]
    session, current_id, baseline_id, result = demo
    now_rows, then_rows = index_rows(session, current_id), index_rows(session, baseline_id)
    shared = {(r[3], r[4]) for r in now_rows} & {(r[3], r[4]) for r in then_rows}
    now = per_response(now_rows, reverse=True, pairs=shared)
    then = per_response(then_rows, reverse=True, pairs=shared)
    a, b = np.array(now[("bildung", "total")]), np.array(then[("bildung", "total")])
    assert a.mean() - b.mean() == pytest.approx(5.9, abs=0.05)  # the figure
    welch = sps.ttest_ind(a, b, equal_var=False)
    ci = welch.confidence_interval(0.95)
    pooled = np.sqrt(
        ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
    )
    row = result.baseline_index.set_index(["field", "group"]).loc[("bildung", "total")]
    assert row["index_now"] == pytest.approx(a.mean())
    assert row["index_then"] == pytest.approx(b.mean())
    assert row["change"] == pytest.approx(a.mean() - b.mean())
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(ci.low), pytest.approx(ci.high))
    assert row["effect"] == pytest.approx((a.mean() - b.mean()) / pooled)
    # The items left out are listed: e.g. Sprachförderung is new in 2026.
    left = result.baseline_left_out
    listed = set(zip(left["side"], left["question"], left["item"], strict=True))
    expected_now = {("only_now", q, i) for q, i in {(r[3], r[4]) for r in now_rows} - shared}
    expected_then = {("only_then", q, i) for q, i in {(r[3], r[4]) for r in then_rows} - shared}
    assert listed == expected_now | expected_then
    assert ("only_now", "bildung_zufriedenheit", "sprachfoerderung") in listed
