"""``flask analyse``: thin command around analysis.report and analysis.export.

The full runs read the shared read-only demo (``tests/app/demo_world.py``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from flask import Flask

from app.extensions import db
from demo import seed_demo
from demo.content import CURRENT
from tests.app.demo_world import DemoWorld


def test_analyse_writes_tables_figures_and_summary(demo: DemoWorld, tmp_path: Path) -> None:
    out = tmp_path / "auswertung"
    categories = tmp_path / "kategorien.json"
    categories.write_text('{"Betreuung": ["Kita", "Betreuung"], "Wohnen": ["Miete"]}')
    result = demo.app.test_cli_runner().invoke(
        args=[
            "analyse",
            CURRENT.slug,
            "--out",
            str(out),
            "--format",
            "xlsx",
            "--categories",
            str(categories),
        ]
    )
    assert result.exit_code == 0, result.output
    book = pd.read_excel(out / f"{CURRENT.slug}.xlsx", sheet_name=None)
    assert "Kategorien" in book and "Betreuung" in set(book["Kategorien"]["Kategorie"])
    assert any((out / "abbildungen").glob("likert_*.png"))
    summary = (out / "zusammenfassung.txt").read_text(encoding="utf-8")
    assert "Am wenigsten zufrieden" in summary
    assert "Zielgruppe: Familien" in result.output
    # The reversed item is named, in the summary and in the workbook.
    assert "Umgepolte Items" in summary and "„Ich fühle mich oft allein.“" in summary
    notes = " ".join(book["Hinweise"]["Hinweis"])
    assert "Ich fühle mich oft allein." in notes
    assert "nur über die Aussagen, die beide Befragungen enthalten" in notes
    scale = book["Skalen"]
    alone = scale[scale["Frage"] == "allein_gefuehl"]
    assert not alone.empty and set(alone["Umgepolt"]) == {"ja"}
    assert set(scale.loc[scale["Frage"] != "allein_gefuehl", "Umgepolt"]) == {"nein"}
    left = book["Vergleich nicht enthalten"]
    assert "Sprachförderung für Kinder und Eltern" in set(left["Text"])


def test_analyse_refuses_unknown_survey_and_too_few(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["analyse", "gibt-es-nicht", "--out", str(tmp_path)])
    assert unknown.exit_code != 0 and "Keine Umfrage" in unknown.output
    seed_demo(db.session, responses=3)
    db.session.commit()
    few = runner.invoke(args=["analyse", CURRENT.slug, "--out", str(tmp_path)])
    assert few.exit_code != 0 and "Zu wenige Antworten" in few.output


def test_analyse_reports_bad_categories_file(app: Flask, tmp_path: Path) -> None:
    bad = tmp_path / "kaputt.json"
    bad.write_text("[1, 2]")
    seed_demo(db.session, responses=20)
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["analyse", CURRENT.slug, "--out", str(tmp_path), "--categories", str(bad)]
    )
    assert result.exit_code != 0 and "Kategorie" in result.output


def test_analyse_breaks_down_by_stadtteil_and_refuses_unknown_breakdowns(
    demo: DemoWorld, tmp_path: Path
) -> None:
    runner = demo.app.test_cli_runner()
    out = tmp_path / "mitte"
    args = ["analyse", CURRENT.slug, "--out", str(out), "--format", "xlsx", "--ohne-abbildungen"]
    done = runner.invoke(args=[*args, "--breakdown", "stadtteil=mitte"])
    assert done.exit_code == 0, done.output
    assert not (out / "abbildungen").exists()  # tables only, as asked
    book = pd.read_excel(out / f"{CURRENT.slug}.xlsx", sheet_name=None)
    # Only Mitte's respondents: every other Stadtteil has none.
    sizes = book["Befragte je Merkmal"]
    stadt = sizes[sizes["Auswertungsmerkmal"] == "In welchem Stadtteil wohnen Sie?"]
    others = stadt[~stadt["Antwort"].isin(["Mitte", "Alle Befragten"])]
    assert len(others) == 9 and set(others["n (gültig)"]) == {0}
    mitte = stadt[stadt["Antwort"] == "Mitte"]["n (gültig)"]
    total = stadt[stadt["Antwort"] == "Alle Befragten"]["n (gültig)"]
    assert list(mitte) == list(total)
    for bad, message in (
        ("stadtteil=mond", "keine Antwort auf"),
        ("lieblingsfarbe=blau", "kein Auswertungsmerkmal"),
        ("stadtteil", "kein Auswertungsmerkmal"),
    ):
        refused = runner.invoke(args=[*args, "--breakdown", bad])
        assert refused.exit_code != 0 and message in refused.output, refused.output
