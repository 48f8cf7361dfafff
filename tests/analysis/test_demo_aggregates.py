"""The analysis on aggregates against the row-based reference on the Delmenhorst demo.

Its own module: the demo is written in a transaction of its own, which must not wait for
another module's open transaction on SQLite.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

from analysis.frames import Filters
from analysis.report import run_full_analysis
from demo import seed_demo
from demo.content import CURRENT
from surveys.queries import survey_by_slug
from tests.analysis.row_reference import run_row_analysis
from tests.analysis.test_aggregates import assert_same
from tests.conftest import rollback_session


def test_demo_aggregates_equal_the_row_based_reference(engine: Engine) -> None:
    """The Delmenhorst demo (current survey with its baseline): every table equal under no
    filter, a target group, a channel and one Stadtteil, keyword coding included."""
    categories = {"Betreuung": ["kita", "betreuung"], "Verkehr": ["bus", "radweg", "ampel"]}
    with rollback_session(engine) as session:
        seed_demo(session, responses=400)
        survey = survey_by_slug(session, CURRENT.slug)
        assert survey is not None and survey.baseline_id is not None
        conn = session.connection()
        stadtteil = conn.execute(
            text(
                "SELECT o.code FROM option o JOIN question q ON q.id = o.question_id"
                " WHERE q.survey_id = :s AND q.key = 'stadtteil' ORDER BY o.position LIMIT 1"
            ),
            {"s": survey.id},
        ).scalar_one()
        runs = (
            Filters(),
            Filters(group="familien"),
            Filters(channel="paper"),
            Filters(breakdown=("stadtteil", str(stadtteil))),
        )
        for filters in runs:
            ours = run_full_analysis(conn, survey.id, filters, categories=categories)
            reference = run_row_analysis(conn, survey.id, filters, categories=categories)
            assert_same(ours, reference)
            if filters == Filters():
                # The comparison covers the tables the workshop reads, not empty frames.
                for name in ("breakdown_index", "baseline_items", "comments", "keywords"):
                    assert not getattr(ours, name).empty, name
