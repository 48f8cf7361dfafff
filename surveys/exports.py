"""Raw export of anonymous responses (one row per response) and its codebook, as CSV or XLSX.

Every cell passes :func:`neutralise`, so spreadsheet programs never run a typed-in formula.
"""

from __future__ import annotations

import io
from collections.abc import Hashable, Iterator
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select

from surveys.conditions import describe_condition
from surveys.db import SessionLike
from surveys.models import Answer, Channel, Question, Response, Survey, TargetGroup
from surveys.question_types import spec_for
from surveys.spreadsheet import BOM, csv_writer, neutralise
from surveys.translations import LANGUAGES
from surveys.xlsx_stream import xlsx_chunks as stream_workbook

META_COLUMNS = ("response_id", "submitted_on", "target_group", "channel", "language")
#: Codebook text of the ``language`` column (free texts are exported as written).
LANGUAGE_TEXT = (
    "Sprache, in der der Fragebogen ausgefüllt wurde; Freitexte dieses Antwortbogens stehen "
    "so, wie sie geschrieben wurden (nicht übersetzt)"
)


def columns(survey: Survey) -> list[tuple[str, Question, Any]]:
    """Return ``(column name, question, part)``; each type names its columns
    (:meth:`~surveys.question_types.QuestionTypeSpec.export_columns`)."""
    return [
        (name, q, part)
        for q in survey.questions()
        for name, part in spec_for(q.type).export_columns(q)
    ]


def _slots(cols: list[tuple[str, Question, Any]]) -> dict[tuple[int, Hashable], int]:
    """Column index of each (question id, slot) an answer row can go to.

    Each type tells its columns apart (a matrix by item, multiple choice by option, a
    number matrix by both; most types have one column per question).
    """
    return {
        (question.id, spec_for(question.type).export_slot(part)): index
        for index, (_name, question, part) in enumerate(cols)
    }


#: Responses read (with their answers) per database round trip of an export.
EXPORT_BATCH = 2000


class _Row(NamedTuple):
    """One response of an export: what the meta columns show and its answer rows."""

    submitted_on: date
    target_group: str
    channel: str
    language: str
    answers: list[Any]


def _responses_in_batches(
    session: SessionLike, survey: Survey, size: int | None = None
) -> Iterator[_Row]:
    """Every response of ``survey`` by id, with its answers, ``size`` responses per round trip.

    Plain rows, not ORM objects (keyset pagination over the response id, then the answers of
    that id range): an export of 100,000 responses holds one batch in memory and builds no
    object per answer.
    """
    size = size or EXPORT_BATCH
    last = 0
    while True:
        batch = session.execute(
            select(
                Response.id,
                Response.submitted_on,
                TargetGroup.key,
                Response.channel,
                Response.language,
            )
            .join(TargetGroup, TargetGroup.id == Response.target_group_id)
            .where(Response.survey_id == survey.id, Response.id > last)
            .order_by(Response.id)
            .limit(size)
        ).all()
        if not batch:
            return
        answers: dict[int, list[tuple[Any, ...]]] = {row[0]: [] for row in batch}
        for rid, *answer in session.execute(
            select(
                Answer.response_id,
                Answer.question_id,
                Answer.item_id,
                Answer.option_id,
                Answer.num,
                Answer.text,
                Answer.dont_know,
            )
            .join(Response, Response.id == Answer.response_id)
            .where(
                Response.survey_id == survey.id,
                Answer.response_id > last,
                Answer.response_id <= batch[-1][0],
            )
        ):
            answers[rid].append(tuple(answer))
        for rid, submitted_on, group, channel, language in batch:
            yield _Row(submitted_on, group, Channel(channel).value, language, answers[rid])
        last = batch[-1][0]


def response_rows(session: SessionLike, survey: Survey) -> Iterator[list[Any]]:
    """Yield the header, then one row per response (by response id), cells neutralised."""
    cols = columns(survey)
    slots = _slots(cols)
    specs = {q.id: spec_for(q.type) for q in survey.questions()}
    options = {o.id: o.code for q in survey.questions() for o in q.options}
    yield [*META_COLUMNS, *(name for name, _, _ in cols)]
    for number, response in enumerate(_responses_in_batches(session, survey), start=1):
        cells: list[Any] = [""] * len(cols)
        for qid, item_id, option_id, num, text, dont_know in response.answers:
            spec = specs.get(qid)
            if spec is None:
                continue
            index = slots.get((qid, spec.row_slot(item_id, option_id)))
            if index is not None:
                value = "dk" if dont_know else spec.export_value(option_id, num, text, options)
                cells[index] = neutralise(value) if isinstance(value, str) else value
        # A running number instead of the database id: nothing to correlate with other tables.
        meta = [
            number,
            response.submitted_on.isoformat(),
            response.target_group,
            response.channel,
            response.language,
        ]
        yield [neutralise(v) for v in meta] + cells


def codebook_rows(survey: Survey) -> Iterator[list[Any]]:
    """Yield the codebook: column, question key, question text, type, value, label."""
    yield ["column", "question", "text", "type", "value", "label"]
    yield [
        "response_id",
        "",
        "Laufende Nummer des Antwortbogens (nicht gespeichert)",
        "meta",
        "",
        "",
    ]
    yield ["submitted_on", "", "Tag des Eingangs (nur das Datum)", "meta", "", ""]
    for group in survey.target_groups:
        yield ["target_group", "", "Zielgruppe", "meta", group.key, neutralise(group.label)]
    yield ["channel", "", "Weg", "meta", "online", "online ausgefüllt"]
    yield ["channel", "", "Weg", "meta", "paper", "Papierbogen, von der Verwaltung erfasst"]
    for code, info in LANGUAGES.items():
        label = (
            info["german"]
            if info["german"] == info["name"]
            else f"{info['german']} – {info['name']}"
        )
        yield ["language", "", LANGUAGE_TEXT, "meta", code, label]
    by_key = {q.key: q for q in survey.questions()}
    described: set[str] = set()
    for name, q, part in columns(survey):
        if q.condition and q.key not in described:
            # One row per conditional question: who was asked it (an empty cell otherwise
            # means "not asked", not "not answered").
            described.add(q.key)
            note = "nur gefragt, wenn " + describe_condition(q.condition, by_key)
            yield [neutralise(v) for v in [name, q.key, q.text, q.type.value, "", note]]
        spec = spec_for(q.type)
        text = q.text if part is None else f"{q.text} – {spec.part_text(part)}"
        base = [name, q.key, text, q.type.value]
        for value, label in spec.codebook_values(q, part):
            yield [neutralise(v) for v in [*base, value, label]]


def csv_chunks(session: SessionLike, survey: Survey, rows_per_chunk: int = 200) -> Iterator[str]:
    """The responses as CSV (semicolon-separated, with a BOM, as German Excel expects), in
    pieces of ``rows_per_chunk`` rows: a web response can send each piece as it is written."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv_writer(buffer)
    for number, row in enumerate(response_rows(session, survey), start=1):
        writer.writerow(row)
        if number % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def to_csv(session: SessionLike, survey: Survey) -> str:
    """Return the responses as one CSV text (see :func:`csv_chunks`)."""
    return "".join(csv_chunks(session, survey))


def xlsx_chunks(session: SessionLike, survey: Survey) -> Iterator[bytes]:
    """The workbook with the sheets "Antworten" and "Codebuch" in pieces, as it is written
    (:mod:`surveys.xlsx_stream`: flat memory, sent while the rest is still being made).

    Text cells are already neutralised and stay text; the day of arrival and the answers of
    types with typed workbook cells (a Datum) are date cells.
    """
    day = META_COLUMNS.index("submitted_on")
    typed = [
        (len(META_COLUMNS) + index, spec_for(question.type))
        for index, (_name, question, _part) in enumerate(columns(survey))
        if spec_for(question.type).typed_workbook_cells
    ]

    def answers() -> Iterator[list[Any]]:
        for number, row in enumerate(response_rows(session, survey)):
            if number:  # the day of arrival as a date cell, not as text
                row[day] = date.fromisoformat(str(row[day]))
                for index, spec in typed:
                    row[index] = spec.workbook_cell(row[index])
            yield row

    return stream_workbook([("Antworten", answers()), ("Codebuch", codebook_rows(survey))])


def to_xlsx(session: SessionLike, survey: Survey) -> bytes:
    """Return the workbook of :func:`xlsx_chunks` as one piece."""
    return b"".join(xlsx_chunks(session, survey))
