"""Designer screens for translations: coverage, per-language form, XLSX download and upload."""

from __future__ import annotations

import re
from io import BytesIO

from flask import Flask
from openpyxl import load_workbook

from app.extensions import db
from demo import seed_demo
from demo.content import CURRENT
from surveys.models import Role
from surveys.queries import survey_by_slug
from surveys.translations import all_translations, source_texts
from tests.app.staff_helpers import logged_in
from tests.factories import build_survey


def test_overview_and_form_show_missing_texts_and_save(app: Flask) -> None:
    survey = build_survey(db.session)
    db.session.commit()
    client = logged_in(app, Role.STAFF)
    total = len(source_texts(survey))
    html = client.get(f"/verwaltung/umfragen/{survey.id}/uebersetzungen").get_data(as_text=True)
    assert "Türkçe" in html and "Leichte Sprache" in html
    assert f"0 / {total}" in html
    form = client.get(f"/verwaltung/umfragen/{survey.id}/uebersetzungen/tr").get_data(as_text=True)
    assert form.count(">fehlt<") == total
    assert 'name="t-q/kita/text"' in form and 'lang="tr"' in form
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    response = client.post(
        f"/verwaltung/umfragen/{survey.id}/uebersetzungen/tr",
        data={"csrf_token": token.group(1), "t-title": "Aile Anketi", "t-q/kita/text": "<b>?</b>"},
    )
    assert response.status_code == 302
    assert all_translations(db.session, survey) == {
        "tr": {"title": "Aile Anketi", "q/kita/text": "<b>?</b>"}
    }
    only_missing = client.get(
        f"/verwaltung/umfragen/{survey.id}/uebersetzungen/tr?fehlend=1"
    ).get_data(as_text=True)
    assert only_missing.count(">fehlt<") == total - 2
    assert "&lt;b&gt;" not in only_missing  # translated texts are not in the missing list
    full = client.get(f"/verwaltung/umfragen/{survey.id}/uebersetzungen/tr").get_data(as_text=True)
    assert "&lt;b&gt;?&lt;/b&gt;" in full  # escaped on output


def test_unknown_language_is_404_and_citizens_have_no_access(app: Flask) -> None:
    survey = build_survey(db.session)
    db.session.commit()
    anonymous = app.test_client()
    assert anonymous.get(f"/verwaltung/umfragen/{survey.id}/uebersetzungen").status_code in (
        302,
        401,
    )
    client = logged_in(app, Role.STAFF)
    assert client.get(f"/verwaltung/umfragen/{survey.id}/uebersetzungen/xx").status_code == 404


def test_xlsx_download_and_upload(app: Flask) -> None:
    survey = build_survey(db.session)
    db.session.commit()
    client = logged_in(app, Role.STAFF)
    raw = client.get(f"/verwaltung/umfragen/{survey.id}/uebersetzungen.xlsx").data
    book = load_workbook(BytesIO(raw))
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=header.index("ar") + 1, value="استطلاع الأسر")
    out = BytesIO()
    book.save(out)
    page = client.get(f"/verwaltung/umfragen/{survey.id}/uebersetzungen").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    response = client.post(
        f"/verwaltung/umfragen/{survey.id}/uebersetzungen/import",
        data={"csrf_token": token.group(1), "file": (BytesIO(out.getvalue()), "t.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert all_translations(db.session, survey) == {"ar": {"title": "استطلاع الأسر"}}
    bad = client.post(
        f"/verwaltung/umfragen/{survey.id}/uebersetzungen/import",
        data={"csrf_token": token.group(1), "file": (BytesIO(b"nope"), "t.xlsx")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert "keine gültige Excel-Datei" in bad.get_data(as_text=True)


def test_run_overview_counts_languages_with_suppression(app: Flask) -> None:
    from datetime import date

    from surveys.queries import target_group_by_key
    from surveys.responses import store_response

    survey = build_survey(db.session)
    group = target_group_by_key(db.session, "familien")
    assert group is not None
    for language in ["de"] * 7 + ["tr"] * 6 + ["ar"] * 2:
        store_response(db.session, survey, group, {}, today=date(2026, 11, 2), language=language)
    db.session.commit()
    client = logged_in(app, Role.STAFF)
    html = client.get(f"/verwaltung/umfragen/{survey.id}/ruecklauf").get_data(as_text=True)
    assert "Antworten je Sprache" in html
    assert "العربية" in html and "unter 5" in html
    table = html.split("Antworten je Sprache")[1].split("</table>")[0]
    assert '<td class="num">2</td>' not in table


def test_demo_survey_has_no_missing_text_in_the_designer(app: Flask) -> None:
    seed_demo(db.session, responses=0)
    db.session.commit()
    survey = survey_by_slug(db.session, CURRENT.slug)
    assert survey is not None
    total = len(source_texts(survey))
    client = logged_in(app, Role.STAFF)
    html = client.get(f"/verwaltung/umfragen/{survey.id}/uebersetzungen").get_data(as_text=True)
    assert html.count(f"{total} / {total}") == 4  # de-LS, en, tr, ar complete
    for lang in ("de-LS", "en", "tr", "ar"):
        form = client.get(f"/verwaltung/umfragen/{survey.id}/uebersetzungen/{lang}")
        text = form.get_data(as_text=True)
        assert f"Alle {total} Texte sind übersetzt." in text, lang
        assert ">fehlt<" not in text, lang
