"""CSV export and import of measure status updates.

Columns (header row required, ``;`` or ``,`` separated, UTF-8 or Windows-1252):

=============== ======== =================================================================
column          required meaning
=============== ======== =================================================================
massnahme       yes      code of the measure, e.g. ``3.1.2`` (Handlungsfeld.Ziel.Maßnahme)
datum           yes      date of the update, ``TT.MM.JJJJ`` or ``JJJJ-MM-TT``, not in the future
status          yes      geplant, begonnen, umgesetzt, zurückgestellt, nicht umgesetzt
notiz           no       note; required for zurückgestellt and nicht umgesetzt
indikatorwert   no       value of the measure's indicator at that date
oeffentlich     no       ``ja`` to show the update on the public accountability page
handlungsfeld,  no       exported for orientation, ignored on import
titel
=============== ======== =================================================================

Import is all or nothing: every row is checked first and every problem reported with its
line number; rows equal to an existing update are skipped, so re-importing an export is safe.
Exported cells starting with ``= + - @`` (or tab/CR) get a leading apostrophe so that
spreadsheet programs do not run them as formulas; import removes that apostrophe again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from surveys.db import SessionLike
from surveys.errors import DomainError, ValidationError
from surveys.i18n import N_
from surveys.models import GoalAgreement, Measure
from surveys.spreadsheet import csv_writer, neutralise, unneutralise
from surveys.workshop.tracking import UpdateInput, add_status_update, parse_update, tracked_measures

COLUMNS = (
    "massnahme",
    "handlungsfeld",
    "titel",
    "datum",
    "status",
    "notiz",
    "indikatorwert",
    "oeffentlich",
)
REQUIRED = ("massnahme", "datum", "status")
MAX_ROWS = 5000
FIELD_TO_COLUMN = {
    "recorded_on": "datum",
    "status": "status",
    "note": "notiz",
    "indicator_value": "indikatorwert",
}


def export_status_csv(agreement: GoalAgreement) -> str:
    """Return every status update of the newest version as CSV text (one row per update).

    Measures without updates get one row without date and status, as a template to fill in.
    """
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(COLUMNS)
    for measure in tracked_measures(agreement):
        base = [measure.code, measure.goal.handlungsfeld.title, measure.title]
        if not measure.updates:
            writer.writerow([neutralise(v) for v in [*base, "", "", "", "", ""]])
        for u in measure.updates:
            row = [
                *base,
                f"{u.recorded_on:%d.%m.%Y}",
                u.status.value,
                u.note,
                u.indicator_value,
                "ja" if u.public else "nein",
            ]
            writer.writerow([neutralise(v) for v in row])
    return out.getvalue()


@dataclass(frozen=True)
class RowError:
    """A problem in one line (1 = header) and column of an uploaded CSV file."""

    line: int
    column: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


class CsvImportError(DomainError):
    """Raised when an uploaded file cannot be imported; holds every :class:`RowError`."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    """How many updates an import created and how many rows it skipped as already known."""

    created: int
    skipped: int


def decode(data: bytes) -> str:
    """Decode an uploaded file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def import_status_csv(
    session: SessionLike,
    agreement: GoalAgreement,
    text: str,
    actor: str,
    today: date,
    user_id: int | None = None,
) -> ImportResult:
    """Check every row of ``text`` and, only if all are valid, record the updates."""
    rows, errors = _read(text)
    measures = {m.code: m for m in tracked_measures(agreement)}
    parsed: list[tuple[Measure, UpdateInput]] = []
    for line, row in rows:
        code = row.get("massnahme", "")
        if not row.get("datum") and not row.get("status") and not row.get("notiz"):
            continue  # template row of a measure without updates, left empty
        measure = measures.get(code)
        if measure is None:
            errors.append(
                RowError(
                    line,
                    "massnahme",
                    N_("Eine Maßnahme „%(code)s“ gibt es nicht."),
                    {"code": code[:40]},
                )
            )
        form = {
            "recorded_on": row.get("datum", ""),
            "status": row.get("status", ""),
            "note": row.get("notiz", ""),
            "indicator_value": row.get("indikatorwert", ""),
            "public": row.get("oeffentlich", ""),
        }
        try:
            data = parse_update(form, today)
        except ValidationError as exc:
            errors.extend(
                RowError(line, FIELD_TO_COLUMN.get(e.field, e.field), e.message, e.params)
                for e in exc.errors
            )
            continue
        if measure is not None:
            parsed.append((measure, data))
    if errors:
        raise CsvImportError(sorted(errors, key=lambda e: e.line))
    created = skipped = 0
    for measure, data in parsed:
        if any(_same(u, data) for u in measure.updates):
            skipped += 1
            continue
        add_status_update(session, measure, data, actor, user_id)
        created += 1
    return ImportResult(created=created, skipped=skipped)


def _same(update: Any, data: UpdateInput) -> bool:
    return bool(
        update.recorded_on == data.recorded_on
        and update.status == data.status
        and update.note == data.note
        and update.indicator_value == data.indicator_value
    )


def _read(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """Return ``(line, row)`` pairs with lower-case column names and header errors."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [RowError(1, "", N_("Die Datei ist leer."))]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [], [
            RowError(1, c, N_("Die Spalte „%(column)s“ fehlt in der Kopfzeile."), {"column": c})
            for c in missing
        ]
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            errors.append(
                RowError(line, "", N_("Höchstens %(max)s Zeilen je Datei."), {"max": MAX_ROWS})
            )
            break
        if len(cells) > len(header):
            errors.append(RowError(line, "", N_("Die Zeile hat mehr Spalten als die Kopfzeile.")))
            continue
        rows.append(
            (line, {h: unneutralise(c.strip()) for h, c in zip(header, cells, strict=False)})
        )
    return rows, errors
