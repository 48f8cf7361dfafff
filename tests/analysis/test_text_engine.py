"""Free text read and counted on a connection of its own (given an engine, the analysis
does that beside its count queries) gives the tables of the one-connection path."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

import analysis.pipeline
from analysis.frames import Filters
from analysis.privacy import Policy
from analysis.report import run_full_analysis
from tests.analysis.builders import build_survey, fill
from tests.analysis.test_aggregates import assert_same
from tests.conftest import DatabaseFactory, domain_engine


def test_texts_beside_the_count_queries_equal_the_one_connection_path(
    fresh_database: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = domain_engine(fresh_database("texts"))
    try:
        with Session(engine) as session:
            survey = build_survey(session, "texte")
            fill(session, survey, {"familien": 40, "senioren": 16, "akteure": 6}, seed=11)
            session.commit()
            survey_id = survey.id
        calls: list[Any] = []
        beside = analysis.pipeline._texts_on_own_connection

        def counted(*args: Any) -> Any:
            calls.append(args)
            return beside(*args)

        monkeypatch.setattr(analysis.pipeline, "_texts_on_own_connection", counted)
        policy = Policy(min_cell=3, min_text=5)
        categories = {"Spielen": ["spielplatz"], "Betreuung": ["kita", "betreuung"]}
        tables = {}
        for filters in (Filters(), Filters(group="familien")):
            ours = run_full_analysis(
                engine, survey_id, filters, policy=policy, categories=categories
            )
            with engine.connect() as conn:
                one = run_full_analysis(
                    conn, survey_id, filters, policy=policy, categories=categories
                )
            assert_same(ours, one)
            tables[str(filters.describe())] = ours
        assert len(calls) == 1  # the unfiltered analysis; a filtered one reads no texts
        unfiltered = tables[str(Filters().describe())]
        for name in ("words", "bigrams", "comments", "keywords"):
            assert not getattr(unfiltered, name).empty, name
    finally:
        engine.dispose()
