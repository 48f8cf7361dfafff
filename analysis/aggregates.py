"""Count tables of a survey, computed by the database with ``GROUP BY`` (SQLAlchemy Core).

The analysis reads these instead of one row per answer, so its cost grows with questions x
items x answer values x groups, not with the number of responses:

* :func:`load_cells` - answer rows counted per target group, question, item, option, value
  and "weiß nicht": the distributions, means, SDs, top-box shares, Mann-Whitney and
  chi-square tests, rank sums and number statistics are functions of these counts. The frame
  has the columns of the long answer frame of :func:`analysis.frames.load_answers` (without
  ``response``) plus ``n``, the number of answer rows it stands for.
* :func:`load_respondents` - distinct respondents per question and item for the question
  kinds that store several rows per answer (multiple choice, ranking).
* :func:`load_atoms` - respondents per combination of target group, channel, language and
  the answers of the breakdown questions: the responses table, the language tables and the
  disclosure guard (:mod:`analysis.disclosure`) need nothing else.
* :func:`index_moments` - the Handlungsfeld index through one per-respondent aggregate (the
  mean score of each respondent's items in each field, computed in a subquery), summed per
  field, target group and breakdown answer as n, sum and sum of squares.
* :func:`load_texts_streamed` - the only rows read: free text, streamed in chunks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    null,
    or_,
    select,
)

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
    TEXT,
    VALUE,
)
from analysis.frames import (
    NULL_NUMBER,
    TEXT_KINDS,
    Filters,
    _categorical,
    _codes,
    _fetch_numeric,
    _where,
    breakdown_column,
    breakdown_questions,
)
from analysis.meta import SurveyMeta
from analysis.polarity import Pair, reversed_pairs
from surveys.models import Answer, Response

#: Kinds whose answer is several rows per respondent (one per chosen or ranked option).
MULTI_ROW_KINDS = ("multi", "ranking")
#: Rows fetched per round trip when streaming free text (small chunks: less memory held
#: by the driver between the texts that stay).
TEXT_CHUNK = 10_000
CHANNELS = ["online", "paper"]


def _item_codes(meta: SurveyMeta) -> tuple[list[str], np.ndarray]:
    keys = [NONE, *sorted(set(meta.items[ITEM]))]
    pos = {k: i for i, k in enumerate(keys)}
    return keys, np.array([pos[k] for k in meta.items[ITEM]], dtype=np.int32)


def _option_codes(meta: SurveyMeta) -> tuple[list[str], np.ndarray]:
    keys = [NONE, *sorted(set(meta.options[OPTION]))]
    pos = {k: i for i, k in enumerate(keys)}
    return keys, np.array([pos[k] for k in meta.options[OPTION]], dtype=np.int32)


def _group_codes(meta: SurveyMeta, ids: np.ndarray) -> pd.Categorical:
    codes = _codes(meta.groups["id"].to_numpy(), np.arange(len(meta.groups)), ids)
    return _categorical(codes, list(meta.groups.index))


def load_cells(conn: Connection, meta: SurveyMeta, filters: Filters) -> pd.DataFrame:
    """Answer rows counted per group, question, item, option, value and "weiß nicht".

    Columns group, field, question, item, option (categoricals as in the long answer
    frame), value (NaN for "weiß nicht" and text rows), dont_know and ``n``.

    The target groups are columns of the query (one conditional count each), not a
    ``GROUP BY`` term: every grouping column then comes from the answer table, in the
    order of its index ``ix_answer_cells``, so the database reads that index in order
    and never sorts (SQLite: no temporary B-tree for the ``GROUP BY``, a quarter of
    the time on the demo).
    """
    group_ids = [int(i) for i in meta.groups["id"]]
    question_ids = sorted(int(i) for i in meta.questions["id"]) or [-1]
    per_group = [func.sum(case((Response.target_group_id == g, 1), else_=0)) for g in group_ids]
    stmt = _where(
        select(
            Answer.question_id,
            func.coalesce(Answer.item_id, 0),
            func.coalesce(Answer.option_id, 0),
            func.coalesce(Answer.num, literal(NULL_NUMBER)),
            cast(Answer.dont_know, Integer),
            *per_group,
        )
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.question_id.in_(question_ids))
        .group_by(
            Answer.question_id, Answer.item_id, Answer.option_id, Answer.num, Answer.dont_know
        ),
        meta.survey_id,
        filters,
    )
    wide = _fetch_numeric(conn, stmt, 5 + len(group_ids))
    # One row per (group, cell) with a count: the long table the analysis reads.
    rows, columns = np.nonzero(wide[:, 5:] > 0)
    data = np.column_stack(
        [
            np.asarray(group_ids, dtype=np.float64)[columns] if group_ids else columns,
            wide[rows, :5],
            wide[rows, 5 + columns],
        ]
    ).reshape(-1, 7)
    # The order a GROUP BY over the group and the cell would give (deterministic).
    data = data[np.lexsort(data[:, 5::-1].T)] if len(data) else data
    data[data[:, 4] == NULL_NUMBER, 4] = np.nan
    questions = meta.questions
    q_codes = _codes(questions["id"].to_numpy(), np.arange(len(questions)), data[:, 1])
    item_keys, item_pos = _item_codes(meta)
    i_codes = _codes(meta.items["id"].to_numpy(), item_pos, data[:, 2])
    option_keys, option_pos = _option_codes(meta)
    o_codes = _codes(meta.options["id"].to_numpy(), option_pos, data[:, 3])
    i_codes[i_codes < 0] = 0
    o_codes[o_codes < 0] = 0
    field_keys = [NONE, *meta.fields.index]
    field_pos = {k: i for i, k in enumerate(field_keys)}
    q_field = np.array([field_pos[f] for f in questions[FIELD]], dtype=np.int32)
    return pd.DataFrame(
        {
            GROUP: _group_codes(meta, data[:, 0]),
            FIELD: _categorical(q_field[q_codes], field_keys),
            QUESTION: _categorical(q_codes, list(questions.index)),
            ITEM: _categorical(i_codes, item_keys),
            OPTION: _categorical(o_codes, option_keys),
            VALUE: data[:, 4],
            DONT_KNOW: data[:, 5] > 0,
            "n": data[:, 6].astype(np.int64),
        }
    )


def load_respondents(conn: Connection, meta: SurveyMeta, filters: Filters) -> pd.DataFrame:
    """Distinct respondents per group, question and item of multiple choice and ranking
    questions: ``respondents`` (any row) and ``answering`` (a row other than "weiß nicht").
    Read through the question index, so only those questions' rows are scanned."""
    ids = [int(i) for i in meta.questions.loc[meta.questions[KIND].isin(MULTI_ROW_KINDS), "id"]]
    columns = [GROUP, QUESTION, ITEM, "respondents", "answering"]
    if not ids:
        return pd.DataFrame(columns=columns)
    item = func.coalesce(Answer.item_id, 0)
    answering = case((Answer.dont_know.is_(False), Answer.response_id), else_=null())
    stmt = _where(
        select(
            Response.target_group_id,
            Answer.question_id,
            item,
            func.count(distinct(Answer.response_id)),
            func.count(distinct(answering)),
        )
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.question_id.in_(ids))
        .group_by(Response.target_group_id, Answer.question_id, item),
        meta.survey_id,
        filters,
    )
    data = _fetch_numeric(conn, stmt, 5)
    questions = meta.questions
    q_codes = _codes(questions["id"].to_numpy(), np.arange(len(questions)), data[:, 1])
    item_keys, item_pos = _item_codes(meta)
    i_codes = _codes(meta.items["id"].to_numpy(), item_pos, data[:, 2])
    i_codes[i_codes < 0] = 0
    return pd.DataFrame(
        {
            GROUP: _group_codes(meta, data[:, 0]),
            QUESTION: _categorical(q_codes, list(questions.index)),
            ITEM: _categorical(i_codes, item_keys),
            "respondents": data[:, 3].astype(np.int64),
            "answering": data[:, 4].astype(np.int64),
        }
    )


def _breakdown_joins(meta: SurveyMeta) -> list[tuple[str, Any]]:
    """Per breakdown question: its frame column and a subquery (response, chosen option)."""
    out = []
    for key in breakdown_questions(meta):
        question_id = int(meta.questions["id"][key])
        chosen = (
            select(Answer.response_id.label("response_id"), Answer.option_id.label("option_id"))
            .where(Answer.question_id == question_id, Answer.option_id.is_not(None))
            .subquery()
        )
        out.append((breakdown_column(key), chosen))
    return out


def _option_keys(meta: SurveyMeta, ids: np.ndarray) -> np.ndarray:
    """Option codes of option ids ("" for none)."""
    lookup = dict(
        zip(meta.options["id"].astype(int), meta.options[OPTION].astype(str), strict=True)
    )
    return np.array([lookup.get(int(i), "") if i > 0 else "" for i in ids], dtype=object)


def load_atoms(conn: Connection, meta: SurveyMeta) -> pd.DataFrame:
    """Respondents per combination of group, channel, language and breakdown answers.

    All responses of the survey (the guard needs them all; a filtered analysis selects
    atoms). Ordered by each combination's first response, as the guard built from the rows.
    Columns group, channel, language, ``bd:<key>`` per breakdown question, ``n``.
    """
    joins = _breakdown_joins(meta)
    chosen = [func.coalesce(sub.c.option_id, 0) for _name, sub in joins]
    stmt = select(
        Response.target_group_id, Response.channel, Response.language, *chosen
    ).add_columns(func.count(), func.min(Response.id))
    source: Any = Response.__table__
    for _name, sub in joins:
        source = source.outerjoin(sub, sub.c.response_id == Response.id)
    stmt = (
        stmt.select_from(source)
        .where(Response.survey_id == meta.survey_id)
        .group_by(Response.target_group_id, Response.channel, Response.language, *chosen)
        .order_by(func.min(Response.id))
    )
    rows = conn.execute(stmt).all()
    width = 3 + len(joins)
    frame = pd.DataFrame(
        {
            GROUP: _group_codes(meta, np.array([r[0] for r in rows], dtype=float)),
            CHANNEL: pd.Categorical([str(r[1]) for r in rows], categories=CHANNELS),
            LANGUAGE: [str(r[2]) for r in rows],
        }
    )
    for offset, (name, _sub) in enumerate(joins, start=3):
        frame[name] = _option_keys(meta, np.array([r[offset] or 0 for r in rows], dtype=float))
    frame["n"] = np.array([r[width] for r in rows], dtype=np.int64)
    return frame


def select_atoms(atoms: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The atoms inside the filters' set (every filter is a condition on an atom column)."""
    mask = np.ones(len(atoms), dtype=bool)
    for column, value in filters.dimensions().items():
        if column in atoms.columns:
            mask &= atoms[column].astype(str).to_numpy() == value
        else:
            mask[:] = False
    return atoms[mask].reset_index(drop=True)


def responses_from_atoms(atoms: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent, expanded from the atom counts (for count tables that take a
    responses frame; there is no response id)."""
    repeat = atoms["n"].to_numpy()
    out: dict[str, Any] = {}
    for column in atoms.columns:
        if column == "n":
            continue
        values = atoms[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes = np.repeat(values.cat.codes.to_numpy(), repeat)
            out[column] = pd.Categorical.from_codes(codes, categories=values.cat.categories)
        else:
            out[column] = np.repeat(values.to_numpy(dtype=object), repeat)
    frame = pd.DataFrame(out)
    frame[LANGUAGE] = pd.Categorical(frame[LANGUAGE]) if len(frame) else frame[LANGUAGE]
    return frame


def _score(meta: SurveyMeta) -> tuple[list[int], ColumnElement[Any]]:
    """The eligible questions' ids and the SQL expression of an answer's 0-100 score
    (reversed items mirrored, :mod:`analysis.polarity`)."""
    questions = meta.questions
    eligible = questions[
        (questions[KIND] == "scale")
        & (questions[FIELD] != NONE)
        & questions["role"].isin(["satisfaction", NONE])
    ]
    flipped = reversed_pairs(meta)
    item_ids = {
        (str(q), str(i)): int(n)
        for q, i, n in zip(meta.items[QUESTION], meta.items[ITEM], meta.items["id"], strict=True)
    }
    whens = []
    ids = []
    for key, row in eligible.iterrows():
        k = float(row["points"])
        if k < 2:
            continue
        ids.append(int(row["id"]))
        normal = (Answer.num - 1.0) * (100.0 / (k - 1))
        mirrored = (k - Answer.num) * (100.0 / (k - 1))
        own = [(q, i) for q, i in flipped if q == str(key)]
        if not own:
            expr: ColumnElement[Any] = normal
        elif (str(key), NONE) in own and not (meta.items[QUESTION] == key).any():
            expr = mirrored
        else:
            reversed_ids = [item_ids[p] for p in own if p in item_ids]
            expr = case((Answer.item_id.in_(reversed_ids), mirrored), else_=normal)
        whens.append((Answer.question_id == int(row["id"]), expr))
    return ids, case(*whens, else_=null()) if whens else null()


def _pair_filter(meta: SurveyMeta, pairs: set[Pair]) -> ColumnElement[bool]:
    """SQL condition: the answer's (question, item) is one of ``pairs``."""
    qid = {str(k): int(v) for k, v in meta.questions["id"].items()}
    item_ids = {
        (str(q), str(i)): int(n)
        for q, i, n in zip(meta.items[QUESTION], meta.items[ITEM], meta.items["id"], strict=True)
    }
    parts: list[ColumnElement[bool]] = []
    for question, item in sorted(pairs):
        if question not in qid:
            continue
        if item == NONE:
            parts.append(and_(Answer.question_id == qid[question], Answer.item_id.is_(None)))
        elif (question, item) in item_ids:
            parts.append(Answer.item_id == item_ids[(question, item)])
    return or_(*parts) if parts else literal(False)


def index_moments(
    conn: Connection, meta: SurveyMeta, filters: Filters, pairs: set[Pair] | None = None
) -> pd.DataFrame:
    """The per-respondent Handlungsfeld scores, aggregated: per field, group and breakdown
    answer the number of respondents ``n``, the sum ``total`` and the sum of squares
    ``squares`` of their scores (each respondent's mean over their items of the field).

    ``pairs`` limits the items (the baseline comparison uses the items both surveys share).
    """
    ids, score = _score(meta)
    field_of = dict(zip(meta.questions["id"].astype(int), meta.questions[FIELD], strict=True))
    fields = [f for f in meta.fields.index if any(field_of[q] == f for q in ids)]
    # One group per respondent with a column per field (not one per respondent and field):
    # a sixth of the groups for the database to hold while it aggregates.
    per_field = [
        func.avg(case((Answer.question_id.in_([q for q in ids if field_of[q] == f]), score))).label(
            f"s{n}"
        )
        for n, f in enumerate(fields)
    ]
    inner = _where(
        select(
            Answer.response_id.label("response_id"),
            Response.target_group_id.label("group_id"),
            *per_field,
        )
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.question_id.in_(ids or [-1]), Answer.num.is_not(None)),
        meta.survey_id,
        filters,
    ).group_by(Answer.response_id, Response.target_group_id)
    if pairs is not None:
        inner = inner.where(_pair_filter(meta, pairs))
    per = inner.subquery()
    joins = _breakdown_joins(meta) if pairs is None else []
    chosen = [func.coalesce(sub.c.option_id, 0) for _name, sub in joins]
    source: Any = per
    for _name, sub in joins:
        source = source.outerjoin(sub, sub.c.response_id == per.c.response_id)
    sums = []
    for n in range(len(fields)):
        column = per.c[f"s{n}"]
        sums += [func.count(column), func.sum(column), func.sum(column * column)]
    stmt: Select[Any] = (
        select(per.c.group_id, *chosen)
        .add_columns(*sums)
        .select_from(source)
        .group_by(per.c.group_id, *chosen)
    )
    rows = conn.execute(stmt).all() if fields else []
    width = 1 + len(joins)
    records = []
    for row in rows:
        for n, f in enumerate(fields):
            count, total, squares = row[width + 3 * n : width + 3 * n + 3]
            if count:
                records.append((f, row[0], *row[1:width], count, total, squares))
    frame = pd.DataFrame(
        {
            FIELD: [r[0] for r in records],
            GROUP: _group_codes(meta, np.array([r[1] for r in records], dtype=float)),
        }
    )
    for offset, (name, _sub) in enumerate(joins, start=2):
        frame[name] = _option_keys(meta, np.array([r[offset] or 0 for r in records], dtype=float))
    frame["n"] = np.array([r[width + 1] for r in records], dtype=np.int64)
    frame["total"] = np.array([r[width + 2] for r in records], dtype=float)
    frame["squares"] = np.array([r[width + 3] for r in records], dtype=float)
    return frame


def _driver_chunks(
    conn: Connection, stmt: Select[*tuple[Any, ...]], size: int
) -> Iterator[Sequence[tuple[Any, ...]]]:
    """The rows of ``stmt`` as the driver's plain tuples, ``size`` at a time, on the
    connection's transaction: through a server-side cursor on PostgreSQL (the client never
    holds the whole result), a plain cursor elsewhere (SQLite steps through its result).
    Without SQLAlchemy's result rows, a million texts come in half the time."""
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup or ())
    raw: Any = conn.connection.dbapi_connection
    named = conn.dialect.name == "postgresql"
    cursor = raw.cursor(name="analysis_texts") if named else raw.cursor()
    try:
        cursor.execute(str(compiled), params)
        while rows := cursor.fetchmany(size):
            yield rows
    finally:
        cursor.close()


def load_texts_streamed(conn: Connection, meta: SurveyMeta, filters: Filters) -> pd.DataFrame:
    """Every non-empty text answer with its group, channel, language, Handlungsfeld, question
    and kind, fetched in chunks through a server-side cursor where the driver has one
    (:func:`_driver_chunks`)."""
    kinds = meta.questions[KIND]
    text_ids = [int(i) for i in meta.questions.loc[kinds.isin(TEXT_KINDS), "id"]] or [-1]
    stmt = _where(
        select(
            Answer.response_id,
            Answer.question_id,
            Response.target_group_id,
            Response.channel,
            Response.language,
            Answer.text,
        )
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.question_id.in_(text_ids))
        .where(Answer.text.is_not(None))
        .where(Answer.text != ""),
        meta.survey_id,
        filters,
    )
    # Each chunk becomes small-integer arrays at once: only the texts stay Python objects,
    # and nothing of a million rows is held twice.
    question_ids = meta.questions["id"].to_numpy()
    question_numbers = np.arange(len(meta.questions), dtype=np.int32)
    group_ids = meta.groups["id"].to_numpy()
    group_numbers = np.arange(len(meta.groups), dtype=np.int32)
    parts: dict[str, list[np.ndarray]] = {c: [] for c in (RESPONSE, QUESTION, GROUP, CHANNEL)}
    parts[LANGUAGE] = []
    texts: list[Any] = []
    language_codes: dict[str, int] = {}
    channel_codes = {c: i for i, c in enumerate(CHANNELS)}
    for partition in _driver_chunks(conn, stmt, TEXT_CHUNK):
        columns = list(zip(*partition, strict=True))
        parts[RESPONSE].append(np.array(columns[0], dtype=np.int64))
        ids = np.array(columns[1:3], dtype=np.float64)
        parts[QUESTION].append(_codes(question_ids, question_numbers, ids[0]))
        parts[GROUP].append(_codes(group_ids, group_numbers, ids[1]))
        # A few distinct channels and languages: each looked up once per chunk.
        codes, distinct = pd.factorize(np.asarray(columns[3], dtype=object), use_na_sentinel=False)
        lookup = [channel_codes.get(str(c), -1) for c in distinct]
        parts[CHANNEL].append(np.array(lookup, dtype=np.int8)[codes])
        codes, distinct = pd.factorize(np.asarray(columns[4], dtype=object), use_na_sentinel=False)
        lookup = [language_codes.setdefault(str(c or "de"), len(language_codes)) for c in distinct]
        parts[LANGUAGE].append(np.array(lookup, dtype=np.int32)[codes])
        texts.extend(columns[5])
        del columns

    def joined(column: str, dtype: Any) -> np.ndarray:
        chunks = parts.pop(column)
        out: np.ndarray = np.concatenate(chunks) if chunks else np.empty(0, dtype=dtype)
        return out

    question_pos = joined(QUESTION, np.int32)
    questions = meta.questions
    field_of = pd.Categorical(questions[FIELD].to_numpy(), categories=[NONE, *meta.fields.index])
    kind_of = pd.Categorical(questions[KIND].to_numpy())
    return pd.DataFrame(
        {
            RESPONSE: joined(RESPONSE, np.int64),
            GROUP: _categorical(joined(GROUP, np.int32), list(meta.groups.index)),
            CHANNEL: _categorical(joined(CHANNEL, np.int8), CHANNELS),
            FIELD: pd.Categorical.from_codes(field_of.codes[question_pos], dtype=field_of.dtype),
            QUESTION: _categorical(question_pos, list(questions.index)),
            # Categoricals: a million comments carry small codes, not a million pointers.
            KIND: pd.Categorical.from_codes(kind_of.codes[question_pos], dtype=kind_of.dtype),
            TEXT: texts,
            LANGUAGE: _categorical(joined(LANGUAGE, np.int32), list(language_codes)),
        }
    )
