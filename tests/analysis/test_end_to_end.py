"""End to end: a survey built and answered through the domain, loaded and analysed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pandas.testing as pdt
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.export import write_all
from analysis.frames import Filters, load_survey, wide
from analysis.questions import answer, least_satisfied, moderator_summary
from analysis.report import run_full_analysis, wordclouds
from surveys.models import Survey, TargetGroup
from surveys.responses import store_response
from tests.analysis.builders import build_survey, fill

COUNTS = {"familien": 40, "senioren": 25, "akteure": 4}


@pytest.fixture()
def surveys(session: Session) -> tuple[Survey, list[tuple[str, str, dict[str, Any]]]]:
    """A 2019 baseline (4-point scales) and the current survey (5 points) with answers."""
    baseline = build_survey(session, "bestand-2019", points=4)
    fill(session, baseline, {"familien": 30, "senioren": 20}, seed=1, points=4)
    current = build_survey(session, "bilanz-2026", baseline=baseline)
    stored = fill(session, current, COUNTS, seed=2)
    return current, stored


def test_loader_reads_every_answer_with_categories(session: Session, surveys: Any) -> None:
    current, stored = surveys
    data = load_survey(session.connection(), current.id)
    assert len(data.responses) == sum(COUNTS.values())
    assert data.answers["question"].dtype == "category"
    assert data.answers["group"].dtype == "category"
    view = wide(data.answers, data.meta)
    assert len(view) == len(stored)
    first = stored[0][2]
    row = view.iloc[0]
    assert row["kita"] == first["kita"]
    assert row["weg"] == first["weg"]
    assert row[f"prioritaeten:{first['prioritaeten'][0]}"] == 1
    multi = next(a for _, _, a in stored if a.get("angebote", {}).get("choices"))
    position = next(i for i, (_, _, a) in enumerate(stored) if a is multi)
    chosen = view.iloc[position][["angebote:sport", "angebote:musik", "angebote:lernen"]]
    assert dict(chosen) == {
        f"angebote:{o}": float(o in multi["angebote"]["choices"])
        for o in ("sport", "musik", "lernen")
    }


def test_full_analysis_matches_direct_computation(session: Session, surveys: Any) -> None:
    current, stored = surveys
    result = run_full_analysis(session.connection(), current.id)
    # 4 Akteure: everyone minus families minus seniors would be them, so the total (the row
    # a reader misses least) is not described; families and seniors are, in full.
    assert result.status == "ok" and result.n_responses is None
    responses = result.responses.set_index("group")
    assert responses.loc["familien", "n"] == 40 and responses.loc["senioren", "n"] == 25
    assert responses.loc["akteure", ["online", "paper", "n"]].isna().all()
    # each cell is a set's size: "online" is described on its own, "paper" is not
    online = sum(1 for _, c, _ in stored if c == "online")
    assert responses.loc["total", "online"] == online and pd.isna(responses.loc["total", "n"])
    # Scale item, families, computed directly from what was stored.
    values = [
        a["zufr_wohnen"]["radwege"]
        for g, _, a in stored
        if g == "familien" and "radwege" in a.get("zufr_wohnen", {})
    ]
    points = [v for v in values if v != "dk"]
    row = result.scale[
        (result.scale["question"] == "zufr_wohnen")
        & (result.scale["item"] == "radwege")
        & (result.scale["group"] == "familien")
    ].iloc[0]
    assert row["n"] == len(points)
    assert row["mean"] == pytest.approx(sum(points) / len(points))
    assert row["median"] == pytest.approx(pd.Series(points).median())
    assert row["sd"] == pytest.approx(pd.Series(points).std())
    assert row["count_dk"] == values.count("dk")
    # Multiple choice per option, families.
    fam = [a for g, _, a in stored if g == "familien"]
    sport = sum("sport" in a.get("angebote", {}).get("choices", []) for a in fam)
    choice = result.choices.set_index(["question", "option", "group"])
    assert choice.loc[("angebote", "sport", "familien"), "count"] == sport
    assert choice.loc[("angebote", "sport", "familien"), "respondents"] == sum(
        "angebote" in a for a in fam
    )
    # Borda for families: places 1..3 give 3..1 points.
    points_kita = sum(
        3 - a["prioritaeten"].index("kita") for a in fam if "kita" in a["prioritaeten"]
    )
    rank = result.rankings.set_index(["option", "group"])
    assert rank.loc[("kita", "familien"), "borda"] == pytest.approx(points_kita / len(fam))
    # Akteure (4) are suppressed everywhere, and so is the total; the baseline by key.
    assert result.scale.loc[result.scale["group"] == "akteure", "n"].isna().all()
    assert result.scale.loc[result.scale["group"] == "total", "n"].isna().all()
    assert set(result.baseline_items["question"]) == {"zufr_wohnen", "wicht_wohnen", "kita"}
    assert {"wohnumfeld", "bildung"} <= set(result.baseline_index["field"])
    assert not result.comments.empty and "akteure" not in set(result.comments["group"])
    assert set(wordclouds(result)) == {
        ("wohnumfeld", "familien", "de"),
        ("wohnumfeld", "senioren", "de"),
    }
    pdt.assert_frame_equal(answer(result, "least_satisfied"), least_satisfied(result, "familien"))
    with pytest.raises(KeyError):
        answer(result, "weather")
    summary = moderator_summary(result, "familien")
    text = "\n".join(summary.lines(result.meta))
    assert "Am wenigsten zufrieden" in text and "Platz 1" in text


def test_filters_and_too_few(session: Session, surveys: Any) -> None:
    current, stored = surveys
    conn = session.connection()
    families = run_full_analysis(conn, current.id, Filters(group="familien"))
    assert families.n_responses == 40
    assert set(families.scale["group"]) == {"familien", "total"}
    # families online and seniors online are described, so paper = everyone - online would
    # give away the 4 Akteure with the total: the paper filter is not described as a whole
    paper = run_full_analysis(conn, current.id, Filters(channel="paper"))
    assert not paper.too_few and paper.n_responses is None
    online = run_full_analysis(conn, current.id, Filters(channel="online"))
    assert online.n_responses == sum(1 for _, c, _ in stored if c == "online")
    german = run_full_analysis(conn, current.id, Filters(language="de"))
    assert german.n_responses is None  # everyone wrote German: the same set as the total
    assert run_full_analysis(conn, current.id, Filters(language="en")).too_few
    few = run_full_analysis(conn, current.id, Filters(group="akteure"))
    assert few.too_few and few.n_responses is None
    assert all(t.empty for t in few.tables().values())
    assert moderator_summary(few).lines(few.meta) == [
        "Zu wenige Antworten für eine Auswertung mit diesen Filtern."
    ]


def test_export_writes_german_tables_figures_and_neutralises_formulas(
    session: Session, surveys: Any, tmp_path: Path
) -> None:
    current, _ = surveys
    group = session.scalar(select(TargetGroup).where(TargetGroup.key == "familien"))
    assert group is not None
    store_response(
        session, current, group, {"kommentar_wohnen": '=HYPERLINK("x")'}, today=date(2026, 5, 2)
    )
    result = run_full_analysis(session.connection(), current.id)
    paths = write_all(result, tmp_path / "csv", "csv")
    names = {p.name for p in paths}
    assert {"scale.csv", "rankings.csv", "comments.csv", "zusammenfassung.txt"} <= names
    assert any(n.startswith("wortwolke_") for n in names)
    scale = pd.read_csv(tmp_path / "csv" / "scale.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert {"Mittelwert", "Zielgruppe", "Handlungsfeld", "Top-2-Anteil"} <= set(scale.columns)
    assert "Alle Befragten" in set(scale["Zielgruppe"])
    comments_text = (tmp_path / "csv" / "comments.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in comments_text
    xlsx = write_all(result, tmp_path / "xlsx", "xlsx")
    book = pd.read_excel(xlsx[0], sheet_name=None)
    assert "Skalen" in book and "Rangfolgen" in book
    png = next(p for p in paths if p.suffix == ".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
