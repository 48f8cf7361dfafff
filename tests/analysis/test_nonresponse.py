"""Item non-response among those shown a question, against hand-counted answers and SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from analysis.frames import Filters, load_survey
from analysis.nonresponse import item_nonresponse, shown_to
from analysis.privacy import Policy
from surveys.models import Survey, TargetGroup
from surveys.responses import store_response
from tests.factories import build_survey

POLICY = Policy(min_cell=3, min_text=10)

# (group, answers) as the domain stores them; hidden answers are dropped by the domain.
ANSWERS: list[tuple[str, dict[str, Any]]] = [
    ("familien", {"kita": 4, "angebote": {"spielplatz": 5, "schule": 3, "bibliothek": 2},
                  "beratung": True, "stelle": "familienbuero",
                  "themen": {"choices": ["erziehung"], "other": ""}, "kinder": 2,
                  "anmerkungen": "Mehr Spielplätze"}),
    ("familien", {"kita": "dk", "angebote": {"spielplatz": 4}, "beratung": False}),
    ("familien", {"beratung": True, "themen": {"choices": [], "other": "Schulweg"}}),
    ("familien", {"kita": 2, "beratung": True, "stelle": "andere", "kinder": 0}),
    # "stelle" is hidden by "nein": the domain drops it, the analysis must not count it
    ("familien", {"kita": "dk", "beratung": False, "stelle": "andere"}),
    ("familien", {}),
    ("senioren", {"angebote": {"spielplatz": 1, "schule": 2}, "beratung": True,
                  "stelle": "seniorenbuero"}),
    ("senioren", {"angebote": {"bibliothek": 5}, "beratung": True}),
    ("senioren", {"beratung": False, "anmerkungen": "Danke"}),
    ("senioren", {}),
]  # fmt: skip

# Counted by hand from ANSWERS: (question, item) -> (shown, answered, weiß nicht, skipped)
EXPECTED = {
    ("kita", ""): (6, 2, 2, 2),
    ("angebote", "spielplatz"): (10, 3, 0, 7),
    ("angebote", "schule"): (10, 2, 0, 8),
    ("angebote", "bibliothek"): (10, 2, 0, 8),
    ("beratung", ""): (10, 8, 0, 2),
    ("stelle", ""): (5, 3, 0, 2),  # beratung = ja: three families, two seniors
    ("themen", ""): (10, 2, 0, 8),
    ("prioritaeten", ""): (10, 0, 0, 10),
    ("kinder", ""): (6, 2, 0, 4),
    ("anmerkungen", ""): (10, 2, 0, 8),
    ("vernetzung", ""): (0, 0, 0, 0),
}


@pytest.fixture()
def survey(session: Session) -> Survey:
    survey = build_survey(session)
    groups = {g.key: g for g in session.query(TargetGroup)}
    for group, answers in ANSWERS:
        store_response(session, survey, groups[group], answers, today=date(2026, 11, 20))
    session.flush()
    return survey


def test_counts_match_hand_count(session: Session, survey: Survey) -> None:
    data = load_survey(session.connection(), survey.id)
    table = item_nonresponse(data, POLICY)
    got = {
        (r.question, r.item): (r.shown, r.answered, r.dont_know, r.skipped)
        for r in table.itertuples()
    }
    assert got == EXPECTED
    kita = table[table["question"] == "kita"].iloc[0]
    assert kita["answered_share"] == pytest.approx(2 / 6)
    assert kita["dont_know_share"] == pytest.approx(2 / 6)
    assert kita["skipped_share"] == pytest.approx(2 / 6)
    assert pd.isna(table[table["question"] == "vernetzung"].iloc[0]["answered_share"])


def test_answered_matches_plain_sql(session: Session, survey: Survey) -> None:
    """Questions without a condition: answered = distinct responses with a real answer."""
    table = item_nonresponse(load_survey(session.connection(), survey.id), POLICY)
    rows = session.execute(
        text(
            "SELECT q.key, COALESCE(i.key, ''), "
            "COUNT(DISTINCT CASE WHEN a.dont_know THEN NULL ELSE a.response_id END), "
            "COUNT(DISTINCT CASE WHEN a.dont_know THEN a.response_id END) "
            "FROM answer a JOIN question q ON q.id = a.question_id "
            "JOIN response r ON r.id = a.response_id LEFT JOIN item i ON i.id = a.item_id "
            "WHERE r.survey_id = :s GROUP BY q.key, COALESCE(i.key, '')"
        ),
        {"s": survey.id},
    ).all()
    by_key = table.set_index(["question", "item"])
    assert rows
    for key, item, answered, dont_know in rows:
        assert by_key.loc[(key, item), "answered"] == answered, key
        assert by_key.loc[(key, item), "dont_know"] == dont_know, key


def test_shown_follows_groups_and_conditions(session: Session, survey: Survey) -> None:
    data = load_survey(session.connection(), survey.id)
    shown = shown_to(data)
    assert int(shown["kita"].sum()) == 6 and int(shown["vernetzung"].sum()) == 0
    # the trigger's answer decides: ja shows "stelle", nein and no answer hide it
    beratung = [a.get("beratung") for _g, a in ANSWERS]
    assert list(shown["stelle"]) == [b is True for b in beratung]


def test_filtered_and_small_bases_are_hidden(session: Session, survey: Survey) -> None:
    data = load_survey(session.connection(), survey.id, Filters(group="senioren"))
    table = item_nonresponse(data, POLICY).set_index(["question", "item"])
    # two seniors were shown "stelle": fewer than min_cell, the row is hidden whole
    assert table.loc[("stelle", ""), "suppressed"]
    assert table.loc[("stelle", ""), ["shown", "answered", "skipped"]].isna().all()
    assert table.loc[("beratung", ""), "shown"] == 4
    assert table.loc[("kita", ""), "shown"] == 0
