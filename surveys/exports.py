"""Raw export of anonymous responses (one row per response) and its codebook, as CSV or XLSX.

Every cell passes :func:`neutralise`, so spreadsheet programs never run a typed-in formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import select

from surveys.conditions import describe_condition
from surveys.db import SessionLike
from surveys.models import Answer, Channel, Question, QuestionType, Response, Survey, TargetGroup
from surveys.question_types.scale import dont_know_label, scale_labels
from surveys.spreadsheet import BOM, csv_writer, neutralise
from surveys.translations import LANGUAGES

META_COLUMNS = ("response_id", "submitted_on", "target_group", "channel", "language")
#: Codebook text of the ``language`` column (free texts are exported as written).
LANGUAGE_TEXT = (
    "Sprache, in der der Fragebogen ausgefüllt wurde; Freitexte dieses Antwortbogens stehen "
    "so, wie sie geschrieben wurden (nicht übersetzt)"
)


def columns(survey: Survey) -> list[tuple[str, Question, Any]]:
    """Return ``(column name, question, part)``; part is an item, an option or ``None``."""
    cols: list[tuple[str, Question, Any]] = []
    for q in survey.questions():
        if q.type == QuestionType.MATRIX:
            cols += [(f"{q.key}.{i.key}", q, i) for i in q.items]
        elif q.type in (QuestionType.MULTI, QuestionType.RANKING):
            cols += [(f"{q.key}.{o.code}", q, o) for o in q.options]
            if q.type == QuestionType.MULTI and (q.settings or {}).get("other"):
                cols.append((f"{q.key}.other", q, "other"))
        else:
            cols.append((q.key, q, None))
    return cols


def _cell(
    kind: QuestionType,
    option_id: int | None,
    num: Any,
    text: str | None,
    dont_know: bool,
    codes: dict[int, str],
) -> Any:
    """The cell of one stored answer (its columns, as they come from the database)."""
    if dont_know:
        return "dk"
    if kind == QuestionType.SINGLE:
        return codes.get(option_id or 0, "")
    if kind == QuestionType.YESNO:
        return int(num) if num is not None else ""
    if text is not None:
        return text
    if num is not None:
        return int(num) if float(num).is_integer() else num
    return ""


def _slots(cols: list[tuple[str, Question, Any]]) -> dict[tuple[int, int | None], int]:
    """Column index of each (question id, item or option id) an answer row can carry.

    Matrix answers are told apart by their item, multiple choice and ranking by their option
    ("other" has none), every other type has one column per question.
    """
    slots: dict[tuple[int, int | None], int] = {}
    for index, (_name, question, part) in enumerate(cols):
        part_id = None if part is None or isinstance(part, str) else part.id
        slots[(question.id, part_id)] = index
    return slots


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
    questions = {q.id: q for q in survey.questions()}
    # Which part of an answer row tells its column: the item (matrix), the option (multiple
    # choice, ranking) or nothing (one column per question).
    by_item = {qid for qid, q in questions.items() if q.type == QuestionType.MATRIX}
    by_option = {
        qid for qid, q in questions.items() if q.type in (QuestionType.MULTI, QuestionType.RANKING)
    }
    kinds = {qid: q.type for qid, q in questions.items()}
    options = {o.id: o.code for q in questions.values() for o in q.options}
    yield [*META_COLUMNS, *(name for name, _, _ in cols)]
    for number, response in enumerate(_responses_in_batches(session, survey), start=1):
        cells: list[Any] = [""] * len(cols)
        for qid, item_id, option_id, num, text, dont_know in response.answers:
            part = item_id if qid in by_item else option_id if qid in by_option else None
            index = slots.get((qid, part))
            if index is not None:
                value = _cell(kinds[qid], option_id, num, text, dont_know, options)
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
        text = (
            q.text
            if part is None
            else f"{q.text} – {getattr(part, 'text', None) or getattr(part, 'label', 'Sonstiges')}"
        )
        base = [name, q.key, text, q.type.value]
        if q.type in (QuestionType.LIKERT, QuestionType.MATRIX):
            for point, label in enumerate(scale_labels(q), start=1):
                yield [neutralise(v) for v in [*base, point, label]]
            if (q.settings or {}).get("dont_know"):
                yield [neutralise(v) for v in [*base, "dk", dont_know_label(q)]]
        elif q.type == QuestionType.SINGLE:
            for option in q.options:
                yield [neutralise(v) for v in [*base, option.code, option.label]]
        elif q.type == QuestionType.MULTI:
            yield [neutralise(v) for v in [*base, 1, "gewählt"]]
        elif q.type == QuestionType.RANKING:
            yield [neutralise(v) for v in [*base, "1..n", "Platz"]]
        elif q.type == QuestionType.YESNO:
            yield [neutralise(v) for v in [*base, 1, "ja"]]
            yield [neutralise(v) for v in [*base, 0, "nein"]]
        else:
            yield [
                neutralise(v)
                for v in [*base, "", "Freitext" if q.type == QuestionType.TEXT else "Zahl"]
            ]


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


def to_xlsx(session: SessionLike, survey: Survey) -> bytes:
    """Return a workbook with the sheets "Antworten" and "Codebuch"."""
    workbook = Workbook(write_only=True)
    answers = workbook.create_sheet("Antworten")
    answers.freeze_panes = "A2"
    day = META_COLUMNS.index("submitted_on")
    for number, row in enumerate(response_rows(session, survey)):
        if number:  # the day of arrival as a date cell, not as text
            arrived = datetime.combine(date.fromisoformat(str(row[day])), time())
            cell = WriteOnlyCell(answers, value=arrived)
            cell.number_format = "DD.MM.YYYY"
            row = [*row[:day], cell, *row[day + 1 :]]
        answers.append(row)
    codebook = workbook.create_sheet("Codebuch")
    for row in codebook_rows(survey):
        codebook.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
