"""Figures of the dashboard and the Workshop-Mappe: diverging Likert bars, importance–
performance scatter and word clouds, each with alt text and the rows of its accessible table.

Rendered by :mod:`analysis.charts` from suppressed tables, lazily: building a
:class:`Figure` only notes how to draw it. The dashboard pages link each figure to its own URL
(:func:`find_figure` looks it up again there); the Workshop-Mappe embeds ``data:`` URIs
(:attr:`Figure.src`). Both share the per-process cache of :mod:`app.workshop.dashboard.data`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from analysis import charts
from analysis.frames import FIELD, GROUP, ITEM, LANGUAGE, QUESTION
from analysis.labels import VALUE_LABELS
from analysis.report import AnalysisResult
from app.workshop.dashboard.data import (
    group_label,
    groups_shown,
    image,
    image_png,
    item_label,
    number,
    percent,
)
from surveys.translations import LANGUAGES

#: Kinds of figures in the figure URLs: what their ``subject`` is (question or field key).
KINDS = ("likert", "ipa", "woerter")


def short(text: str, width: int = 55) -> str:
    """Collapse whitespace and cut ``text`` to ``width`` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Figure:
    """A chart with its alt text and the rows of its accessible table.

    ``make`` draws the PNG (``None``: too few numbers for a chart, only the table is shown);
    ``kind``, ``subject`` and ``group`` name it in its URL; ``width``/``height`` are its size
    in pixels.
    """

    title: str
    alt: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    kind: str = ""
    subject: str = ""
    group: str = ""
    width: int = 0
    height: int = 0
    key: tuple[Any, ...] = ()
    make: Callable[[], bytes] | None = None
    #: The language of a word cloud's words (code; "de" also for Leichte Sprache).
    language: str = "de"

    @property
    def shown(self) -> bool:
        """Whether there is a chart (else only the table)."""
        return self.make is not None

    def png(self) -> bytes:
        """The PNG bytes (rendered once per process and cache key)."""
        if self.make is None:
            raise LookupError("figure without a chart")
        return image_png(self.key, self.make)

    @property
    def src(self) -> str:
        """A ``data:`` URI of the PNG (print documents), or ``""`` without a chart."""
        return image(self.key, self.make) if self.make is not None else ""

    @property
    def etag(self) -> str:
        """Entity tag of the PNG: a hash of its cache key (survey, filters, numbers)."""
        return hashlib.sha256(repr(self.key).encode()).hexdigest()[:32]


def _cache_key(result: AnalysisResult, *parts: Any) -> tuple[Any, ...]:
    """Key of a figure: survey, filters and a fingerprint of the numbers it is drawn from."""
    numbers = result.scale.select_dtypes("number")
    fingerprint = int(pd.util.hash_pandas_object(numbers, index=False).sum())
    words = len(result.words)
    return (result.meta.survey_id, result.filters, result.n_responses, fingerprint, words, *parts)


def likert_figures(result: AnalysisResult, key: str, only: set[str] | None) -> list[dict[str, Any]]:
    """Per scale question of field ``key``: one diverging bar chart per group (``only``)."""
    scale = result.scale
    if scale.empty:
        return []
    mine = scale[scale[FIELD].astype(str) == key]
    out = []
    for question, part in mine.groupby(QUESTION, sort=False, observed=True):
        q = str(question)
        labels = [str(x) for x in result.meta.questions.at[q, "scale"]]  # type: ignore[union-attr]
        q_text = item_label(result, q)
        figures = []
        for group in groups_shown(result):
            sub = part[(part[GROUP].astype(str) == group)]
            if sub.empty or (only is not None and group not in only):
                continue
            texts = [item_label(result, q, str(i)) for i in sub[ITEM]]
            table = [
                {
                    "item": text,
                    "n": r["n"],
                    "shares": [percent(r[f"share_{p}"]) for p in range(1, len(labels) + 1)],
                    "score": number(r["score"]),
                    "dont_know": percent(r["dont_know_share"]),
                }
                for text, r in zip(texts, sub.to_dict("records"), strict=True)
            ]
            shown = sub[sub["score"].notna()]
            if shown.empty:
                figures.append(Figure(group_label(result, group), "", table, "likert", q, group))
                continue
            ordered = shown.sort_values("score")
            best, worst = ordered.iloc[-1], ordered.iloc[0]
            alt = (
                f"Gestapeltes Balkendiagramm „{short(q_text, 80)}“, {group_label(result, group)}: "
                f"am besten bewertet „{short(item_label(result, q, str(best[ITEM])))}“ "
                f"(Wert {number(best['score'])} von 100), am schlechtesten "
                f"„{short(item_label(result, q, str(worst[ITEM])))}“ "
                f"(Wert {number(worst['score'])}). Alle Zahlen in der Tabelle."
            )
            make = partial(
                charts.likert_bars,
                sub,
                list(texts),
                labels,
                min_cell=result.policy.min_cell,
            )
            width, height = charts.pixels(charts.LIKERT_WIDTH, charts.likert_height_for(texts))
            figures.append(
                Figure(
                    group_label(result, group),
                    alt,
                    table,
                    "likert",
                    q,
                    group,
                    width,
                    height,
                    _cache_key(result, "likert", q, group),
                    make,
                )
            )
        out.append({"question": q, "text": q_text, "scale": labels, "figures": figures})
    return out


def ipa_figures(result: AnalysisResult, key: str, only: set[str] | None) -> list[Figure]:
    """Importance–performance scatter of field ``key`` per group (``only``)."""
    table = result.importance_performance
    if table.empty:
        return []
    figures = []
    items = dict(zip(result.meta.items[ITEM], result.meta.items["text"], strict=False))
    for group in groups_shown(result):
        part = table[(table[FIELD].astype(str) == key) & (table[GROUP].astype(str) == group)]
        if part.empty or (only is not None and group not in only):
            continue
        focus = part[part["quadrant"] == "focus"]
        part = part.sort_values("gap", ascending=False)  # the chart numbers points in this order
        table_rows = [
            {
                "number": number_in_chart,
                "item": item_label(result, str(r["question_satisfaction"]), str(r["item"])),
                "importance": number(r["importance"]),
                "satisfaction": number(r["satisfaction"]),
                "gap": number(r["gap"]),
                "quadrant": VALUE_LABELS.get(str(r["quadrant"]), str(r["quadrant"])),
            }
            for number_in_chart, r in enumerate(part.to_dict("records"), start=1)
        ]
        focus_text = ", ".join(f"„{short(str(items.get(i, i)), 50)}“" for i in focus["item"])
        alt = (
            f"Streudiagramm Wichtigkeit gegen Zufriedenheit, {group_label(result, group)}: "
            f"{len(part)} Aussagen. "
            + (f"Hier ansetzen (wichtig, wenig zufrieden): {focus_text}. " if focus_text else "")
            + "Alle Werte in der Tabelle."
        )
        make = partial(
            charts.importance_performance_chart,
            part,
            VALUE_LABELS,
            item_labels={str(k): str(v) for k, v in items.items()},
        )
        width, height = charts.pixels(*charts.ipa_size(len(part)))
        figures.append(
            Figure(
                group_label(result, group),
                alt,
                table_rows,
                "ipa",
                key,
                group,
                width,
                height,
                _cache_key(result, "ipa", key, group),
                make,
            )
        )
    return figures


def word_figures(result: AnalysisResult, key: str, only: set[str] | None) -> list[Figure]:
    """Word clouds of the comments of field ``key`` per group (``only``) and language with
    enough text: one cloud per language, German first, so words of two languages never mix.
    A German cloud's ``group`` is the group key; another language's is ``group.language``."""
    words = result.words
    if words.empty:
        return []
    if LANGUAGE not in words.columns:
        words = words.assign(**{LANGUAGE: "de"})
    figures = []
    for group in groups_shown(result):
        if only is not None and group not in only:
            continue
        mine = words[(words[FIELD].astype(str) == key) & (words[GROUP].astype(str) == group)]
        mine = mine[mine["count"].notna()]
        languages = sorted({str(v) for v in mine[LANGUAGE]}, key=lambda c: (c != "de", c))
        for language in languages:
            part = mine[mine[LANGUAGE].astype(str) == language]
            figures.append(_word_figure(result, key, group, language, part))
    return figures


def _word_figure(
    result: AnalysisResult, key: str, group: str, language: str, part: pd.DataFrame
) -> Figure:
    freq = dict(zip(part["word"].head(80), part["count"].head(80).astype(float), strict=True))
    top = part.head(15)
    title = group_label(result, group)
    if language != "de":
        name_de = str(LANGUAGES.get(language, {}).get("german", language)).split(" (")[0]
        title = f"{title} – {name_de}"
    alt = (
        f"Wortwolke der Kommentare, {title}. Häufigste Wörter: "
        + ", ".join(str(w) for w in top["word"].head(8))
        + ". Häufigkeiten in der Tabelle."
    )
    table_rows = [
        {"word": r["word"], "count": r["count"], "comments": r["comments"]}
        for r in top.to_dict("records")
    ]
    name = group if language == "de" else f"{group}.{language}"
    width, height = charts.WORDCLOUD_SIZE
    return Figure(
        title,
        alt,
        table_rows,
        "woerter",
        key,
        name,
        width,
        height,
        _cache_key(result, "words", key, name),
        partial(charts.wordcloud_png, freq, horizontal_only=language == "ar"),
        language=language,
    )


def find_figure(result: AnalysisResult, kind: str, subject: str, group: str) -> Figure | None:
    """The chart ``kind`` of ``subject`` (a question key for ``likert``, else a field key)
    and ``group`` as the dashboard shows it under ``result``'s filters; ``None`` when there is
    no such chart (unknown names, a group not shown, too few responses for a chart)."""
    base = group.split(".", 1)[0]  # a word cloud of another language: "familien.tr"
    if result.too_few or base not in groups_shown(result):
        return None
    only = {base}
    if kind == "likert":
        scale = result.scale
        if scale.empty:
            return None
        fields = scale.loc[scale[QUESTION].astype(str) == subject, FIELD]
        if fields.empty:
            return None
        figures = [
            f
            for q in likert_figures(result, str(fields.iloc[0]), only)
            if q["question"] == subject
            for f in q["figures"]
        ]
    elif kind in KINDS and subject in result.meta.fields.index:
        figures = (ipa_figures if kind == "ipa" else word_figures)(result, subject, only)
    else:
        return None
    return next((f for f in figures if f.group == group and f.shown), None)
