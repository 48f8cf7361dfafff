"""End to end on the Delmenhorst demo: the moderator's question answered, privacy held."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy.orm import Session

from analysis.frames import TOTAL
from analysis.privacy import Policy
from analysis.questions import moderator_summary
from analysis.report import AnalysisResult, run_full_analysis
from surveys.demo import seed_demo
from surveys.demo.content import CURRENT
from surveys.queries import survey_by_slug

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


@pytest.fixture()
def demo(session: Session) -> AnalysisResult:
    """The demo with 400 responses per survey, analysed."""
    seed_demo(session, responses=400)
    survey = survey_by_slug(session, CURRENT.slug)
    assert survey is not None and survey.baseline_id is not None
    return run_full_analysis(session.connection(), survey.id)


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


def test_demo_tables_never_show_a_small_count(demo: AnalysisResult) -> None:
    policy = Policy()
    for name, table in demo.tables().items():
        for column in table.columns:
            if column in COUNT_COLUMNS or column.startswith("count_"):
                values = table[column].to_numpy(dtype=float, na_value=np.nan)
                shown = values[~np.isnan(values)]
                assert ((shown == 0) | (shown >= policy.min_cell)).all(), (name, column)
    assert (demo.comments.groupby(["field", "group"]).size() >= policy.min_text).all()
