"""Write an :class:`AnalysisResult` to a folder: tables as CSV or XLSX with German headers,
figures as PNG, and the moderator summary as text.

Text cells that a spreadsheet would run as a formula (``= + - @``, tab, CR) are prefixed
with an apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis import charts
from analysis.frames import GROUP, ITEM, NONE, QUESTION, TOTAL
from analysis.labels import VALUE_LABELS, labelled
from analysis.polarity import footnote, with_polarity
from analysis.questions import item_text, moderator_summary
from analysis.report import AnalysisResult, wordclouds
from analysis.workbook import write_workbook
from surveys.spreadsheet import GermanExcel, neutralise

Format = Literal["csv", "xlsx"]
SHEET_NAMES = {
    "responses": "Rücklauf",
    "number_parts": "Mehrfache Zahlen",
    "date_months": "Datum je Monat",
    "languages": "Sprachen",
    "languages_by_group": "Sprachen je Zielgruppe",
    "scale": "Skalen",
    "field_index": "Index Handlungsfelder",
    "breakdown_index": "Index je Merkmal",
    "breakdown_sizes": "Befragte je Merkmal",
    "nonresponse": "Fehlende Angaben",
    "choices": "Auswahlfragen",
    "numbers": "Zahlenfragen",
    "rankings": "Rangfolgen",
    "strengths": "Stärken Schwächen",
    "importance_performance": "Wichtigkeit Zufriedenheit",
    "group_differences": "Gruppenunterschiede",
    "choice_differences": "Unterschiede Auswahl",
    "baseline_items": "Vergleich Basis Aussagen",
    "baseline_index": "Vergleich Basis Index",
    "baseline_left_out": "Vergleich nicht enthalten",
    "words": "Wörter",
    "bigrams": "Wortpaare",
    "comments": "Kommentare",
    "other_texts": "Sonstiges",
    "keywords": "Kategorien",
    "notes": "Hinweise",
}
#: What each table measures, for the contents sheet of a workbook (by table name).
TABLE_DESCRIPTIONS = {
    "responses": "Antworten je Zielgruppe und Erhebungsweg (online, Papier).",
    "number_parts": (
        "Mehrfache Zahleneingaben und Zahlen-Matrizen: n, Mittelwert, Median und Summe je "
        "Angabe und Zielgruppe."
    ),
    "date_months": (
        "Datumsfragen: Anzahl und Anteil der Antworten je Monat und Zielgruppe; Monate mit "
        "weniger Personen als der Mindestgröße sind ausgeblendet (mit Gegenzellen)."
    ),
    "languages": "Antworten je Sprache des Fragebogens und ihr Anteil an allen Antworten.",
    "languages_by_group": "Antworten je Sprache und Zielgruppe.",
    "scale": "Je Skalenfrage, Aussage und Zielgruppe: Anzahl je Stufe und „weiß nicht“, "
    "gültige Antworten (n), Mittelwert und Median (Stufe 1 = niedrigste), "
    "Standardabweichung, 95-%-Konfidenzintervall, Top-2-Anteil, Wert 0–100.",
    "field_index": "Index 0–100 je Handlungsfeld und Zielgruppe: Mittelwert der "
    "Zufriedenheitsaussagen je Person, über alle Aussagen der aktuellen Befragung.",
    "breakdown_index": "Index 0–100 je Handlungsfeld für die Befragten jeder Antwort eines "
    "Auswertungsmerkmals (z. B. Stadtteil).",
    "breakdown_sizes": "Befragte je Antwort eines Auswertungsmerkmals.",
    "nonresponse": "Je Frage (Matrix: je Aussage): wie vielen sie gestellt wurde und wie viele "
    "davon antworteten, „weiß nicht“ wählten oder sie übersprangen.",
    "choices": "Auswahlfragen: Anzahl und Anteil der Befragten je Antwort und Zielgruppe.",
    "numbers": "Zahlenfragen: n, Mittelwert, Median und Standardabweichung je Zielgruppe.",
    "rankings": "Rangfragen: mittlerer Rang, Borda-Punkte je Befragte*r und Anteil Platz 1–3 "
    "je Option und Zielgruppe.",
    "strengths": "Je Handlungsfeld und Zielgruppe die am besten und am schlechtesten "
    "bewerteten Aussagen (relativ) und ihre Lage zur Skalenmitte 50 (95-%-KI).",
    "importance_performance": "Wichtigkeit und Zufriedenheit je Aussage, ihre Lücke und ihr "
    "Quadrant (Grenzen: Mittelwerte aller Paare).",
    "group_differences": "Unterschiede zwischen Zielgruppen je Aussage: Test, p-Wert "
    "(korrigiert für viele Vergleiche), Effektstärke.",
    "choice_differences": "Unterschiede zwischen Zielgruppen bei Auswahlfragen: "
    "Chi-Quadrat-Test, p-Wert (korrigiert), Effektstärke.",
    "baseline_items": "Veränderung je Aussage seit der Basisbefragung (gleiche Frage und Aussage).",
    "baseline_index": "Index je Handlungsfeld damals und heute über die gemeinsamen Aussagen; "
    "Veränderung mit 95-%-Konfidenzintervall und Cohens d.",
    "baseline_left_out": "Aussagen, die nur eine der beiden Befragungen enthält (nicht "
    "verglichen).",
    "words": "Häufigste Wörter der Kommentare je Handlungsfeld und Zielgruppe.",
    "bigrams": "Häufigste Wortpaare der Kommentare.",
    "comments": "Kommentare im Wortlaut, nur aus Gruppen mit genug Schreibenden.",
    "other_texts": "Freitexte zu „Sonstiges“.",
    "keywords": "Kommentare je Themenkategorie (Stichwortsuche).",
    "notes": "Hinweise: umgepolte Aussagen und was die Indextabellen messen.",
}
#: What the two index tables measure (they differ when the surveys' items differ).
INDEX_NOTE = (
    "„Index Handlungsfelder“: über alle Aussagen der aktuellen Befragung. „Vergleich Basis "
    "Index“: Basis und aktuell nur über die Aussagen, die beide Befragungen enthalten "
    "(gleicher Fragen- und Aussagenschlüssel); die übrigen stehen in „Vergleich nicht "
    "enthalten“. Veränderung mit 95-%-Konfidenzintervall (Welch) und Cohens d."
)


def notes_table(result: AnalysisResult) -> pd.DataFrame:
    """The sheet "Hinweise": which items are reversed and what the index tables measure."""
    notes = [footnote(result.meta)] if footnote(result.meta) else []
    if not result.baseline_index.empty:
        notes.append(INDEX_NOTE)
    return pd.DataFrame({"Hinweis": notes})


def export_tables(result: AnalysisResult) -> dict[str, pd.DataFrame]:
    """Every non-empty table by name, labelled in German, with the reversed items marked."""
    tables = {
        name: safe(labelled(with_polarity(t, result.meta), result.meta))
        for name, t in result.tables().items()
        if not t.empty
    }
    notes = notes_table(result)
    if len(notes):
        tables["notes"] = safe(notes)
    return tables


def safe(table: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot run as spreadsheet formulas."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(neutralise)
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    return out


def workbook_sheets(
    tables: dict[str, pd.DataFrame],
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Tables by sheet name (German, at most 31 characters) and what each sheet shows."""
    sheets = {SHEET_NAMES.get(name, name)[:31]: table for name, table in tables.items()}
    descriptions = {
        SHEET_NAMES.get(name, name)[:31]: TABLE_DESCRIPTIONS.get(name, "") for name in tables
    }
    return sheets, descriptions


def write_tables(result: AnalysisResult, out: Path, fmt: Format = "csv") -> list[Path]:
    """Write every non-empty table; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    tables = export_tables(result)
    if fmt == "xlsx":
        path = out / f"{result.meta.slug}.xlsx"
        write_workbook(path, *workbook_sheets(tables))
        return [path]
    paths = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        # The project's CSV dialect (surveys.spreadsheet.GermanExcel), decimal comma added.
        dialect = GermanExcel
        table.to_csv(
            path,
            sep=dialect.delimiter,
            lineterminator=dialect.lineterminator,
            quotechar=dialect.quotechar,
            quoting=dialect.quoting,
            decimal=",",
            index=False,
            encoding="utf-8-sig",
        )
        paths.append(path)
    return paths


def figures(result: AnalysisResult) -> Iterator[tuple[str, bytes]]:
    """Yield (file name, PNG bytes) of every figure: word clouds, Likert bars, IPA charts."""
    for (field, group, language), png in wordclouds(result).items():
        yield f"wortwolke_{field}_{group}_{language}.png", png
    scale = result.scale
    if not scale.empty:
        total = scale[(scale[GROUP] == TOTAL) & scale["n"].notna()]
        for question, part in total.groupby(QUESTION, sort=False):
            scale_labels = [str(x) for x in result.meta.questions.at[str(question), "scale"]]  # type: ignore[union-attr]
            labels = [item_text(result.meta, str(question), str(i)) for i in part[ITEM]]
            yield (
                f"likert_{question}.png",
                charts.likert_bars(
                    part,
                    [_short(t) for t in labels],
                    scale_labels,
                    title=_short(item_text(result.meta, str(question), NONE), 80),
                    min_cell=result.policy.min_cell,
                ),
            )
    ipa = result.importance_performance
    if not ipa.empty:
        for ipa_group, part in ipa.groupby(GROUP):
            items = dict(zip(result.meta.items[ITEM], result.meta.items["text"], strict=False))
            yield (
                f"wichtigkeit_zufriedenheit_{ipa_group}.png",
                charts.importance_performance_chart(
                    part, VALUE_LABELS, item_labels={k: _short(v, 30) for k, v in items.items()}
                ),
            )


def _short(text: str, width: int = 50) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def write_all(
    result: AnalysisResult,
    out: Path,
    fmt: Format = "csv",
    progress: Callable[[str], None] | None = None,
    *,
    with_figures: bool = True,
) -> list[Path]:
    """Write tables, figures (unless ``with_figures`` is false) and the moderator summaries
    of every group; return the files."""
    step = progress or (lambda _name: None)
    step("tables")
    paths = write_tables(result, out, fmt)
    images = out / "abbildungen"
    if with_figures:
        images.mkdir(parents=True, exist_ok=True)
    for name, data in figures(result) if with_figures else ():
        step(name)
        path = images / name
        path.write_bytes(data)
        paths.append(path)
    lines = []
    for group in result.meta.groups.index:
        lines += [*moderator_summary(result, str(group)).lines(result.meta), ""]
    summary = out / "zusammenfassung.txt"
    summary.write_text("\n".join(lines), encoding="utf-8")
    paths.append(summary)
    return paths
