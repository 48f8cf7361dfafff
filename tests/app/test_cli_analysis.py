"""``flask analyse``: thin command around analysis.report and analysis.export."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app.extensions import db
from surveys.demo import seed_demo
from surveys.demo.content import CURRENT


def test_analyse_writes_tables_figures_and_summary(app: Flask, tmp_path: Path) -> None:
    seed_demo(db.session, responses=150)
    db.session.commit()
    out = tmp_path / "auswertung"
    result = app.test_cli_runner().invoke(
        args=["analyse", CURRENT.slug, "--out", str(out), "--format", "xlsx"]
    )
    assert result.exit_code == 0, result.output
    assert (out / f"{CURRENT.slug}.xlsx").exists()
    assert any((out / "abbildungen").glob("likert_*.png"))
    summary = (out / "zusammenfassung.txt").read_text(encoding="utf-8")
    assert "Am wenigsten zufrieden" in summary
    assert "Zielgruppe: Familien" in result.output


def test_analyse_refuses_unknown_survey_and_too_few(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["analyse", "gibt-es-nicht", "--out", str(tmp_path)])
    assert unknown.exit_code != 0 and "Keine Umfrage" in unknown.output
    seed_demo(db.session, responses=3)
    db.session.commit()
    few = runner.invoke(args=["analyse", CURRENT.slug, "--out", str(tmp_path)])
    assert few.exit_code != 0 and "Zu wenige Antworten" in few.output
