"""The demo's weighting against an independent computation, and where weighting is reported.

The independent side reads the respondents with plain SQL (one row per respondent, no cell
table, no ORM), rakes them with a textbook IPF written here on per-respondent weights, and
computes the weighted figures from the raw answer rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask import current_app
from sqlalchemy import text

from app.common.weighting import survey_weighting
from app.extensions import db
from demo.weighting import FAMILY_HOUSEHOLDS, SENIOR_AGES, SENIORS, SOURCE
from tests.app.demo_world import SLUG, DemoWorld, Mappe

LOWER, UPPER = 0.2, 5.0  # the default WEIGHT_TRIM

RESPONDENTS = text(
    """
    SELECT r.id, o.code
    FROM response r
    JOIN target_group tg ON tg.id = r.target_group_id
    LEFT JOIN answer a ON a.response_id = r.id AND a.question_id =
        (SELECT q.id FROM question q WHERE q.survey_id = :survey AND q.key = :question)
    LEFT JOIN option o ON o.id = a.option_id
    WHERE r.survey_id = :survey AND tg.key = :grp
    ORDER BY r.id
    """
)
VALUES = text(
    """
    SELECT a.response_id, a.num, i.key, o.code
    FROM answer a
    JOIN question q ON q.id = a.question_id
    LEFT JOIN item i ON i.id = a.item_id
    LEFT JOIN option o ON o.id = a.option_id
    WHERE q.survey_id = :survey AND q.key = :question AND a.dont_know = :no
    """
)


def _codes(survey_id: int, group: str, question: str) -> tuple[np.ndarray, np.ndarray]:
    rows = db.session.execute(
        RESPONDENTS, {"survey": survey_id, "question": question, "grp": group}
    ).all()
    return np.array([r[0] for r in rows]), np.array([r[1] or "" for r in rows], dtype=object)


def _textbook_ipf(codes: list[np.ndarray], margins: list[dict[str, float | None]]) -> np.ndarray:
    """Per-respondent raking: a respondent without a listed answer keeps their weight when
    that margin is adjusted; normalise to mean 1; clip to the bounds; repeat."""
    n = len(codes[0])
    w = np.ones(n)
    targets = [{k: v for k, v in m.items() if v is not None} for m in margins]
    for _ in range(500):
        for _ in range(3000):
            before = w.copy()
            for column, target in zip(codes, targets, strict=True):
                total = sum(target.values())
                valid_sum = w[np.isin(column, list(target))].sum()
                for code, value in target.items():
                    chosen = column == code
                    w[chosen] *= value / total * valid_sum / w[chosen].sum()
            if np.abs(w - before).max() < 1e-13:
                break
        w *= n / w.sum()
        if w.min() >= LOWER * (1 - 1e-6) and w.max() <= UPPER * (1 + 1e-6):
            return w
        w = np.clip(w, LOWER, UPPER)
    raise AssertionError("the textbook IPF did not converge")


def _report(demo: DemoWorld, group: str) -> Any:
    entry = next(e for e in survey_weighting(demo.survey()) if e.group.key == group)
    assert entry.report.error is None, entry.report.error
    return entry.report


@pytest.mark.parametrize(
    ("group", "margins"),
    [
        ("senioren", {"stadtteil": SENIORS, "altersgruppe": SENIOR_AGES}),
        ("familien", {"stadtteil": FAMILY_HOUSEHOLDS}),
    ],
)
def test_demo_weighted_figures_match_an_independent_computation(
    demo: DemoWorld, group: str, margins: dict[str, dict[str, float | None]]
) -> None:
    survey_id = demo.survey_id
    ids, first = _codes(survey_id, group, next(iter(margins)))
    codes = [first] + [_codes(survey_id, group, q)[1] for q in list(margins)[1:]]
    w = _textbook_ipf(codes, list(margins.values()))
    weight = dict(zip(ids.tolist(), w, strict=True))
    report = _report(demo, group)
    raking = report.raking

    n = len(w)
    assert raking.n == n
    assert raking.deff == pytest.approx(n * (w**2).sum() / w.sum() ** 2, abs=1e-8)
    assert raking.effective_n == pytest.approx(w.sum() ** 2 / (w**2).sum(), abs=1e-6)
    assert raking.min_weight == pytest.approx(w.min(), abs=1e-8)
    assert raking.max_weight == pytest.approx(w.max(), abs=1e-8)
    # the margins are met among those who gave a listed answer
    for column, (question, margin) in zip(codes, margins.items(), strict=True):
        listed = {k: v for k, v in margin.items() if v is not None}
        valid = np.isin(column, list(listed))
        for code, value in listed.items():
            share = w[column == code].sum() / w[valid].sum()
            assert share == pytest.approx(value / sum(listed.values()), abs=1e-8), question

    figures = report.figures.set_index(["question", "item", "option"])
    checked = 0
    for question in ("pflege_angehoerige", "stadtteil"):
        rows = db.session.execute(VALUES, {"survey": survey_id, "question": question, "no": False})
        answers = [(r[0], r[1], r[3]) for r in rows if r[0] in weight]
        if not answers:
            continue
        base_w = sum(weight[r] for r, _, _ in answers)
        if question == "pflege_angehoerige":
            expected = sum(weight[r] for r, num, _ in answers if num and num > 0) / base_w
            key = (question, "", "ja")
        else:
            expected = sum(weight[r] for r, _, code in answers if code == "mitte") / base_w
            key = (question, "", "mitte")
        assert figures.loc[key, "n"] == len({r for r, _, _ in answers})
        assert figures.loc[key, "weighted"] == pytest.approx(expected, abs=1e-8)
        checked += 1
    assert checked == 2
    # a scale item: the weighted mean of its scale points
    mean_rows = report.figures[
        (report.figures["statistic"] == "mean") & (report.figures["item"] != "")
    ]
    row = mean_rows.iloc[0]
    rows = db.session.execute(
        VALUES, {"survey": survey_id, "question": row["question"], "no": False}
    )
    points = [(r[0], float(r[1])) for r in rows if r[0] in weight and r[2] == row["item"]]
    expected = sum(weight[r] * p for r, p in points) / sum(weight[r] for r, _ in points)
    assert row["weighted"] == pytest.approx(expected, abs=1e-8)
    assert row["unweighted"] == pytest.approx(np.mean([p for _, p in points]), abs=1e-8)


def test_the_raking_alone_equals_the_raking_of_the_full_report(
    demo: DemoWorld, fresh_weighting_cache: None
) -> None:
    """The methods report asks only for the raking: same weights, no figures computed."""
    alone = {e.group.key: e.report for e in survey_weighting(demo.survey(), figures=False)}
    assert alone and all(r.figures.empty for r in alone.values())
    full = {e.group.key: e.report for e in survey_weighting(demo.survey())}
    assert set(alone) == set(full)
    for group, report in alone.items():
        assert report.raking is not None and full[group].raking is not None
        assert report.raking.deff == pytest.approx(full[group].raking.deff, abs=1e-12)
        assert not full[group].figures.empty
        # once the full report is cached, it serves the summary too
        again = {e.group.key: e.report for e in survey_weighting(demo.survey(), figures=False)}
        assert again[group] is full[group]


@pytest.fixture
def fresh_weighting_cache(demo: DemoWorld) -> Iterator[None]:
    """Empty the app's cache of weighting reports before and after the test."""
    cache = current_app.extensions.setdefault("weighting_reports", {})
    saved = dict(cache)
    cache.clear()
    yield
    cache.clear()
    cache.update(saved)


def test_the_methods_appendix_of_the_mappe_says_how_figures_are_weighted(
    demo: DemoWorld, demo_mappe: Mappe
) -> None:
    rest = demo_mappe.text[demo_mappe.text.index("Anhang: Methodenbericht") :]
    section = rest[rest.index("9. Gewichtung") :]
    assert "Raking" in section and "Designeffekt" in section and "Effektive Fallzahl" in section
    assert SOURCE.split(" (")[0] in section and "31.12.2025" in section
    report = _report(demo, "senioren")
    deff = f"{report.raking.deff:.2f}".replace(".", ",")
    assert deff in section
    assert "Ich wohne nicht in Delmenhorst" in section  # the excluded option is named
    assert "ungewichtet" in section  # the Mappe's own figures are not weighted


def test_flask_analyse_prints_the_weighted_figures(demo: DemoWorld, tmp_path: Path) -> None:
    runner = demo.app.test_cli_runner()
    out = tmp_path / "auswertung"
    result = runner.invoke(
        args=["analyse", SLUG, "--out", str(out), "--gewichtet", "--ohne-abbildungen"]
    )
    assert result.exit_code == 0, result.output
    report = _report(demo, "senioren")
    deff = f"{report.raking.deff:.2f}".replace(".", ",")
    assert (
        f"Gewichtung Seniorinnen und Senioren: {report.raking.n} Befragte, Designeffekt {deff}"
        in (result.output)
    )
    table = (out / "gewichtet_senioren.csv").read_text(encoding="utf-8")
    assert table.startswith(
        "\ufeffFrage;Teilfrage oder Antwort;Kennzahl;Befragte;ungewichtet;gewichtet"
    )
    assert "In welchem Stadtteil wohnen Sie?;Mitte;Anteil;" in table
