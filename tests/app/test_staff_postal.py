"""Befragung per Post: batches of codes per target group and stratum, letters (PDF with QR),
code sheets for a print shop and reminder letters; addresses are never stored or logged."""

from __future__ import annotations

import csv
import io
import logging
import os
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from surveys.models import AccessCode, AccessMode, AuditEvent, Base, CodeBatch, Role, Survey
from surveys.postal import MAX_LETTERS, qr_svg_data_uri
from surveys.random_codes import hash_code
from tests.app.staff_helpers import logged_in
from tests.factories import build_survey

ADDRESSES = (
    "Name;Straße;PLZ;Ort\n"
    "Familie Yılmaz;Lange Straße 12;27749;Delmenhorst\n"
    "Erika Mustermann;Am Wollepark 3;27749;Delmenhorst\n"
    "Herrn Jürgen Özdemir;Düsternortstraße 101;27755;Delmenhorst\n"
).encode()


def _survey(mode: AccessMode = AccessMode.CODE) -> Survey:
    survey = build_survey(db.session, access_mode=mode)
    db.session.commit()
    return survey


def _url(survey: Survey, tail: str = "") -> str:
    return f"/verwaltung/umfragen/{survey.id}/post{tail}"


def _batch_form(**fields: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"stratum": "Düsternort", "target_group": "familien",
                            "output": "letters", "contact": "Telefon 04221 99-0"}  # fmt: skip
    form.update(fields)
    return form


def _post(client: FlaskClient, survey: Survey, data: dict[str, Any], tail: str = "/versand"):  # noqa: ANN202
    return client.post(_url(survey, tail), data=data, content_type="multipart/form-data")


def pdf_text(data: bytes) -> str:
    """The text of a PDF (pdftotext), for checking what the letters say."""
    import subprocess  # noqa: S404 - poppler-utils, a test dependency

    done = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def keep_pdf(data: bytes, name: str) -> None:
    """Save the PDF when FK_PDFS is set (to look at it: pdftoppm -png -r 60)."""
    folder = os.environ.get("FK_PDFS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{name}.pdf"), "wb") as out:
            out.write(data)


def test_letters_pdf_has_one_page_per_code_and_stores_no_address(
    app: Flask, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    qr_links: list[str] = []

    def recording_qr(url: str) -> str:
        qr_links.append(url)
        return qr_svg_data_uri(url)

    monkeypatch.setattr("app.staff.run_views.qr_svg_data_uri", recording_qr)
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    assert "Neuer Versand" in client.get(_url(survey)).get_data(as_text=True)
    response = _post(client, survey, _batch_form(addresses=(io.BytesIO(ADDRESSES), "a.csv")))
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    keep_pdf(response.data, "letters")
    text = pdf_text(response.data)
    assert text.count("Ihr persönlicher Zugangscode:") == 3
    assert text.count("\f") in (2, 3)  # three pages
    assert "Am Wollepark 3" in text and "27749 Delmenhorst" in text
    assert "Telefon 04221 99-0" in text and "Lieber auf Papier?" in text
    assert "Wie familienfreundlich ist Delmenhorst?" in text
    batch = db.session.scalars(select(CodeBatch)).one()
    assert (batch.stratum, batch.codes_count, batch.letters_sent) == ("Düsternort", 3, 3)
    assert batch.target_group is not None and batch.target_group.key == "familien"
    codes = db.session.scalars(select(AccessCode).where(AccessCode.batch_id == batch.id)).all()
    assert len(codes) == 3
    printed = [line.split()[-1] for line in text.splitlines() if line.count("-") == 2
               and len(line.split()[-1]) == 14]  # fmt: skip
    assert len(printed) == 3
    assert {hash_code(c) for c in printed} == {c.code_hash for c in codes}
    # each letter's QR code opens the access page with its own code and target group
    assert qr_links == [
        f"http://localhost/s/{survey.slug}/zugang?gruppe=familien&code={code}" for code in printed
    ]
    # no address in any table or log record
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            assert "Wollepark" not in repr(row) and "Yılmaz" not in repr(row), table.name
    assert "Wollepark" not in caplog.text
    event = db.session.scalars(select(AuditEvent).filter_by(action="codes.generate")).one()
    assert "Düsternort" in event.details and "Wollepark" not in event.details


def test_code_sheet_csv_for_the_print_shop(app: Flask) -> None:
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    response = _post(
        client, survey, _batch_form(output="sheet", count="5", letters_sent="4", stratum="=Mitte")
    )
    assert response.status_code == 200
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0] == ["nr", "code", "link", "zielgruppe", "schicht"]
    assert len(rows) == 6
    assert rows[1][4] == "'=Mitte"  # neutralised
    assert f"/s/{survey.slug}/zugang?gruppe=familien&code=" in rows[1][2]
    stored = {c.code_hash for c in db.session.scalars(select(AccessCode))}
    assert {hash_code(r[1]) for r in rows[1:]} == stored
    batch = db.session.scalars(select(CodeBatch)).one()
    assert (batch.codes_count, batch.letters_sent) == (5, 4)
    page = client.get(_url(survey)).get_data(as_text=True)
    assert "=Mitte" in page and '<td class="num">4</td>' in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (b"", "addresses", "Die Adressdatei ist leer."),
        (b"Name;Ort\n", "addresses", "keine Adressen"),
        (b"\x00\x01binary", "addresses", "keine CSV-Datei"),
        (b'Name;Ort\n"offen;x\n', "addresses", "keine gültige CSV-Datei"),
        (b"a;b;c;d;e;f;g\n1;2;3;4;5;6;7\n", "addresses", "Zeile 2 hat mehr als 6 Adresszeilen"),
        (b"Name\n" + b"x" * 90 + b"\n", "addresses", "mehr als 80 Zeichen"),
    ],
)
def test_bad_address_files_get_a_german_message_at_the_field(
    app: Flask, data: bytes, field: str, message: str
) -> None:
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    response = _post(client, survey, _batch_form(addresses=(io.BytesIO(data), "a.csv")))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and f'id="f-{field}-error"' in html
    assert db.session.scalars(select(AccessCode)).first() is None
    assert db.session.scalars(select(CodeBatch)).first() is None


def test_missing_file_stratum_count_and_group_are_refused(app: Flask) -> None:
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    html = _post(client, survey, _batch_form(stratum=" ", target_group="nope")).get_data(
        as_text=True
    )
    assert "Bitte wählen Sie die Adressdatei (CSV) aus." in html
    assert "Bitte geben Sie die Schicht an" in html
    assert "Bitte wählen Sie eine Zielgruppe der Umfrage." in html
    sheet = _post(client, survey, _batch_form(output="sheet", count="0"))
    assert sheet.status_code == 422 and "Anzahl von 1 bis 5000" in sheet.get_data(as_text=True)
    more = _post(client, survey, _batch_form(output="sheet", count="3", letters_sent="9"))
    assert more.status_code == 422 and "0 bis 3 Briefe" in more.get_data(as_text=True)
    assert db.session.scalars(select(CodeBatch)).first() is None


def test_letters_are_refused_when_the_survey_is_public(app: Flask) -> None:
    survey = _survey(AccessMode.PUBLIC)
    client = logged_in(app, Role.STAFF)
    assert "Diese Umfrage ist öffentlich" in client.get(_url(survey)).get_data(as_text=True)
    response = _post(client, survey, _batch_form(addresses=(io.BytesIO(ADDRESSES), "a.csv")))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "nur für Umfragen mit der Zugangsart" in html and 'id="f-addresses-error"' in html
    sheet = _post(client, survey, _batch_form(output="sheet", count="3"))
    assert sheet.status_code == 422 and 'id="f-output-error"' in sheet.get_data(as_text=True)
    reminder = _post(
        client, survey, {"reminder_addresses": (io.BytesIO(ADDRESSES), "a.csv")}, "/erinnerung"
    )
    assert reminder.status_code == 422
    assert 'id="f-reminder_addresses-error"' in reminder.get_data(as_text=True)
    assert db.session.scalars(select(AccessCode)).first() is None


def test_reminder_letters_thank_everyone_and_carry_no_code(app: Flask) -> None:
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    response = _post(
        client,
        survey,
        {
            "reminder_group": "senioren",
            "reminder_contact": "Bürgerbüro",
            "reminder_addresses": (io.BytesIO(ADDRESSES), "a.csv"),
        },  # fmt: skip
        "/erinnerung",
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    keep_pdf(response.data, "reminder")
    text = " ".join(pdf_text(response.data).split())
    assert text.count("Falls Sie schon geantwortet haben: vielen Dank!") == 3
    assert "Ihr persönlicher Zugangscode:" not in text and "Bürgerbüro" in text
    assert db.session.scalars(select(AccessCode)).first() is None
    bad = _post(client, survey, {"reminder_group": "x"}, "/erinnerung")
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="f-reminder_group-error"' in html and 'id="f-reminder_addresses-error"' in html


@pytest.mark.parametrize("role", [None, Role.MODERATOR])
def test_postal_pages_need_a_staff_login(app: Flask, role: Role | None) -> None:
    survey = _survey()
    client = logged_in(app, role) if role else app.test_client()
    get = client.get(_url(survey))
    assert get.status_code in (302, 403)
    for tail in ("/versand", "/erinnerung"):
        post = _post(client, survey, _batch_form(output="sheet", count="3"), tail)
        assert post.status_code in (302, 403)
    assert db.session.scalars(select(AccessCode)).first() is None
    assert client.get("/verwaltung/umfragen/999999/post").status_code in (302, 403, 404)


def test_unknown_survey_is_404(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    assert client.get("/verwaltung/umfragen/999999/post").status_code == 404
    assert _post(client, Survey(id=999999), _batch_form()).status_code == 404


def test_the_demo_redeems_codes_with_the_development_key() -> None:
    from app.config import DEV_SECRET_KEY
    from demo.postal import DEV_SECRET_KEY as DEMO_KEY

    assert DEMO_KEY == DEV_SECRET_KEY


def test_more_addresses_than_one_pdf_holds_are_refused(app: Flask) -> None:
    survey = _survey()
    client = logged_in(app, Role.STAFF)
    rows = "Name;Ort\n" + "".join(f"H {i};Delmenhorst\n" for i in range(MAX_LETTERS + 1))
    response = _post(client, survey, _batch_form(addresses=(io.BytesIO(rows.encode()), "a.csv")))
    assert response.status_code == 422
    assert f"Höchstens {MAX_LETTERS} Adressen je Datei" in response.get_data(as_text=True)
    assert db.session.scalars(select(AccessCode)).first() is None


def test_a_letter_that_would_not_fit_one_page_is_refused(app: Flask) -> None:
    survey = _survey()
    survey.intro = "\n\n".join(["Ein sehr langer Absatz der Einleitung. " * 12] * 12)
    db.session.commit()
    client = logged_in(app, Role.STAFF)
    response = _post(client, survey, _batch_form(addresses=(io.BytesIO(ADDRESSES), "a.csv")))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Der Brief passt nicht auf eine Seite." in html and 'id="f-output-error"' in html
    assert db.session.scalars(select(AccessCode)).first() is None
    assert db.session.scalars(select(CodeBatch)).first() is None
