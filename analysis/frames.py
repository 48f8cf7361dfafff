"""Load a survey's responses into tidy pandas frames: loader, filters, wide view.

The loader runs one query for the answers of a survey (numeric columns only, fetched with the
driver's cursor in chunks straight into numpy), one for the few rows that carry text, one for
the responses and a handful of small metadata queries. Keys (question, item, option, group,
Handlungsfeld) become categorical columns, so group-bys stay fast and memory stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Select, func, literal, select

from analysis.columns import (
    CHANNEL,
    DONT_KNOW,
    FIELD,
    GROUP,
    ITEM,
    KIND,
    LANGUAGE,
    NONE,
    OPTION,
    QUESTION,
    RESPONSE,
    ROLE,
    TEXT,
    TOTAL,
    VALUE,
)
from analysis.meta import SurveyMeta, load_meta
from surveys.models import Answer, Option, Question, Response, Survey, TargetGroup

CHUNK_ROWS = 200_000
#: Stands for NULL in the numeric answer query (no real answer comes near it).
NULL_NUMBER = -1.5e308
#: Analysis kinds whose answers can hold text (free text, "Sonstiges" of choices).
TEXT_KINDS = ("text", "choice", "multi")
AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class Filters:
    """Which responses to analyse: by target group key, channel and language (``None`` = all)."""

    group: str | None = None
    channel: str | None = None
    language: str | None = None
    #: A breakdown question's key and one of its option codes (one breakdown at a time).
    breakdown: tuple[str, str] | None = None

    def describe(self) -> dict[str, str]:
        """Return the active filters as a plain mapping (a breakdown as ``question=option``)."""
        out = {k: v for k, v in vars(self).items() if v is not None and k != "breakdown"}
        if self.breakdown is not None:
            out["breakdown"] = "=".join(self.breakdown)
        return out

    def dimensions(self) -> dict[str, str]:
        """Return the active filters as disclosure dimensions (``bd:<question>`` for a
        breakdown), the conditions of the set of respondents they select."""
        out = {k: v for k, v in vars(self).items() if v is not None and k != "breakdown"}
        if self.breakdown is not None:
            out[breakdown_column(self.breakdown[0])] = self.breakdown[1]
        return out


def breakdown_column(question: str) -> str:
    """The responses frame's column (and disclosure dimension) of a breakdown question."""
    return f"bd:{question}"


def breakdown_questions(meta: SurveyMeta) -> list[str]:
    """Keys of the survey's breakdown questions ("Auswertungsmerkmale"), in survey order."""
    questions = meta.questions
    if "breakdown" not in questions.columns:
        return []
    return [str(k) for k in questions.index[questions["breakdown"].astype(bool)]]


@dataclass(frozen=True)
class SurveyData:
    """A survey's metadata with its tidy frames."""

    meta: SurveyMeta
    #: One row per response: response, group, channel, language.
    responses: pd.DataFrame
    #: Long format, one row per answer: response, group, channel, field, question, item,
    #: option, value (NaN for "weiß nicht" and text rows), dont_know.
    answers: pd.DataFrame
    #: One row per text answer: response, group, channel, field, question, kind, text.
    texts: pd.DataFrame = field(default_factory=pd.DataFrame)


def _where(stmt: AnySelect, survey_id: int, filters: Filters) -> AnySelect:
    stmt = stmt.where(Response.survey_id == survey_id)
    if filters.group is not None:
        stmt = stmt.where(
            Response.target_group_id
            == select(TargetGroup.id).where(TargetGroup.key == filters.group).scalar_subquery()
        )
    if filters.channel is not None:
        stmt = stmt.where(Response.channel == filters.channel)
    if filters.language is not None:
        stmt = stmt.where(Response.language == filters.language)
    if filters.breakdown is not None:
        question, option = filters.breakdown
        chose = (
            select(Answer.response_id)
            .join(Question, Question.id == Answer.question_id)
            .join(Option, Option.id == Answer.option_id)
            .where(Question.survey_id == survey_id, Question.key == question, Option.code == option)
        )
        stmt = stmt.where(Response.id.in_(chose))
    return stmt


def _fetch_numeric(conn: Connection, stmt: Select[*tuple[Any, ...]], width: int) -> np.ndarray:
    """Fetch all rows of ``stmt`` as a float array, bypassing per-row result processing."""
    cursor = conn.execute(stmt).cursor
    assert cursor is not None
    chunks: list[np.ndarray] = []
    while True:
        rows = cursor.fetchmany(CHUNK_ROWS)
        if not rows:
            break
        # Every column is non-NULL (COALESCE in SQL), so numpy reads the values in one C loop.
        flat = np.fromiter(chain.from_iterable(rows), dtype=np.float64, count=len(rows) * width)
        chunks.append(flat.reshape(len(rows), width))
    cursor.close()
    if not chunks:
        return np.empty((0, width))
    data: np.ndarray = np.vstack(chunks) if len(chunks) > 1 else chunks[0]
    return data


def _codes(lookup_ids: np.ndarray, codes: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Map database ids to category codes (-1 for ids not in ``lookup_ids``)."""
    size = int(max(lookup_ids.max(initial=0), np.nanmax(ids, initial=0))) + 1
    table = np.full(size, -1, dtype=np.int32)
    table[lookup_ids.astype(np.int64)] = codes
    safe = np.nan_to_num(ids, nan=0).astype(np.int64)
    out: np.ndarray = table[safe]
    return out


def _categorical(codes: np.ndarray, categories: Sequence[str] | pd.Index) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype=object))


def _raw_rows(conn: Connection, stmt: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Fetch plain tuples from the driver's cursor (no per-row type processing)."""
    cursor = conn.execute(stmt).cursor
    assert cursor is not None
    rows: list[tuple[Any, ...]] = list(cursor.fetchall())
    cursor.close()
    return rows


def load_responses(conn: Connection, meta: SurveyMeta, filters: Filters) -> pd.DataFrame:
    """Return one row per response: response id, group, channel, language."""
    rows = _raw_rows(
        conn,
        _where(
            select(
                Response.id,
                Response.target_group_id,
                Response.channel,
                Response.language,
            ),
            meta.survey_id,
            filters,
        ).order_by(Response.id),
    )
    ids, group_ids, channels, languages = (
        (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [], [])
    )
    group_keys = dict(zip(meta.groups["id"], meta.groups.index, strict=True))
    frame = pd.DataFrame(
        {
            RESPONSE: np.array(ids, dtype=np.int64),
            GROUP: pd.Categorical(
                [group_keys.get(g) for g in group_ids], categories=list(meta.groups.index)
            ),
            CHANNEL: pd.Categorical(channels, categories=["online", "paper"]),
            LANGUAGE: pd.Categorical(languages),
        }
    )
    keys = breakdown_questions(meta)
    if keys:
        chosen = _raw_rows(
            conn,
            _where(
                select(Answer.response_id, Question.key, Option.code)
                .join(Response, Response.id == Answer.response_id)
                .join(Question, Question.id == Answer.question_id)
                .join(Option, Option.id == Answer.option_id)
                .where(Question.key.in_(keys)),
                meta.survey_id,
                filters,
            ),
        )
        for key in keys:
            answered = {r: o for r, q, o in chosen if q == key}
            frame[breakdown_column(key)] = [answered.get(int(r), "") for r in frame[RESPONSE]]
    return frame


def load_answers(
    conn: Connection,
    meta: SurveyMeta,
    responses: pd.DataFrame,
    filters: Filters,
    questions_only: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return the long answer frame (one query, numeric columns only); ``questions_only``
    (question keys) reads the rows of just those questions."""
    stmt = _where(
        select(
            Answer.response_id,
            Answer.question_id,
            func.coalesce(Answer.item_id, 0),
            func.coalesce(Answer.option_id, 0),
            func.coalesce(Answer.num, literal(NULL_NUMBER)),
            Answer.dont_know,
        ).join(Response, Response.id == Answer.response_id),
        meta.survey_id,
        filters,
    )
    if questions_only is not None:
        ids = meta.questions["id"]
        wanted = [int(ids[k]) for k in questions_only]
        stmt = stmt.where(Answer.question_id.in_(wanted or [-1]))
    data = _fetch_numeric(conn, stmt, 6)
    data[data[:, 4] == NULL_NUMBER, 4] = np.nan
    questions = meta.questions
    q_codes = _codes(questions["id"].to_numpy(), np.arange(len(questions)), data[:, 1])
    item_keys = [NONE, *sorted(set(meta.items[ITEM]))]
    item_pos = {k: i for i, k in enumerate(item_keys)}
    i_codes = _codes(
        meta.items["id"].to_numpy(),
        np.array([item_pos[k] for k in meta.items[ITEM]], dtype=np.int32),
        data[:, 2],
    )
    option_keys = [NONE, *sorted(set(meta.options[OPTION]))]
    option_pos = {k: i for i, k in enumerate(option_keys)}
    o_codes = _codes(
        meta.options["id"].to_numpy(),
        np.array([option_pos[k] for k in meta.options[OPTION]], dtype=np.int32),
        data[:, 3],
    )
    i_codes[i_codes < 0] = 0
    o_codes[o_codes < 0] = 0
    resp_ids = data[:, 0].astype(np.int64)
    r_ids = responses[RESPONSE].to_numpy()
    r_pos = _codes(r_ids, np.arange(len(r_ids), dtype=np.int32), data[:, 0])
    field_keys = [NONE, *meta.fields.index]
    field_pos = {k: i for i, k in enumerate(field_keys)}
    q_field = np.array([field_pos[f] for f in questions[FIELD]], dtype=np.int32)
    return pd.DataFrame(
        {
            RESPONSE: resp_ids,
            GROUP: _categorical(
                responses[GROUP].cat.codes.to_numpy()[r_pos], responses[GROUP].cat.categories
            ),
            CHANNEL: _categorical(
                responses[CHANNEL].cat.codes.to_numpy()[r_pos], responses[CHANNEL].cat.categories
            ),
            FIELD: _categorical(q_field[q_codes], field_keys),
            QUESTION: _categorical(q_codes, list(questions.index)),
            ITEM: _categorical(i_codes, item_keys),
            OPTION: _categorical(o_codes, option_keys),
            VALUE: data[:, 4],
            DONT_KNOW: data[:, 5] > 0,
        }
    )


def load_texts(
    conn: Connection, meta: SurveyMeta, responses: pd.DataFrame, filters: Filters
) -> pd.DataFrame:
    """Return every non-empty text answer with its group, channel, Handlungsfeld and question.

    Only free-text and choice questions ("Sonstiges") carry text, so the query reads their
    rows through the question index instead of scanning every answer.
    """
    kinds = meta.questions[KIND]
    text_questions = [int(i) for i in meta.questions.loc[kinds.isin(TEXT_KINDS), "id"]]
    if not text_questions:
        text_questions = [-1]
    stmt = _where(
        select(Answer.response_id, Answer.question_id, Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.question_id.in_(text_questions))
        .where(Answer.text.is_not(None))
        .where(Answer.text != ""),
        meta.survey_id,
        filters,
    )
    rows = _raw_rows(conn, stmt)
    ids, qids, texts = (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [])
    resp_ids = np.array(ids, dtype=np.int64)
    position = _codes(
        responses[RESPONSE].to_numpy(),
        np.arange(len(responses), dtype=np.int32),
        resp_ids.astype(np.float64),
    )
    question_pos = _codes(
        meta.questions["id"].to_numpy(),
        np.arange(len(meta.questions), dtype=np.int32),
        np.array(qids, dtype=np.float64),
    )
    questions = meta.questions.reset_index()
    field_keys = [NONE, *meta.fields.index]
    return pd.DataFrame(
        {
            RESPONSE: resp_ids,
            GROUP: _categorical(
                responses[GROUP].cat.codes.to_numpy()[position], responses[GROUP].cat.categories
            ),
            CHANNEL: _categorical(
                responses[CHANNEL].cat.codes.to_numpy()[position],
                responses[CHANNEL].cat.categories,
            ),
            FIELD: pd.Categorical(questions[FIELD].to_numpy()[question_pos], categories=field_keys),
            QUESTION: _categorical(question_pos, list(meta.questions.index)),
            KIND: questions[KIND].to_numpy()[question_pos],
            TEXT: texts,
        }
    )


def load_survey(
    bind: Engine | Connection, survey_id: int, filters: Filters | None = None
) -> SurveyData:
    """Load a survey's metadata, responses, answers and texts (honouring ``filters``)."""
    filters = filters or Filters()
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return load_survey(conn, survey_id, filters)
    meta = load_meta(bind, survey_id)
    responses = load_responses(bind, meta, filters)
    answers = load_answers(bind, meta, responses, filters)
    texts = load_texts(bind, meta, responses, filters)
    return SurveyData(meta=meta, responses=responses, answers=answers, texts=texts)


def survey_id_by_slug(bind: Engine | Connection, slug: str) -> int | None:
    """Return the id of the survey with ``slug``, or ``None``."""
    stmt = select(Survey.id).where(Survey.slug == slug)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return conn.scalar(stmt)
    return bind.scalar(stmt)


def wide(answers: pd.DataFrame, meta: SurveyMeta) -> pd.DataFrame:
    """Return one row per response, one column per question (``key``, ``key:item``, ``key:option``).

    Scale values are points (NaN for "weiß nicht"), choices are option codes (single) or
    1/0 per option (multi; NaN when the question was not answered), ranks are places per
    option, a number matrix has ``key:item:column``.
    """
    frame = answers[answers[VALUE].notna() | (answers[OPTION] != NONE) | answers[DONT_KNOW]]
    kinds = meta.questions[KIND]
    kind = frame[QUESTION].map(kinds).astype(str)
    column = frame[QUESTION].astype(str)
    has_item = frame[ITEM] != NONE
    column = column.where(~has_item, column + ":" + frame[ITEM].astype(str))
    per_option = kind.isin(["multi", "ranking", "numbermatrix"])  # a number matrix: item × column
    column = column.where(~per_option, column + ":" + frame[OPTION].astype(str))
    value: pd.Series = frame[VALUE].astype(object)
    single = kind == "choice"
    value = value.where(~single, frame[OPTION].astype(str))
    table = pd.DataFrame({RESPONSE: frame[RESPONSE], "column": column, VALUE: value})
    out = table.pivot_table(index=RESPONSE, columns="column", values=VALUE, aggfunc="first")
    out.columns.name = None
    # Multiple choice: an option not chosen by someone who answered the question is 0.
    for key in meta.questions.index[kinds == "multi"]:
        columns = [c for c in out.columns if str(c).startswith(f"{key}:")]
        if columns:
            answered = out[columns].notna().any(axis=1)
            out.loc[answered, columns] = out.loc[answered, columns].fillna(0.0)
    return out


__all__ = [
    "CHANNEL",
    "DONT_KNOW",
    "FIELD",
    "Filters",
    "GROUP",
    "ITEM",
    "KIND",
    "LANGUAGE",
    "NONE",
    "OPTION",
    "QUESTION",
    "RESPONSE",
    "ROLE",
    "SurveyData",
    "SurveyMeta",
    "TEXT",
    "TOTAL",
    "VALUE",
    "load_answers",
    "load_meta",
    "load_responses",
    "load_survey",
    "load_texts",
    "survey_id_by_slug",
    "wide",
]
