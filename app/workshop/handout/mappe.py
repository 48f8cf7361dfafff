"""The Workshop-Mappe: a printable PDF (title page, summary, one chapter per Handlungsfeld)
and an XLSX with every table of the analysis.

Both are built from the cached :class:`~analysis.report.AnalysisResult` (every number has
passed :mod:`analysis.privacy`); the PDF is rendered by WeasyPrint through
:func:`app.workshop.handout.pdf.render_pdf`, the XLSX by openpyxl with German headers and cells that
a spreadsheet cannot run as formulas.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pandas as pd
from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import select

from analysis.export import export_tables, safe, workbook_sheets
from analysis.frames import FIELD, GROUP, ITEM, LANGUAGE
from analysis.questions import field_title
from analysis.report import AnalysisResult
from analysis.workbook import write_workbook
from app.common.labels import STATUS_LABELS
from app.config import PROJECT_ROOT
from app.extensions import db
from app.jobs.queue import Progress
from app.workshop.dashboard.charts import short
from app.workshop.dashboard.data import (
    breakdown_text,
    group_label,
    groups_shown,
    heat_class,
    item_label,
    left_out_note,
    reversed_note,
)
from app.workshop.dashboard.field import FieldView, comments_of, field_view
from app.workshop.dashboard.tables import breakdown_rows, language_rows, overview_rows
from app.workshop.handout.pdf import PRINT_CSS, page_number_css
from surveys.models import Handlungsfeld, Survey
from surveys.response_rates import ShownRates
from surveys.workshop.previous import PreviousMeasure, previous_measures

SELECTED_COMMENTS = 8
HANDOUT_CSS = PROJECT_ROOT / "app" / "static" / "workshop" / "handout.css"


def selected_comments(
    result: AnalysisResult, key: str, count: int = SELECTED_COMMENTS
) -> list[dict[str, str]]:
    """A deterministic spread of comments of one field (comments are sorted by text, so
    evenly spaced picks cover the alphabet rather than one theme; duplicates are skipped).

    Each comment is ``{"text", "language"}``: free text stays as written and the Mappe marks
    the language it was written in.
    """
    table = comments_of(result, key, None, "")
    seen: dict[str, str] = {}
    if len(table):
        languages = table[LANGUAGE] if LANGUAGE in table.columns else ["de"] * len(table)
        for text, language in zip(table["text"], languages, strict=True):
            tag = str(language) if isinstance(language, str) else "de"
            if not seen.get(
                str(text)
            ):  # a cell that may name the language wins over one that may not
                seen[str(text)] = tag
    picked = list(seen.items())
    if len(picked) > count:
        step = len(picked) / count
        picked = [picked[int(i * step)] for i in range(count)]
    return [{"text": text, "language": language} for text, language in picked]


def discussion_questions(view: FieldView, result: AnalysisResult) -> list[str]:
    """Questions for the workshop table, drawn from the field's findings."""
    questions: list[str] = []
    total = next((s for s in view.strengths if s["label"] == group_label(result, "total")), None)
    if total and total["weakness"]:
        weakest = total["weakness"][0]["item"]
        questions.append(
            f"Was müsste geschehen, damit „{short(weakest, 90)}“ besser bewertet wird?"
        )
    if total and total["strength"] and total["strength"][0]["midpoint"] == "above":
        questions.append(
            f"Wie lässt sich die Stärke „{short(total['strength'][0]['item'], 90)}“ sichern "
            "und auf andere Angebote übertragen?"
        )
    falling = [b for b in view.baseline if b["significant"] and b["change"].startswith("−")]
    if falling:
        questions.append(
            f"„{short(falling[0]['item'], 90)}“ wird schlechter bewertet als bei der "
            "Basisbefragung: Woran liegt das?"
        )
    if view.differences:
        d = view.differences[0]
        questions.append(
            f"{d['a']} und {d['b']} bewerten „{short(d['item'], 80)}“ unterschiedlich: "
            "Brauchen die Gruppen verschiedene Maßnahmen?"
        )
    if view.rankings and view.rankings[0]["groups"]:
        first = view.rankings[0]["groups"][-1]["options"][:1]
        if first:
            questions.append(
                f"Die Befragten wünschen sich zuerst „{first[0]['label']}“: Welches Ziel für die "
                "nächsten drei Jahre leiten wir daraus ab?"
            )
    questions.append("Welche Maßnahmen der letzten Periode führen wir fort, welche beenden wir?")
    return questions


def _previous(survey: Survey, key: str) -> list[PreviousMeasure]:
    field = db.session.scalar(select(Handlungsfeld).where(Handlungsfeld.key == key))
    return previous_measures(db.session, survey, field) if field is not None else []


def _focus(result: AnalysisResult, group: str, top: int = 8) -> list[dict[str, Any]]:
    """Items in the "focus" quadrant across fields, largest gap first."""
    table = result.importance_performance
    if table.empty:
        return []
    part = table[(table[GROUP].astype(str) == group) & (table["quadrant"] == "focus")]
    return [
        {
            "item": item_label(result, str(r["question_satisfaction"]), str(r[ITEM])),
            "field": field_title(result.meta, str(r[FIELD])),
            "importance": r["importance"],
            "satisfaction": r["satisfaction"],
            "gap": r["gap"],
        }
        for r in part.nlargest(top, "gap").to_dict("records")
    ]


def handout_context(survey: Survey, result: AnalysisResult) -> dict[str, Any]:
    """Everything the Mappe template shows."""
    main = result.filters.group or "total"
    chapters = []
    if not result.too_few:
        for key in result.meta.fields.index:
            view = field_view(result, str(key), figure_groups={main})
            chapters.append(
                {
                    "view": view,
                    "comments": selected_comments(result, str(key)),
                    "previous": _previous(survey, str(key)),
                    "questions": discussion_questions(view, result),
                }
            )
    return {
        "survey": survey,
        "result": result,
        "today": date.today(),
        "municipality": current_app.config.get("MUNICIPALITY", ""),
        "groups": groups_shown(result),
        "fields": overview_rows(result) if not result.too_few else [],
        "responses": result.responses.to_dict("records"),
        "languages": language_rows(result) if not result.too_few else [],
        "breakdowns": breakdown_rows(result) if not result.too_few else [],
        "field_titles": [
            (str(k), m["number"], m["title"]) for k, m in result.meta.fields.iterrows()
        ],
        "focus": _focus(result, main),
        "main_group": main,
        "chapters": chapters,
        "heat": heat_class,
        "group_label": lambda g: group_label(result, g),
        "min_cell": result.policy.min_cell,
        "filters_text": ", ".join(_filter_texts(result)),
        "notes": [n for n in (reversed_note(result), left_out_note(result)) if n],
    }


def _filter_texts(result: AnalysisResult) -> list[str]:
    f = result.filters
    out = []
    if f.group:
        out.append(f"Zielgruppe: {group_label(result, f.group)}")
    if f.channel:
        out.append("Erhebungsweg: " + ("Papier" if f.channel == "paper" else "Online"))
    if f.language:
        out.append(f"Sprache: {f.language}")
    if f.breakdown:
        out.append(breakdown_text(result))
    return out


def _figures(context: dict[str, Any]) -> list[Any]:
    """Every chart the Mappe shows (the chapters' Likert bars and importance–performance)."""
    figures = []
    for chapter in context["chapters"]:
        view = chapter["view"]
        figures += [f for q in view.likert for f in q["figures"] if f.shown]
        figures += [f for f in view.ipa if f.shown]
    return figures


def handout_pdf(
    survey: Survey,
    result: AnalysisResult,
    extra: dict[str, Any],
    progress: Progress | None = None,
) -> bytes:
    """Render the Workshop-Mappe as PDF bytes (``extra``: template helpers).

    One WeasyPrint pass lays out the Mappe and its appendix, the methods report (on pages of
    their own name and footer), so the table of contents can give the page of every part.
    ``progress`` hears the percentage done: the charts (drawn first, each once per data
    version and filters: the dashboard's figure cache) count up to 60, the layout to 100.
    """
    from weasyprint import CSS, HTML

    from app.workshop.handout.methods_report import appendix_parts  # the methods report as appendix

    report = progress or (lambda _percent: None)
    context = handout_context(survey, result)
    figures = _figures(context)
    report(10)
    for done, figure in enumerate(figures, start=1):
        figure.png()
        report(10 + 50 * done // len(figures))
    appendix, appendix_css = appendix_parts(survey)
    report(65)
    html = render_template(
        "workshop/dashboard/handout.html",
        **context,
        appendix=Markup(appendix),  # noqa: S704 - a rendered, autoescaped template
        **extra,
    )
    document = HTML(string=html, base_url=str(PROJECT_ROOT))
    sheets = [CSS(filename=str(PRINT_CSS)), CSS(filename=str(HANDOUT_CSS))]
    sheets += [CSS(string=css) for css in (page_number_css(), *appendix_css)]
    report(70)
    pages = document.render(stylesheets=sheets)
    report(90)
    return bytes(pages.write_pdf() or b"")


def rates_table(rates: ShownRates) -> pd.DataFrame:
    """Response rates per mailing as the moderators may see them (hidden counts empty)."""
    rows = [*rates.batches, *([rates.other] if rates.other else []), rates.total]
    return pd.DataFrame(
        [
            {
                "Versand (Schicht)": r.stratum,
                "Zielgruppe": r.target_group or "",
                "Briefe verschickt": r.letters_sent,
                "Antworten": r.responses,
                "Rücklaufquote in %": r.rate,
            }
            for r in rows
        ]
    )


def handout_xlsx(
    result: AnalysisResult, previous: list[PreviousMeasure], rates: ShownRates | None = None
) -> bytes:
    """Every non-empty table of the analysis as one sheet each (German headers), plus the
    previous period's measures; text cells are neutralised against formula injection."""
    tables, descriptions = workbook_sheets(export_tables(result))
    if previous:
        tables["Maßnahmen Vorperiode"] = safe(
            pd.DataFrame(
                [
                    {
                        "Nr.": m.code,
                        "Ziel": m.goal,
                        "Maßnahme": m.title,
                        "Verantwortlich": m.responsible_unit,
                        "Status": str(STATUS_LABELS[m.status]),
                        "Letzte Meldung": m.last_update,  # a date cell
                        "Notiz": m.last_note,
                        "Indikator": m.indicator,
                        "Zielwert": m.target_value,
                        "Letzter Wert": m.last_value,
                    }
                    for m in previous
                ]
            )
        )
        descriptions["Maßnahmen Vorperiode"] = (
            "Maßnahmen der letzten Zielvereinbarung mit ihrem letzten gemeldeten Stand."
        )
    if rates is not None:
        tables["Rücklauf je Versand"] = safe(rates_table(rates))
        descriptions["Rücklauf je Versand"] = (
            "Je Versand (Zielgruppe und Schicht) verschickte Briefe und Antworten, online und auf "
            "Papier; Rücklaufquote = Antworten je Brief. Leere Zellen: zum Schutz der Befragten "
            "nicht gezeigt."
        )
    if not tables:
        tables = {
            "Hinweis": pd.DataFrame({"Hinweis": ["Zu wenige Antworten für eine Auswertung."]})
        }
        descriptions = {"Hinweis": "Mit diesen Filtern gibt es keine Auswertung."}
    buffer = io.BytesIO()
    write_workbook(buffer, tables, descriptions)
    return buffer.getvalue()


def all_previous(survey: Survey) -> list[PreviousMeasure]:
    """The previous period's measures of every field."""
    return previous_measures(db.session, survey)
