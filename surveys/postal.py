"""Surveys by post: code batches per target group and stratum, address lists, code sheets.

Addresses are parsed from an uploaded CSV only to render letters; nothing here stores or
logs them, and they are never part of an error message (row numbers only). Codes are
returned in plain text once, for the letters or the print shop's code sheet, and stored
only as hashes (:mod:`surveys.access_codes`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import segno
from sqlalchemy import select

from surveys.access_codes import MAX_BATCH, new_codes, store_codes
from surveys.db import SessionLike
from surveys.errors import FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import AccessMode, CodeBatch, Survey, TargetGroup
from surveys.spreadsheet import BOM, csv_writer, neutralise

#: Most letters one PDF holds: WeasyPrint takes about 40 ms a letter, so 500 letters take
#: about 20 s, well inside gunicorn's 60 s timeout. Larger mailings are split into several
#: batches (one per stratum usually is) or printed from the code sheet.
MAX_LETTERS = 500
#: DIN 5008: the address zone has room for six lines.
MAX_ADDRESS_LINES = 6
MAX_LINE = 80
MAX_STRATUM = 120

NOT_CODE_MODE = N_(
    "Briefe mit Zugangscodes gibt es nur für Umfragen mit der Zugangsart "
    "„Nur mit Zugangscode“. Bitte stellen Sie die Zugangsart zuerst um."
)


@dataclass(frozen=True)
class Letter:
    """One letter: the address lines (maybe none) and the code (``None`` for reminders)."""

    address: tuple[str, ...]
    code: str | None


def _field_error(field: str, message: str, **params: object) -> ValidationError:
    return ValidationError([FieldError(field, message, dict(params))])


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise _field_error(
            "addresses", N_("Die Datei ist keine CSV-Datei. Bitte laden Sie eine CSV-Datei hoch.")
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _field_error(  # pragma: no cover - cp1252 decodes almost every byte
        "addresses", N_("Die Datei ist keine CSV-Datei. Bitte laden Sie eine CSV-Datei hoch.")
    )


def _lines(header: list[str], row: list[str]) -> list[str]:
    """Address lines of one row: every filled cell, "PLZ" and "Ort" joined on one line."""
    named = {h.strip().lower(): i for i, h in enumerate(header)}
    postcode, town = named.get("plz"), named.get("ort")
    lines: list[str] = []
    for index, cell in enumerate(row):
        text = " ".join(cell.split())
        if index == town and postcode is not None:
            continue
        if index == postcode and town is not None and town < len(row):
            text = " ".join(f"{text} {row[town]}".split())
        if text:
            lines.append(text)
    return lines


def parse_addresses(data: bytes) -> list[tuple[str, ...]]:
    """Parse an address list: a header row, then one address per row, cells in order.

    Separator ``;`` or ``,``, UTF-8 or Windows-1252. Raises :class:`ValidationError` on the
    field ``addresses`` with a German message naming the row (never its content).
    """
    text = _decode(data).replace("\r\n", "\n")
    if not text.strip():
        raise _field_error("addresses", N_("Die Adressdatei ist leer."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise _field_error(
            "addresses",
            N_("Die Adressdatei ist keine gültige CSV-Datei (Zeile %(line)s)."),
            line=getattr(exc, "line_num", 0) or 1,
        ) from None
    header, body = (
        rows[0],
        [(n, r) for n, r in enumerate(rows[1:], start=2) if any(map(str.strip, r))],
    )
    if not body:
        raise _field_error(
            "addresses",
            N_("Die Adressdatei hat keine Adressen: nach der Kopfzeile folgt keine Zeile."),
        )
    if len(body) > MAX_LETTERS:
        raise _field_error(
            "addresses",
            N_("Höchstens %(max)s Adressen je Datei; teilen Sie den Versand auf mehrere auf."),
            max=MAX_LETTERS,
        )
    addresses = []
    for number, row in body:
        lines = _lines(header, row)
        if len(lines) > MAX_ADDRESS_LINES:
            raise _field_error(
                "addresses",
                N_("Zeile %(line)s hat mehr als %(max)s Adresszeilen (DIN 5008)."),
                line=number,
                max=MAX_ADDRESS_LINES,
            )
        if any(len(line) > MAX_LINE for line in lines):
            raise _field_error(
                "addresses",
                N_("Zeile %(line)s hat eine Adresszeile mit mehr als %(max)s Zeichen."),
                line=number,
                max=MAX_LINE,
            )
        addresses.append(tuple(lines))
    return addresses


def require_code_mode(survey: Survey, field: str = "addresses") -> None:
    """Refuse letters with codes unless the survey asks for access codes."""
    if survey.access_mode != AccessMode.CODE:
        raise _field_error(field, NOT_CODE_MODE)


def check_batch(stratum: str, count: int | None, letters_sent: int | None) -> list[FieldError]:
    """Return the errors of a new batch's stratum, code count and letters sent.

    ``count`` ``None`` means it is not known yet (the address file was refused).
    """
    stratum = " ".join(stratum.split())
    errors = []
    if not stratum:
        errors.append(
            FieldError("stratum", N_("Bitte geben Sie die Schicht an, z. B. den Stadtteil."))
        )
    elif len(stratum) > MAX_STRATUM:
        errors.append(FieldError("stratum", N_("Höchstens %(max)s Zeichen."), {"max": MAX_STRATUM}))
    if count is None:
        return errors
    if not 1 <= count <= MAX_BATCH:
        errors.append(
            FieldError(
                "count", N_("Bitte geben Sie eine Anzahl von 1 bis %(max)s an."), {"max": MAX_BATCH}
            )
        )
    elif letters_sent is not None and not 0 <= letters_sent <= count:
        errors.append(
            FieldError(
                "letters_sent",
                N_("Verschickt werden können 0 bis %(max)s Briefe (so viele Codes gibt es)."),
                {"max": count},
            )
        )
    return errors


def create_batch(
    session: SessionLike,
    survey: Survey,
    *,
    stratum: str,
    target_group: TargetGroup | None,
    count: int,
    letters_sent: int | None,
    today: date,
) -> tuple[CodeBatch, list[str]]:
    """Make a batch of ``count`` codes for one mailing; return it and the codes (shown once).

    ``letters_sent`` defaults to ``count``. Nothing about the addressees is stored.
    """
    stratum = " ".join(stratum.split())
    errors = check_batch(stratum, count, letters_sent)
    if errors:
        raise ValidationError(errors)
    batch = CodeBatch(
        survey_id=survey.id,
        target_group_id=target_group.id if target_group else None,
        stratum=stratum,
        codes_count=count,
        letters_sent=count if letters_sent is None else letters_sent,
        paper_returns=0,
        created_on=today,
    )
    session.add(batch)
    session.flush()
    codes = new_codes(count)
    store_codes(session, survey, codes, batch.id)
    return batch, codes


def batches_of(session: SessionLike, survey: Survey) -> list[CodeBatch]:
    """Return the survey's batches, oldest first."""
    return list(
        session.scalars(
            select(CodeBatch).where(CodeBatch.survey_id == survey.id).order_by(CodeBatch.id)
        )
    )


def batch_of(session: SessionLike, survey: Survey, batch_id: int) -> CodeBatch | None:
    """Return the survey's batch with this id, or ``None`` (another survey's counts as none)."""
    batch = session.get(CodeBatch, batch_id)
    return batch if batch is not None and batch.survey_id == survey.id else None


def count_paper_return(session: SessionLike, batch: CodeBatch) -> None:
    """Count one paper questionnaire returned for ``batch`` without a code."""
    batch.paper_returns = (batch.paper_returns or 0) + 1
    session.flush()


def qr_svg_data_uri(url: str) -> str:
    """Return a QR code of ``url`` as an SVG data URI (error correction M, 4-module border)."""
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=4))


def code_sheet_csv(codes: list[str], links: list[str], batch: CodeBatch) -> str:
    """Return the print shop's code sheet: number, code, link, target group, stratum.

    Semicolon-separated UTF-8 with BOM (what Excel opens directly); every cell neutralised.
    """
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["nr", "code", "link", "zielgruppe", "schicht"])
    group = batch.target_group.label if batch.target_group else ""
    for number, (code, link) in enumerate(zip(codes, links, strict=True), start=1):
        writer.writerow([neutralise(v) for v in (number, code, link, group, batch.stratum)])
    return BOM + out.getvalue()
