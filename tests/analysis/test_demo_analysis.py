"""End to end on the Delmenhorst demo: the moderator's question answered, privacy held."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from sqlalchemy import Engine

from analysis.frames import TOTAL
from analysis.privacy import Policy
from analysis.questions import moderator_summary
from analysis.report import AnalysisResult, run_full_analysis
from demo import seed_demo
from demo.content import CURRENT
from surveys.queries import survey_by_slug
from tests.conftest import rollback_session

COUNT_COLUMNS = (
    "count",
    "n",
    "ranked",
    "top3",
    "respondents",
    "online",
    "paper",
    "comments",
    "n_a",
    "n_b",
    "n_then",
    "n_now",
)


@pytest.fixture(scope="module")
def demo(engine: Engine) -> Iterator[AnalysisResult]:
    """The demo with 400 responses per survey, analysed once for this module's tests."""
    with rollback_session(engine) as session:
        seed_demo(session, responses=400)
        survey = survey_by_slug(session, CURRENT.slug)
        assert survey is not None and survey.baseline_id is not None
        yield run_full_analysis(session.connection(), survey.id)


def test_demo_answers_the_moderators_question(demo: AnalysisResult) -> None:
    summary = moderator_summary(demo, "familien")
    assert len(summary.least_satisfied) == 3
    assert summary.least_satisfied["index"].is_monotonic_increasing
    assert (summary.wants_first["source"] == "ranking").any()
    assert not demo.baseline_items.empty and not demo.baseline_index.empty
    lines = summary.lines(demo.meta)
    assert lines[0] == "Zielgruppe: Familien"
    # Every Handlungsfeld has an index for the whole sample.
    totals = demo.field_index[demo.field_index["group"] == TOTAL]
    assert set(totals["field"]) == set(demo.meta.fields.index)
    assert totals["index"].between(0, 100).all()


def test_demo_shows_large_groups_in_full_and_no_small_row(demo: AnalysisResult) -> None:
    """Nothing is hidden about a group of 100+ respondents, small counts inside a group are
    shown (no per-cell hiding), and every row shown rests on at least MIN_CELL answers."""
    policy = Policy()
    sizes = demo.responses.set_index("group")["n"]
    large = {str(g) for g, n in sizes.items() if g != TOTAL and n >= 100}
    assert large == {"familien", "senioren", "akteure"} or len(large) >= 2
    for name in ("scale", "field_index", "choices", "rankings", "numbers"):
        table = getattr(demo, name)
        rows = table[table["group"].astype(str).isin(large)]
        assert not rows["suppressed"].any() if "suppressed" in rows else True, name
        for base in ("n", "respondents"):
            if base in table.columns:
                shown = table[base].dropna().to_numpy(dtype=float)
                assert ((shown == 0) | (shown >= policy.min_cell)).all(), (name, base)
    small = demo.scale[[c for c in demo.scale.columns if c.startswith("count_")]]
    values = small.to_numpy(dtype=float, na_value=np.nan)
    assert ((values > 0) & (values < policy.min_cell)).any()  # shown, within large groups
    # the key finding: "Bezahlbarer Wohnraum für Familien" in full for every group
    housing = demo.scale[demo.scale["item"].astype(str) == "wohnraum_bezahlbar"]
    assert set(housing["group"].astype(str)) >= large
    points = [f"count_{p}" for p in range(1, 6)]
    assert housing[housing["group"].astype(str).isin(large)][[*points, "mean"]].notna().all().all()


def test_demo_marks_stadtteil_and_age_group_as_breakdowns(demo: AnalysisResult) -> None:
    questions = demo.meta.questions
    assert questions["breakdown"].dtype == bool
    assert sorted(questions.index[questions["breakdown"]]) == ["altersgruppe", "stadtteil"]
    assert (questions.loc[questions["breakdown"], "type"] == "single").all()
