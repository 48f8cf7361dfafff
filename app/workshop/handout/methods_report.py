"""The methods report ("Methodenbericht"): how a survey was carried out, as a citable PDF.

Gross and net sample per mailing with response rates, modes and languages, item
non-response, the disclosure rules and their threshold, the items compared with the
baseline survey and those left out, the field dates, and how codes and addresses were
handled. It is its own download and the appendix of the Workshop-Mappe.

Every number about respondents passes the disclosure control: the analysis tables come
from the cached :class:`~analysis.report.AnalysisResult` (unfiltered), the response rates
from :func:`surveys.response_rates.shown_rates`, item non-response from
:func:`analysis.nonresponse.item_nonresponse` under the result's policy.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _

from analysis.frames import (
    FIELD,
    GROUP,
    ITEM,
    LANGUAGE,
    NONE,
    QUESTION,
    TOTAL,
    Filters,
)
from analysis.questions import field_title
from analysis.report import AnalysisResult
from app.common.weighting import configured_bounds, weighting_summary
from app.config import PROJECT_ROOT
from app.extensions import db
from app.i18n import german_date
from app.rate_tables import protected_rates, rate_text
from app.workshop.dashboard.charts import short
from app.workshop.dashboard.data import (
    analysis_for,
    group_label,
    is_missing,
    item_label,
    number,
    percent,
)
from app.workshop.handout.pdf import PRINT_CSS
from surveys.access_codes import code_counts
from surveys.models import AccessMode, Survey

METHODS_CSS = PROJECT_ROOT / "app" / "static" / "workshop" / "methods.css"


def _modes(result: AnalysisResult) -> list[dict[str, Any]]:
    """Responses per target group and channel, with the share answered online and on paper."""
    rows = []
    for r in result.responses.to_dict("records"):
        n = r.get("n")
        rows.append(
            {
                "group": group_label(result, str(r[GROUP])),
                "total": str(r[GROUP]) == TOTAL,
                "online": r.get("online"),
                "paper": r.get("paper"),
                "n": n,
                "online_share": _share(r.get("online"), n),
                "paper_share": _share(r.get("paper"), n),
            }
        )
    return rows


def _share(part: Any, whole: Any) -> float | None:
    if is_missing(part) or is_missing(whole) or not float(whole):
        return None
    return float(part) / float(whole)


def _languages(result: AnalysisResult) -> list[dict[str, Any]]:
    table = result.languages
    if table.empty:
        return []
    return [
        {"code": str(r[LANGUAGE]), "n": r["n"], "share": r["share"]}
        for r in table.to_dict("records")
    ]


def _nonresponse(survey: Survey, result: AnalysisResult) -> list[dict[str, Any]]:
    """Item non-response of the whole survey: per Handlungsfeld its questions, each with its
    own figures or (matrix) one row per item."""
    table = result.nonresponse
    fields: list[dict[str, Any]] = []
    for r in table.to_dict("records"):
        field, question, item = str(r[FIELD]), str(r[QUESTION]), str(r[ITEM])
        if not fields or fields[-1]["key"] != field:
            title = field_title(result.meta, field) if field != NONE else _("Allgemeine Fragen")
            fields.append({"key": field, "title": title, "questions": []})
        questions = fields[-1]["questions"]
        if not questions or questions[-1]["key"] != question:
            text = str(result.meta.questions.at[question, "text"])
            questions.append({"key": question, "text": short(text, 110), "rows": []})
        questions[-1]["rows"].append(
            {
                "item": item != NONE,
                "text": short(item_label(result, question, item), 95),
                "shown": r["shown"],
                "answered": r["answered_share"],
                "dont_know": r["dont_know_share"],
                "skipped": r["skipped_share"],
            }
        )
    return fields


def _baseline(result: AnalysisResult) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The items compared with the baseline survey (per Handlungsfeld, each once), and those
    only one survey has."""
    compared: list[dict[str, Any]] = []
    table = result.baseline_items
    if not table.empty:
        pairs = table[[FIELD, QUESTION, ITEM]].astype(str).drop_duplicates()
        for field, question, item in pairs.itertuples(index=False):
            title = field_title(result.meta, field)
            if not compared or compared[-1]["title"] != title:
                compared.append({"title": title, "texts": []})
            text = short(item_label(result, question, item), 120)
            if text not in compared[-1]["texts"]:
                compared[-1]["texts"].append(text)
    left: list[dict[str, str]] = []
    if not result.baseline_left_out.empty:
        sides = {
            "only_now": _("nur in der aktuellen Befragung"),
            "only_then": _("nur in der Basisbefragung"),
        }
        left = [
            {
                "field": field_title(result.meta, str(r[FIELD])),
                "text": short(str(r["text"]), 110),
                "side": sides.get(str(r["side"]), str(r["side"])),
            }
            for r in result.baseline_left_out.to_dict("records")
        ]
    return compared, left


def methods_context(survey: Survey, result: AnalysisResult) -> dict[str, Any]:
    """Everything the methods report shows."""
    policy = result.policy
    rates = protected_rates(survey, policy.min_cell, total_known=result.n_responses is not None)
    compared, left_out = _baseline(result)
    generated, _used = code_counts(db.session, survey)
    today = date.today()
    return {
        "survey": survey,
        "result": result,
        "today": today,
        "municipality": current_app.config.get("MUNICIPALITY", ""),
        "site_name": current_app.config.get("SITE_NAME", ""),
        "code_mode": survey.access_mode == AccessMode.CODE,
        "codes_generated": generated,
        "rates": rates,
        "modes": _modes(result) if not result.too_few else [],
        "languages": _languages(result) if not result.too_few else [],
        "nonresponse": _nonresponse(survey, result) if not result.too_few else [],
        "compared": compared,
        "compared_count": sum(len(f["texts"]) for f in compared),
        "left_out": left_out,
        "min_cell": policy.min_cell,
        "min_text": policy.min_text,
        "fmt": number,
        "pct": percent,
        "missing": is_missing,
        "rate_text": rate_text,
        "label": lambda text: group_label(result, text),
        "weighting": weighting_summary(survey),
        "weight_bounds": configured_bounds(),
    }


def _page_css(survey: Survey, today: date, *, appendix: bool) -> str:
    """Page numbers and the short citation on every page (bottom left)."""

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "").replace('"', "'") + '"'

    label = str(_("Seite {page} von {pages}"))
    if appendix:
        label = str(_("Anhang")) + " · " + label
    pages = quoted(label).replace("{page}", '" counter(page) "')
    pages = pages.replace("{pages}", '" counter(pages) "')
    cite = quoted(
        str(
            _(
                "Methodenbericht: %(title)s, Stand %(date)s",
                title=survey.title,
                date=german_date(today),
            )
        )
    )
    return (
        "@page { @bottom-right { content: " + pages + "; } "
        "@bottom-left { content: " + cite + "; font-size: 7.5pt; } }"
    )


def render_document(survey: Survey, result: AnalysisResult, *, appendix: bool = False) -> Any:
    """Lay out the methods report (a WeasyPrint document; ``appendix``: Mappe's appendix)."""
    from weasyprint import CSS, HTML

    context = methods_context(survey, result)
    html = render_template("workshop/pdf/methods.html", appendix=appendix, **context)
    sheets = [
        CSS(filename=str(PRINT_CSS)),
        CSS(filename=str(METHODS_CSS)),
        CSS(string=_page_css(survey, context["today"], appendix=appendix)),
    ]
    return HTML(string=html, base_url=str(PROJECT_ROOT)).render(stylesheets=sheets)


def methods_report_pdf(survey: Survey, result: AnalysisResult) -> bytes:
    """The methods report as PDF bytes."""
    return bytes(render_document(survey, result).write_pdf() or b"")


#: The named page of the appendix in the Mappe (its own footer: citation, "Anhang · Seite").
APPENDIX_PAGE = "appendix"


def appendix_parts(survey: Survey) -> tuple[str, list[str]]:
    """The methods report as the Mappe's appendix: its body (HTML, on pages named
    :data:`APPENDIX_PAGE`) and its style sheets, so that the Mappe is laid out in one pass.

    The appendix describes the whole survey, whatever filters the Mappe has.
    """
    result = analysis_for(survey, Filters())
    context = methods_context(survey, result)
    html = render_template("workshop/pdf/methods.html", appendix=True, **context)
    body = html.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    page = _page_css(survey, context["today"], appendix=True).replace(
        "@page {", "@page " + APPENDIX_PAGE + " {", 1
    )
    return body, [METHODS_CSS.read_text(encoding="utf-8"), page]


__all__ = ["appendix_parts", "methods_context", "methods_report_pdf", "render_document"]
