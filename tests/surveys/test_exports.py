"""Raw export helpers: spreadsheet neutralisation and column layout."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from surveys.exports import codebook_rows, response_rows
from surveys.models import Channel
from surveys.monitoring import counts_by_group_and_channel, counts_by_week
from surveys.queries import target_group_by_key
from surveys.responses import store_response
from surveys.spreadsheet import neutralise
from tests.surveys.designer_helpers import add_question, make_section, make_survey


@pytest.mark.parametrize("value", ["=1+1", "+49 171", "-2", "@SUM(A1)", "\tx", "\rx", "\nx"])
def test_formula_like_text_is_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Kita", "", "1=1", -2, 3.5, None])
def test_other_values_are_unchanged(value: object) -> None:
    assert neutralise(value) == value


def test_rows_and_codebook(session: Session) -> None:
    survey = make_survey(session)
    section = make_section(session, survey)
    add_question(session, section, "wahl", "single")
    add_question(session, section, "mehr", "multi", other=True)
    add_question(session, section, "rang", "ranking")
    add_question(session, section, "jn", "yesno")
    families = target_group_by_key(session, "familien")
    seniors = target_group_by_key(session, "senioren")
    assert families and seniors
    answers = {
        "wahl": "nein",
        "mehr": {"choices": ["ja"], "other": "@home"},
        "rang": ["weiss", "ja", "nein"],
        "jn": False,
    }
    store_response(session, survey, families, answers, today=date(2026, 5, 6))
    store_response(session, survey, seniors, {}, today=date(2026, 5, 12), channel=Channel.PAPER)
    session.flush()
    rows = list(response_rows(session, survey))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["wahl"] == "nein"
    assert first["mehr.ja"] == 1 and first["mehr.nein"] == "" and first["mehr.other"] == "'@home"
    assert (first["rang.weiss"], first["rang.ja"], first["rang.nein"]) == (1, 2, 3)
    assert first["jn"] == 0
    second = dict(zip(header, rows[2], strict=True))
    assert second["channel"] == "paper" and second["response_id"] == 2
    book = list(codebook_rows(survey))
    assert ["wahl", "wahl", "Frage wahl", "single", "ja", "Ja"] in book
    assert ["target_group", "", "Zielgruppe", "meta", "familien", "Familien"] in book
    assert any(row[0] == "channel" and row[4] == "paper" for row in book)
    weeks = counts_by_week(session, survey)
    assert weeks.rows == ["2026-05-04", "2026-05-11"]
    groups = counts_by_group_and_channel(session, survey)
    assert groups.cells[("Familien", "online")] == 1
    assert groups.total("paper") == 1


def test_free_text_carries_its_language_and_the_codebook_explains_the_codes(
    session: Session,
) -> None:
    survey = make_survey(session)
    section = make_section(session, survey)
    add_question(session, section, "frei", "text")
    families = target_group_by_key(session, "familien")
    assert families
    store_response(
        session,
        survey,
        families,
        {"frei": "Kreşlerde daha fazla yer olmalı."},
        today=date(2026, 5, 6),
        language="tr",
    )
    store_response(session, survey, families, {"frei": "Mehr Kita-Plätze"}, today=date(2026, 5, 7))
    session.flush()
    header, *rows = list(response_rows(session, survey))
    by_language = {r[header.index("language")]: r[header.index("frei")] for r in rows}
    assert by_language == {"tr": "Kreşlerde daha fazla yer olmalı.", "de": "Mehr Kita-Plätze"}
    book = {row[4]: row for row in codebook_rows(survey) if row[0] == "language"}
    assert set(book) == {"de", "de-LS", "en", "tr", "ar"}
    assert book["de"][5] == "Deutsch"
    assert book["de-LS"][5].startswith("Deutsch in Leichter Sprache")
    assert book["en"][5] == "Englisch – English"
    assert book["tr"][5] == "Türkisch – Türkçe"
    assert book["ar"][5].startswith("Arabisch") and book["ar"][5].endswith("العربية")
    assert "Freitexte" in book["de"][2] and "nicht übersetzt" in book["de"][2]


def test_export_reads_in_batches_and_streams_the_same_csv(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csv
    import io

    from surveys import exports

    survey = make_survey(session)
    section = make_section(session, survey)
    add_question(session, section, "wahl", "single")
    families = target_group_by_key(session, "familien")
    assert families
    for n in range(7):
        choice = "ja" if n % 2 else "nein"
        store_response(session, survey, families, {"wahl": choice}, today=date(2026, 5, 1 + n))
    session.flush()
    whole = exports.to_csv(session, survey)
    monkeypatch.setattr(exports, "EXPORT_BATCH", 3)  # three round trips: 3 + 3 + 1
    pieces = list(exports.csv_chunks(session, survey, rows_per_chunk=2))
    assert len(pieces) == 5 and "".join(pieces) == whole and whole.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(whole[1:]), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, 8)]  # every response once
    assert [r[-1] for r in rows[1:]] == ["nein", "ja", "nein", "ja", "nein", "ja", "nein"]
    assert survey in session  # the survey itself stays; only the responses are let go
