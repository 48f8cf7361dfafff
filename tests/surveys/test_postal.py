"""Code batches, address lists and code sheets of postal surveys (domain level)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.access_codes import mark_key, redeem_access_code, used_per_batch
from surveys.errors import ValidationError
from surveys.models import AccessCode, AccessMode, Channel, TargetGroup
from surveys.postal import (
    batches_of,
    code_sheet_csv,
    create_batch,
    parse_addresses,
    qr_svg_data_uri,
    require_code_mode,
)
from surveys.random_codes import hash_code
from tests.factories import build_survey

KEY = mark_key("test")


def test_addresses_join_postcode_and_town_and_accept_windows_files() -> None:
    data = "Name;Zusatz;Straße;PLZ;Ort\r\nÖzlem Kaya;;Bahnhofstr. 1;27749;Delmenhorst\r\n"
    assert parse_addresses(data.encode("cp1252")) == [
        ("Özlem Kaya", "Bahnhofstr. 1", "27749 Delmenhorst")
    ]
    comma = "\ufeffname,ort\nA,B\n\n".encode()
    assert parse_addresses(comma) == [("A", "B")]


def test_address_errors_name_the_row_never_its_content() -> None:
    with pytest.raises(ValidationError) as info:
        parse_addresses(b"a;b;c;d;e;f;g\nGeheim;2;3;4;5;6;7\n")
    error = info.value.errors[0]
    assert error.field == "addresses" and error.params == {"line": 2, "max": 6}
    assert "Geheim" not in error.render()


def test_batches_count_used_codes_per_batch_without_a_stored_link(session: Session) -> None:
    survey = build_survey(session, access_mode=AccessMode.CODE)
    group = session.scalars(select(TargetGroup).filter_by(key="familien")).one()
    north, north_codes = create_batch(
        session, survey, stratum="  Nord  ", target_group=group, count=3, letters_sent=None,
        today=date(2026, 5, 4),
    )  # fmt: skip
    south, south_codes = create_batch(
        session, survey, stratum="Süd", target_group=None, count=2, letters_sent=1,
        today=date(2026, 5, 4),
    )  # fmt: skip
    assert [b.stratum for b in batches_of(session, survey)] == ["Nord", "Süd"]
    assert (north.letters_sent, south.letters_sent) == (3, 1)
    redeem_access_code(session, survey, north_codes[0], KEY)
    redeem_access_code(session, survey, north_codes[1], KEY, channel=Channel.PAPER)
    redeem_access_code(session, survey, south_codes[0], KEY)
    assert used_per_batch(session, survey, KEY) == {
        north.id: {Channel.ONLINE: 1, Channel.PAPER: 1},
        south.id: {Channel.ONLINE: 1},
    }
    assert used_per_batch(session, survey, mark_key("wrong")) == {}
    rows = session.scalars(select(AccessCode).filter_by(batch_id=north.id)).all()
    assert {r.code_hash for r in rows} == {hash_code(c) for c in north_codes}


def test_batch_rules(session: Session) -> None:
    survey = build_survey(session)
    with pytest.raises(ValidationError) as info:
        create_batch(
            session, survey, stratum="", target_group=None, count=0, letters_sent=None,
            today=date(2026, 5, 4),
        )  # fmt: skip
    assert {e.field for e in info.value.errors} == {"stratum", "count"}
    with pytest.raises(ValidationError):
        require_code_mode(survey)


def test_code_sheet_and_qr(session: Session) -> None:
    survey = build_survey(session, access_mode=AccessMode.CODE)
    batch, codes = create_batch(
        session, survey, stratum="@Mitte", target_group=None, count=2, letters_sent=None,
        today=date(2026, 5, 4),
    )  # fmt: skip
    sheet = code_sheet_csv(codes, ["-x", "y"], batch)
    assert sheet.startswith("\ufeffnr;code;link;zielgruppe;schicht\r\n")
    assert "1;" + codes[0] + ";'-x;;'@Mitte" in sheet
    assert qr_svg_data_uri("https://example.org/s/a/zugang?code=X").startswith("data:image/svg+xml")


def test_a_survey_with_mailings_but_no_responses_can_be_deleted(session: Session) -> None:
    from surveys.lifecycle import delete_survey
    from surveys.models import CodeBatch, SpentCode

    survey = build_survey(session, access_mode=AccessMode.CODE)
    _batch, codes = create_batch(
        session, survey, stratum="Mitte", target_group=None, count=2, letters_sent=2,
        today=date(2026, 5, 4),
    )  # fmt: skip
    redeem_access_code(session, survey, codes[0], KEY)  # e.g. a response deleted since
    session.flush()
    delete_survey(session, survey)
    session.expire_all()
    for model in (CodeBatch, AccessCode, SpentCode):
        assert session.scalars(select(model)).first() is None, model
