"""Data of the moderators' dashboard: filters from the query string, a cached analysis per
survey and filter, chart images, and number formatting for the templates.

The statistics come from :func:`analysis.report.run_full_analysis` (every table has passed
:mod:`analysis.privacy`); this module only selects rows and renders figures. Results are kept
in a small in-process LRU cache per Flask app, keyed by survey, filters and the data version of
the survey and its baseline (:func:`surveys.queries.data_version`), so a new response or a purge
in any process makes the next request compute afresh. The cache belongs to the app (not to the
module) because ids only mean something within one database.
"""

from __future__ import annotations

import base64
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd
from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import select

from analysis.frames import FIELD, GROUP, NONE, QUESTION, TEXT, Filters
from analysis.labels import option_labels
from analysis.polarity import is_reversed, reversed_items
from analysis.privacy import Policy
from analysis.questions import item_text
from analysis.report import AnalysisResult, run_full_analysis
from app.extensions import db
from app.suppression import configured_policy
from surveys.models import Question, Response, Section, Survey, TargetGroup
from surveys.publication import comment_reference
from surveys.queries import data_version
from surveys.workshop.inputs import VisibleComment

CHANNELS = ("online", "paper")
CACHE_SIZE = 32
#: How many of the newest surveys with responses the workshop start pages warm up.
WARM_UP_SURVEYS = 3
#: Keyword categories for coding comments into themes (stems match compounds too).
THEMES: dict[str, list[str]] = {
    "Kinderbetreuung": ["kita", "krippe", "hort", "betreuung", "tagespflege", "ganztag"],
    "Schule und Bildung": ["schule", "lehrer", "unterricht", "bildung", "ausbildung"],
    "Öffnungszeiten": ["öffnungszeit", "randzeit", "ferien", "abends", "samstag"],
    "Information und Beratung": ["information", "beratung", "portal", "broschüre", "termin"],
    "Wohnen und Kosten": ["wohnung", "miete", "wohnraum", "kosten", "teuer", "gebühr"],
    "Mobilität und Verkehr": ["bus", "radweg", "verkehr", "parkplatz", "barrierefrei"],
    "Spiel, Freizeit und Begegnung": ["spielplatz", "jugend", "treff", "sport", "freizeit"],
    "Pflege und Älterwerden": ["pflege", "senior", "rente", "einsam", "nachbarschaft"],
}

T = TypeVar("T")


class _LRU:
    """A tiny thread-safe LRU cache (one per process; gunicorn workers each have their own).

    A value is made once: a second thread asking for a key that is being made waits for it
    (the background warm-up and a moderator's first click often ask at the same time).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._making: dict[Any, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any | None:
        with self._lock:
            return self._data.get(key)

    def get_or_make(self, key: Any, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]  # type: ignore[no-any-return]
            making = self._making.setdefault(key, threading.Lock())
        with making:
            with self._lock:
                if key in self._data:
                    return self._data[key]  # type: ignore[no-any-return]
            try:
                value = make()
            finally:
                with self._lock:
                    self._making.pop(key, None)
            with self._lock:
                self._data[key] = value
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


@dataclass
class _Caches:
    """The cached analyses and figures of one app."""

    results: _LRU = field(default_factory=lambda: _LRU(CACHE_SIZE))
    images: _LRU = field(default_factory=lambda: _LRU(CACHE_SIZE * 16))


def _caches(app: Flask | None = None) -> _Caches:
    extensions = (app or current_app).extensions
    caches = extensions.get("dashboard_cache")
    if caches is None:
        caches = extensions.setdefault("dashboard_cache", _Caches())  # atomic under the GIL
    return caches  # type: ignore[no-any-return]


def clear_cache(app: Flask | None = None) -> None:
    """Forget every cached analysis and figure of ``app`` (default: the current app)."""
    caches = _caches(app)
    caches.results.clear()
    caches.images.clear()


@dataclass(frozen=True)
class BreakdownChoice:
    """A breakdown question ("Auswertungsmerkmal", e.g. Stadtteil) and its answers."""

    key: str
    text: str
    #: (option code, label) in questionnaire order.
    options: list[tuple[str, str]]

    def value(self, code: str) -> str:
        """The filter form's value of one answer: ``question=option``."""
        return f"{self.key}={code}"


@dataclass(frozen=True)
class FilterChoices:
    """What the filter form offers: target groups (key, label), languages, breakdowns."""

    groups: list[tuple[str, str]]
    languages: list[str]
    breakdowns: list[BreakdownChoice] = field(default_factory=list)

    def breakdown(self, key: str) -> BreakdownChoice | None:
        """The breakdown question with this key, or ``None``."""
        return next((b for b in self.breakdowns if b.key == key), None)


def breakdown_choices(survey: Survey) -> list[BreakdownChoice]:
    """The survey's breakdown questions in questionnaire order, with their answers."""
    questions = db.session.scalars(
        select(Question)
        .join(Section, Question.section_id == Section.id)
        .where(Question.survey_id == survey.id, Question.breakdown.is_(True))
        .order_by(Section.position, Question.position)
    ).all()
    return [
        BreakdownChoice(
            q.key, q.text, [(o.code, o.label) for o in sorted(q.options, key=lambda o: o.position)]
        )
        for q in questions
    ]


def filter_choices(survey: Survey) -> FilterChoices:
    """Return the target groups of ``survey``, the languages its responses use and its
    breakdown questions."""
    groups = [(g.key, g.label) for g in sorted(survey.target_groups, key=lambda g: g.position)]
    languages = db.session.scalars(
        select(Response.language).where(Response.survey_id == survey.id).distinct()
    ).all()
    return FilterChoices(
        groups, sorted(str(lang) for lang in languages if lang), breakdown_choices(survey)
    )


def _parse_breakdown(raw: str | None, choices: FilterChoices) -> tuple[str, str] | None:
    """``question=option`` of a known breakdown answer, else ``None`` (= no breakdown)."""
    key, _sep, code = (raw or "").partition("=")
    question = choices.breakdown(key)
    if question is None or code not in {c for c, _ in question.options}:
        return None
    return key, code


def parse_filters(args: Mapping[str, str], choices: FilterChoices) -> Filters:
    """Return the filters of the query string; unknown values are ignored (= all)."""
    group = args.get("gruppe") or None
    channel = args.get("weg") or None
    language = args.get("sprache") or None
    return Filters(
        group=group if group in {k for k, _ in choices.groups} else None,
        channel=channel if channel in CHANNELS else None,
        language=language if language in choices.languages else None,
        breakdown=_parse_breakdown(args.get("merkmal"), choices),
    )


#: Query-string names of the filters (German, as the URLs moderators share).
FILTER_ARGS = {"group": "gruppe", "channel": "weg", "language": "sprache", "breakdown": "merkmal"}


def filter_args(filters: Filters) -> dict[str, str]:
    """Return the query-string arguments of ``filters`` (for links that keep them)."""
    return {FILTER_ARGS[k]: v for k, v in filters.describe().items()}


def option_label(result: AnalysisResult, question: str, option: str) -> str:
    """The label of one answer option of ``question`` (its code when unknown)."""
    return option_labels(result.meta).get((question, option), option)


def breakdown_text(result: AnalysisResult) -> str:
    """The active breakdown as "question: answer" ("" without one), for captions."""
    if result.filters.breakdown is None:
        return ""
    key, code = result.filters.breakdown
    return f"{item_label(result, key)} {option_label(result, key, code)}"


def policy() -> Policy:
    """The suppression policy of the app (``MIN_CELL``/``MIN_TEXT_GROUP``)."""
    return configured_policy()


def _analysis_key(survey: Survey, filters: Filters, rules: Policy) -> tuple[Any, ...]:
    return (
        survey.id,
        filters,
        data_version(db.session, survey.id),
        data_version(db.session, survey.baseline_id),
        rules,
    )


def analysis_for(survey: Survey, filters: Filters) -> AnalysisResult:
    """Return the (cached) full analysis of ``survey`` under ``filters``."""
    rules = policy()
    guards = None
    if filters.describe():
        # The guard depends on all responses, not on the filters: take the unfiltered one.
        everyone = analysis_for(survey, Filters())
        guards = (everyone.guard, everyone.baseline_guard) if everyone.guard else None
    return _caches().results.get_or_make(
        _analysis_key(survey, filters, rules),
        lambda: run_full_analysis(
            db.engine, survey.id, filters, policy=rules, categories=THEMES, guards=guards
        ),
    )


def visible_comments(survey: Survey) -> dict[str, VisibleComment]:
    """The comments a moderator can read on the dashboard, by reference.

    Taken from the unfiltered analysis: a comment shown under any filter is shown there too,
    because a filter only makes its text cells smaller.
    """
    table = analysis_for(survey, Filters()).comments
    if table.empty:
        return {}
    return {
        comment_reference(q, g, t): VisibleComment(q, g, t)
        for q, g, t in zip(
            table[QUESTION].astype(str), table[GROUP].astype(str), table[TEXT], strict=True
        )
    }


def newest_with_responses(limit: int = WARM_UP_SURVEYS) -> list[int]:
    """Ids of the newest surveys that have responses (the ones worth warming up)."""
    having = select(Response.survey_id).distinct()
    return list(
        db.session.scalars(
            select(Survey.id).where(Survey.id.in_(having)).order_by(Survey.id.desc()).limit(limit)
        )
    )


def warm_up(survey_ids: list[int]) -> threading.Thread | None:
    """Compute the unfiltered analyses of these surveys in a background thread.

    Called by the workshop's start pages, so that the first dashboard a moderator opens is
    ready (a cold analysis of 3,000 responses takes a few seconds). Surveys whose analysis is
    cached are skipped; returns the thread, or ``None`` when there is nothing to do or
    ``DASHBOARD_WARM_UP`` is off.
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config["DASHBOARD_WARM_UP"] or not survey_ids:
        return None
    rules = policy()
    cold = [
        sid
        for sid in survey_ids
        if (survey := db.session.get(Survey, sid)) is not None
        and _caches(app).results.get(_analysis_key(survey, Filters(), rules)) is None
    ]
    if not cold:
        return None

    def work() -> None:
        with app.app_context():
            try:
                for sid in cold:
                    survey = db.session.get(Survey, sid)
                    if survey is not None:
                        analysis_for(survey, Filters())
            except Exception:  # a warm-up is an optimisation: never let it take a worker down
                app.logger.exception("Dashboard warm-up failed")

    thread = threading.Thread(target=work, name="dashboard-warm-up", daemon=True)
    thread.start()
    return thread


def image_png(key: tuple[Any, ...], make: Callable[[], bytes]) -> bytes:
    """Return the PNG bytes of a figure, rendered by ``make`` once per app and ``key``."""
    return _caches().images.get_or_make(key, make)


def image(key: tuple[Any, ...], make: Callable[[], bytes]) -> str:
    """Return a ``data:`` URI of a cached PNG figure (CSP allows ``img-src data:``)."""
    return "data:image/png;base64," + base64.b64encode(image_png(key, make)).decode("ascii")


def group_label(result: AnalysisResult, group: str) -> str:
    """German label of a target group key (``total`` = all respondents)."""
    if group == "total":
        return "Alle Befragten"
    groups = result.meta.groups
    return str(groups.at[group, "label"]) if group in groups.index else group


def groups_shown(result: AnalysisResult) -> list[str]:
    """Group keys in survey order, then ``total``; only the chosen group when filtered."""
    if result.filters.group:
        return [result.filters.group]
    return [str(g) for g in result.meta.groups.index] + ["total"]


def target_groups(survey: Survey) -> list[TargetGroup]:
    """The survey's target groups in order."""
    return sorted(survey.target_groups, key=lambda g: g.position)


def is_missing(value: Any) -> bool:
    """Whether ``value`` is NA/NaN/None (a suppressed or absent number)."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


def number(value: Any, digits: int = 0, sign: bool = False) -> str:
    """German number (decimal comma, thin grouping); empty string when missing."""
    if is_missing(value):
        return ""
    text = f"{float(value):+,.{digits}f}" if sign else f"{float(value):,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",").replace("-", "−")


def percent(value: Any) -> str:
    """A share 0..1 as a German percentage without decimals."""
    return "" if is_missing(value) else number(float(value) * 100) + "\u202f%"


#: Index points per colour step of the heatmap, and the steps on each side of 50.
HEAT_STEP = 2.5
HEAT_STEPS = 8


def heat_class(value: Any) -> str:
    """CSS class of an index 0..100: one of 17 steps of 2.5 points, diverging at 50 (the
    scale midpoint), saturating below 30 and above 70 (``heat-m8`` .. ``heat-0`` ..
    ``heat-p8``). A near-continuous scale: neighbouring values look alike, 49 and 61 do not."""
    if is_missing(value):
        return "heat-none"
    shown = round(float(value))  # the class matches the number the cell displays
    step = max(-HEAT_STEPS, min(HEAT_STEPS, round((shown - 50) / HEAT_STEP)))
    if step == 0:
        return "heat-0"
    return f"heat-{'m' if step < 0 else 'p'}{abs(step)}"


def rows(table: pd.DataFrame, **equal: Any) -> list[dict[str, Any]]:
    """Rows of ``table`` whose columns equal the given values, as dicts."""
    if table.empty:
        return []
    mask = pd.Series(True, index=table.index)
    for column, value in equal.items():
        if column not in table.columns:
            return []
        mask &= table[column].astype(str) == str(value)
    return [{str(k): v for k, v in r.items()} for r in table[mask].to_dict("records")]


def item_label(result: AnalysisResult, question: str, item: str = NONE) -> str:
    """Wording of an item for the pages, with "(umgepolt)" for a negatively worded one."""
    text = item_text(result.meta, question, item, marked=False)
    if is_reversed(result.meta, question, item):
        mark = _("(umgepolt)")
        return f"{text} {mark}"
    return text


def _quoted(texts: list[str]) -> str:
    return "; ".join(f"„{t}“" for t in texts)


def reversed_note(result: AnalysisResult, field: str | None = None) -> str:
    """Footnote naming the reversed items (of one field, or all); "" when there are none."""
    questions = result.meta.questions
    texts = [
        text
        for question, _item, text in reversed_items(result.meta)
        if field is None or str(questions.at[question, FIELD]) == field
    ]
    if not texts:
        return ""
    return str(
        _(
            "Umgepolte Items: %(items)s – Zustimmung ist hier ungünstig, deshalb zählen Index, "
            "Werte und Vergleiche ihre Stufen umgekehrt (höchste Stufe = 0). Die Verteilungen "
            "zeigen die Antworten, wie sie gegeben wurden.",
            items=_quoted(texts),
        )
    )


def left_out_note(result: AnalysisResult, field: str | None = None) -> str:
    """Footnote naming the index items that only one survey has (left out of the change)."""
    table = result.baseline_left_out
    if table.empty:
        return ""
    if field is not None:
        table = table[table[FIELD].astype(str) == field]
    new = [str(t) for t in table.loc[table["side"] == "only_now", "text"]]
    gone = [str(t) for t in table.loc[table["side"] == "only_then", "text"]]
    if not new and not gone:
        return ""
    parts = []
    if new:
        parts.append(_("nur in der aktuellen Befragung: %(items)s", items=_quoted(new)))
    if gone:
        parts.append(_("nur in der Basisbefragung: %(items)s", items=_quoted(gone)))
    return str(
        _(
            "Die Veränderung vergleicht nur Aussagen, die beide Befragungen enthalten. Nicht im "
            "Vergleich – %(parts)s.",
            parts="; ".join(parts),
        )
    )
