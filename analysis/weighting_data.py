"""Weighted and unweighted figures of a survey's closed questions, from database aggregates.

Three ``GROUP BY`` queries over one target group's responses, each grouped by the answers to
the weighting questions (the "cell"): the joint count table that :func:`analysis.weighting.rake`
weights, the answer rows of every closed question, and the respondents per question and
item. A respondent's weight depends only on the cell, so every weighted figure is a sum of
weight × count per cell; no respondent-level data is loaded.

Every figure passes the disclosure control: a row is shown only when its unweighted base
reaches ``policy.min_cell`` (``docs/weighting.md``). Per-cell weights never leave this module
except inside :class:`WeightingReport` for the staff page, which shows only their range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, and_, false, func, select
from sqlalchemy.orm import aliased

from analysis.columns import ITEM, KIND, NONE, OPTION, QUESTION
from analysis.meta import SurveyMeta, load_meta
from analysis.privacy import Policy
from analysis.weighting import (
    COUNT,
    MISSING,
    WEIGHT,
    Margin,
    RakingError,
    RakingResult,
    TrimBounds,
    rake,
)
from surveys.i18n import N_
from surveys.models import Answer, Option, Question, Response, TargetGroup

#: Analysis kinds reported as shares per answer option, and as means.
SHARE_KINDS = ("choice", "multi", "binary")
MEAN_KINDS = ("scale", "number")
#: Columns of :attr:`WeightingReport.figures`.
FIGURE_COLUMNS = [
    QUESTION, ITEM, OPTION, "statistic", "n", "unweighted", "weighted", "shown",
]  # fmt: skip


@dataclass(frozen=True)
class WeightingReport:
    """The weighting of one target group: the raking and the figures it changes."""

    group: str
    margins: tuple[Margin, ...]
    bounds: TrimBounds | None
    #: The raking, or ``None`` when it failed (then ``error`` says why).
    raking: RakingResult | None = None
    error: RakingError | None = None
    #: One row per closed question (× item × option): the unweighted base ``n``, the
    #: unweighted and weighted share or mean, and whether the row may be shown.
    figures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FIGURE_COLUMNS))
    #: Respondents per margin who count as "fehlend" (no answer or an excluded option).
    missing: dict[str, int] = field(default_factory=dict)


def _cell_columns(
    survey_id: int, questions: Sequence[str]
) -> tuple[list[Any], list[tuple[Any, Any]]]:
    """Select columns (option code per weighting question) and their outer joins."""
    columns: list[Any] = []
    joins: list[tuple[Any, Any]] = []
    for index, key in enumerate(questions):
        answer, option = aliased(Answer), aliased(Option)
        question_id = (
            select(Question.id)
            .where(Question.survey_id == survey_id, Question.key == key)
            .scalar_subquery()
        )
        joins.append(
            (answer, and_(answer.response_id == Response.id, answer.question_id == question_id))
        )
        joins.append((option, option.id == answer.option_id))
        columns.append(option.code.label(f"c{index}"))
    return columns, joins


def _grouped(
    conn: Connection,
    survey_id: int,
    group: str,
    questions: Sequence[str],
    extra: Sequence[Any],
    count: Any,
    answers: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Run one ``GROUP BY`` over the group's responses by cell (and ``extra`` columns)."""
    columns, joins = _cell_columns(survey_id, questions)
    stmt = select(*columns, *extra, count.label(COUNT)).select_from(Response)
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    if answers is not None:
        stmt = stmt.join(Answer, Answer.response_id == Response.id).where(
            Answer.question_id.in_(answers), Answer.dont_know == false()
        )
    group_id = select(TargetGroup.id).where(TargetGroup.key == group).scalar_subquery()
    stmt = stmt.where(Response.survey_id == survey_id, Response.target_group_id == group_id)
    stmt = stmt.group_by(*columns, *extra)
    names = [*questions, *(getattr(c, "key", str(c)) for c in extra), COUNT]
    frame = pd.DataFrame([tuple(r) for r in conn.execute(stmt)], columns=names)
    for key in questions:
        frame[key] = frame[key].astype(object).where(frame[key].notna(), MISSING)
    return frame


def load_cells(
    conn: Connection, survey_id: int, group: str, questions: Sequence[str]
) -> pd.DataFrame:
    """The joint count table: one row per combination of answers, with ``n`` respondents.

    An unanswered weighting question appears as :data:`analysis.weighting.MISSING`.
    """
    return _grouped(conn, survey_id, group, questions, [], func.count(Response.id))


def _closed(meta: SurveyMeta, group: str) -> pd.DataFrame:
    questions = meta.questions[meta.questions[KIND].isin(SHARE_KINDS + MEAN_KINDS)]
    return questions[[group in g for g in questions["groups"]]]


def _labels(meta: SurveyMeta, frame: pd.DataFrame) -> pd.DataFrame:
    """Replace item and option ids by their keys and codes (NONE where there is none)."""
    items = dict(zip(meta.items["id"], meta.items[ITEM], strict=True))
    options = dict(zip(meta.options["id"], meta.options[OPTION], strict=True))
    questions = dict(zip(meta.questions["id"], meta.questions.index, strict=True))
    out = frame.copy()
    out[QUESTION] = out["question_id"].map(questions)
    out[ITEM] = out["item_id"].map(lambda i: items.get(i, NONE) if pd.notna(i) else NONE)
    if "option_id" in out:
        out[OPTION] = out["option_id"].map(lambda i: options.get(i, NONE) if pd.notna(i) else NONE)
    return out


def _figures(
    meta: SurveyMeta,
    answers: pd.DataFrame,
    bases: pd.DataFrame,
    policy: Policy,
) -> pd.DataFrame:
    """Shares and means, unweighted and weighted, from counts that carry their cell weight."""
    rows: list[dict[str, object]] = []
    answers = answers.assign(wn=answers[COUNT] * answers[WEIGHT])
    bases = bases.assign(wn=bases[COUNT] * bases[WEIGHT])
    base = bases.groupby([QUESTION, ITEM], sort=False)[[COUNT, "wn"]].sum()
    base_n: dict[Any, Any] = base[COUNT].to_dict()
    base_w: dict[Any, Any] = base["wn"].to_dict()
    kinds = meta.questions[KIND]
    for (question_key, item_key), part in answers.groupby([QUESTION, ITEM], sort=False):
        question, item = str(question_key), str(item_key)
        if (question, item) not in base_n:
            continue
        n, wn = float(base_n[(question, item)]), float(base_w[(question, item)])
        shown = bool(n >= policy.min_cell)
        if kinds[question] in MEAN_KINDS:
            values = part["num"].astype(float)
            rows.append({
                QUESTION: question, ITEM: item, OPTION: NONE, "statistic": "mean", "n": int(n),
                "unweighted": float((values * part[COUNT]).sum() / part[COUNT].sum()),
                "weighted": float((values * part["wn"]).sum() / part["wn"].sum()),
                "shown": shown,
            })  # fmt: skip
            continue
        if kinds[question] == "binary":
            part = part.assign(**{OPTION: np.where(part["num"].astype(float) > 0, "ja", "nein")})
        by_option = part.groupby(OPTION, sort=False)[[COUNT, "wn"]].sum()
        option_n: dict[Any, Any] = by_option[COUNT].to_dict()
        option_w: dict[Any, Any] = by_option["wn"].to_dict()
        for option in _option_order(meta, question, [str(o) for o in option_n]):
            count, weighted = float(option_n.get(option, 0)), float(option_w.get(option, 0.0))
            rows.append({
                QUESTION: question, ITEM: item, OPTION: option, "statistic": "share",
                "n": int(n), "unweighted": count / n,
                "weighted": weighted / wn, "shown": shown,
            })  # fmt: skip
    frame = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    question_order = {key: i for i, key in enumerate(meta.questions.index)}
    item_order = {
        (str(q), str(i)): p
        for q, i, p in meta.items[[QUESTION, ITEM, "position"]].itertuples(index=False)
    }
    frame = (
        frame.assign(
            _q=frame[QUESTION].map(question_order),
            _i=[
                item_order.get((str(q), str(i)), -1)
                for q, i in zip(frame[QUESTION], frame[ITEM], strict=True)
            ],
        )
        .sort_values(["_q", "_i"], kind="stable")
        .drop(columns=["_q", "_i"])
        .reset_index(drop=True)
    )
    hidden = ~frame["shown"].astype(bool)
    frame.loc[hidden, ["unweighted", "weighted"]] = np.nan
    return frame


def _option_order(meta: SurveyMeta, question: str, found: list[str]) -> list[str]:
    if meta.questions.at[question, KIND] == "binary":
        return ["ja", "nein"]
    codes = meta.options.loc[meta.options[QUESTION] == question, OPTION].astype(str).tolist()
    return [c for c in codes if c != NONE] + [c for c in found if c not in codes and c != NONE]


def weight_group(
    engine: Engine | Connection,
    survey_id: int,
    group: str,
    margins: Sequence[Margin],
    bounds: TrimBounds | None,
    policy: Policy,
    *,
    figures: bool = True,
) -> WeightingReport:
    """Rake one target group's respondents to ``margins`` and compute its figures.

    With ``figures`` false only the raking is made (its weights, design effect and
    effective n: all a methods report says), without the two ``GROUP BY`` scans of the
    group's answers that the weighted figures need.

    A raking that is impossible (an empty or too small category, bounds that cannot hold)
    gives a report with ``error`` set and no figures, never an exception.
    """
    margins = tuple(margins)
    keys = [m.question for m in margins]
    with _connect(engine) as conn:
        meta = load_meta(conn, survey_id)
        cells = load_cells(conn, survey_id, group, keys)
        report = WeightingReport(group=group, margins=margins, bounds=bounds)
        if cells.empty:
            return _failed(report, RakingError(_NO_RESPONSES))
        try:
            raking = rake(cells, margins, bounds, min_cell=policy.min_cell)
        except RakingError as error:
            return _failed(report, error)
        if not figures:
            return WeightingReport(group=group, margins=margins, bounds=bounds, raking=raking)
        cells = cells.assign(**{WEIGHT: raking.cells[WEIGHT].to_numpy()})
        closed = [int(i) for i in _closed(meta, group)["id"]]
        extra = [Answer.question_id, Answer.item_id, Answer.option_id, Answer.num]
        answers = _grouped(conn, survey_id, group, keys, extra, func.count(), closed)
        bases = _grouped(
            conn, survey_id, group, keys, [Answer.question_id, Answer.item_id],
            func.count(func.distinct(Answer.response_id)), closed,
        )  # fmt: skip
    answers = _labels(meta, answers.merge(cells.drop(columns=COUNT), on=keys))
    bases = _labels(meta, bases.merge(cells.drop(columns=COUNT), on=keys))
    missing = {
        m.question: int(raking.cells.loc[raking.cells[m.question] == MISSING, COUNT].sum())
        for m in margins
    }
    return WeightingReport(
        group=group,
        margins=margins,
        bounds=bounds,
        raking=raking,
        figures=_figures(meta, answers, bases, policy),
        missing=missing,
    )


_NO_RESPONSES = N_("Für diese Zielgruppe liegen noch keine Antworten vor.")


def _failed(report: WeightingReport, error: RakingError) -> WeightingReport:
    return WeightingReport(
        group=report.group, margins=report.margins, bounds=report.bounds, error=error
    )


class _connect:
    """Use a given connection as it is, or open (and close) one on an engine."""

    def __init__(self, source: Engine | Connection) -> None:
        self.source = source
        self.conn: Connection | None = None

    def __enter__(self) -> Connection:
        if isinstance(self.source, Connection):
            return self.source
        self.conn = self.source.connect()
        return self.conn

    def __exit__(self, *_exc: object) -> None:
        if self.conn is not None:
            self.conn.close()


__all__ = ["FIGURE_COLUMNS", "WeightingReport", "load_cells", "weight_group"]
