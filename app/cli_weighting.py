"""``flask analyse --gewichtet``: the weighted figures of a survey, printed and as CSV files."""

from __future__ import annotations

import io
from pathlib import Path

import click

from app.common.weighting import GroupWeighting, decimal, figure_labels, percent, survey_weighting
from app.i18n import translate_error, translate_label
from surveys.models import Survey
from surveys.spreadsheet import BOM, csv_writer, neutralise


def _figures_csv(entry: GroupWeighting, survey: Survey) -> str:
    """One row per figure: question, item or option, base, unweighted, weighted (German)."""
    questions, parts = figure_labels(survey)
    out = io.StringIO()
    out.write(BOM)
    writer = csv_writer(out)
    writer.writerow(
        ["Frage", "Teilfrage oder Antwort", "Kennzahl", "Befragte", "ungewichtet", "gewichtet"]
    )
    for row in entry.report.figures.to_dict("records"):
        question, item, option = str(row["question"]), str(row["item"]), str(row["option"])
        label = " · ".join(parts.get((question, key), key) for key in (item, option) if key)
        share = row["statistic"] == "share"
        shown = bool(row["shown"])

        def value(x: float, share: bool = share, shown: bool = shown) -> str:
            if not shown:
                return "•"
            return percent(x).replace("\u202f", " ") if share else decimal(x, 2)

        writer.writerow(
            [
                neutralise(questions.get(question, question)),
                neutralise(label),
                "Anteil" if share else "Mittelwert",
                row["n"],
                value(row["unweighted"]),
                value(row["weighted"]),
            ]
        )
    return out.getvalue()


def echo_weighting(survey: Survey, out_dir: Path) -> None:
    """Print the weighting of every target group with margins and write its figures."""
    weighting = survey_weighting(survey)
    if not weighting:
        click.echo("Keine Gewichtung: Für diese Umfrage sind keine Randverteilungen hinterlegt.")
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    for entry in weighting:
        label = translate_label(entry.group.label)
        error, raking = entry.report.error, entry.report.raking
        if raking is None:
            message = translate_error(error.message, error.params) if error else ""
            click.echo(f"Gewichtung {label}: nicht möglich – {message}")
            continue
        click.echo(
            f"Gewichtung {label}: {raking.n} Befragte, Designeffekt {decimal(raking.deff, 2)}, "
            f"effektive Fallzahl {decimal(raking.effective_n, 0)}, Gewichte "
            f"{decimal(raking.min_weight, 2)} bis {decimal(raking.max_weight, 2)}, "
            f"{raking.iterations} Durchläufe, {raking.trim_rounds} Trimmungsrunden."
        )
        path = out_dir / f"gewichtet_{entry.group.key}.csv"
        path.write_text(_figures_csv(entry, survey), encoding="utf-8", newline="")
        click.echo(f"Gewichtete Zahlen in {path}.")
