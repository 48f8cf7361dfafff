"""Survey translations: paths, fallback, coverage, saving, JSON and XLSX round trips."""

from __future__ import annotations

from io import BytesIO
from zipfile import ZipFile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.errors import ValidationError
from surveys.exchange import json_format
from surveys.exchange.translations_xlsx import SHEET, export_xlsx, import_xlsx
from surveys.models import Survey
from surveys.translations import (
    TARGET_LANGUAGES,
    all_translations,
    coverage,
    localizer,
    save_translations,
    source_texts,
)
from tests.factories import build_survey


@pytest.fixture(name="survey")
def survey_fixture(session: Session) -> Survey:
    return build_survey(session)


def test_paths_cover_every_text_kind(survey: Survey) -> None:
    paths = [t.path for t in source_texts(survey)]
    assert len(paths) == len(set(paths))
    assert paths[0] == "title"
    assert "intro" in paths
    assert "section/1/title" in paths
    assert "q/kita/text" in paths
    assert "q/kita/scale/1" in paths
    assert any(p.startswith("q/angebote/item/") for p in paths)
    assert any("/option/" in p for p in paths)


def test_localizer_falls_back_to_german_marked(session: Session, survey: Survey) -> None:
    save_translations(session, survey, "tr", {"q/kita/text": "Çocuk bakımı?"})
    loc = localizer(session, survey, "tr")
    kita = next(q for q in survey.questions() if q.key == "kita")
    translated = loc.get("q/kita/text", kita.text)
    assert translated == "Çocuk bakımı?" and not translated.fallback
    title = loc.get("title", survey.title)
    assert title == survey.title and title.fallback
    assert loc.question_missing(kita)  # the scale labels are still German
    german = localizer(session, survey, "de").get("title", survey.title)
    assert not german.fallback


def test_leichte_sprache_intro_defaults_to_intro_easy(session: Session, survey: Survey) -> None:
    intro = localizer(session, survey, "de-LS").get("intro", survey.intro)
    assert intro == survey.intro_easy and not intro.fallback


def test_save_updates_removes_and_reports_unknown_paths(session: Session, survey: Survey) -> None:
    unknown = save_translations(
        session, survey, "en", {"title": " Family survey ", "q/nope/text": "x"}
    )
    assert unknown == ["q/nope/text"]
    assert all_translations(session, survey) == {"en": {"title": "Family survey"}}
    save_translations(session, survey, "en", {"title": "Family survey 2026"})
    assert all_translations(session, survey)["en"]["title"] == "Family survey 2026"
    save_translations(session, survey, "en", {"title": ""})
    assert all_translations(session, survey) == {}
    with pytest.raises(ValueError):
        save_translations(session, survey, "de", {"title": "x"})


def test_coverage_counts_per_language(session: Session, survey: Survey) -> None:
    total = len(source_texts(survey))
    save_translations(session, survey, "ar", {"title": "استطلاع", "intro": "مرحبًا"})
    by_lang = {c.language: c for c in coverage(session, survey)}
    assert set(by_lang) == set(TARGET_LANGUAGES)
    assert (by_lang["ar"].done, by_lang["ar"].missing) == (2, total - 2)
    assert by_lang["tr"].done == 0


def test_json_round_trip_carries_all_languages(session: Session, survey: Survey) -> None:
    save_translations(session, survey, "tr", {"title": "Aile Anketi", "q/kita/text": "Çocuk?"})
    save_translations(session, survey, "de-LS", {"q/kita/text": "Sind Sie zufrieden?"})
    document = json_format.export_survey(survey, all_translations(session, survey))
    assert document["version"] == 2
    raw = json_format.dumps(document).encode()
    copy = json_format.import_survey(
        session, json_format.loads(raw), actor=None, slug="familienumfrage-kopie"
    )
    assert all_translations(session, copy) == all_translations(session, survey)
    again = json_format.export_survey(copy, all_translations(session, copy))
    assert again["translations"] == document["translations"]


def test_json_version_1_is_still_read(session: Session, survey: Survey) -> None:
    document = json_format.export_survey(survey)
    document["version"] = 1
    document["survey"]["slug"] = "alt-v1"
    copy = json_format.import_survey(
        session, json_format.loads(json_format.dumps(document).encode()), actor=None
    )
    assert copy.slug == "alt-v1" and all_translations(session, copy) == {}


def test_xlsx_round_trip(session: Session, survey: Survey) -> None:
    save_translations(session, survey, "en", {"title": "Family survey"})
    raw = export_xlsx(session, survey)
    book = load_workbook(BytesIO(raw))
    sheet = book[SHEET]
    header = [c.value for c in sheet[1]]
    assert header == ["path", "Art", "de", *TARGET_LANGUAGES]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(source_texts(survey))
    assert rows[0][:4] == ("title", "Titel", survey.title, None)
    assert rows[0][header.index("en")] == "Family survey"
    # A translator fills Arabic and Turkish, empties English, adds a stray row, edits German.
    ar, tr, en = header.index("ar") + 1, header.index("tr") + 1, header.index("en") + 1
    sheet.cell(row=3, column=ar, value="استطلاع الأسر")
    sheet.cell(row=4, column=tr, value="Giriş metni")
    sheet.cell(row=3, column=en).value = None
    sheet.cell(row=4, column=3, value="geändert")
    sheet.append(["q/unbekannt/text", "Frage", "x", "y"])
    out = BytesIO()
    book.save(out)
    result = import_xlsx(session, survey, out.getvalue())
    assert result.unknown_paths == ["q/unbekannt/text"]
    assert result.changed_source == [rows[1][0]]
    stored = all_translations(session, survey)
    assert stored["ar"] == {"title": "استطلاع الأسر"}
    assert stored["tr"] == {rows[1][0]: "Giriş metni"}
    assert "en" not in stored


def test_xlsx_refuses_other_files(session: Session, survey: Survey) -> None:
    with pytest.raises(ValidationError):
        import_xlsx(session, survey, b"not a workbook")
    from openpyxl import Workbook

    book = Workbook()
    out = BytesIO()
    book.save(out)
    with pytest.raises(ValidationError):
        import_xlsx(session, survey, out.getvalue())


def test_deleting_survey_deletes_translations(session: Session, survey: Survey) -> None:
    from surveys.models import SurveyTranslation

    save_translations(session, survey, "tr", {"title": "x"})
    session.delete(survey)
    session.flush()
    assert session.scalars(select(SurveyTranslation)).all() == []


HOSTILE = ['=HYPERLINK("http://example.org","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\n=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_xlsx_writes_no_formula_and_reads_its_own_text_back(
    session: Session, survey: Survey, text: str
) -> None:
    survey.title = text
    save_translations(session, survey, "en", {"title": text})
    raw = export_xlsx(session, survey)
    sheet = load_workbook(BytesIO(raw))[SHEET]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    title_row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == "title")
    assert all(not str(v).startswith(("=", "+", "-", "@", "\t", "\n")) for v in title_row if v)
    # the translator's file comes back unchanged: the neutralising apostrophe is not stored
    import_xlsx(session, survey, raw)
    assert all_translations(session, survey)["en"]["title"] == text.strip()


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE workbook [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    ],
)
def test_xlsx_with_a_dtd_is_refused_with_a_german_message(
    session: Session, survey: Survey, doctype: bytes
) -> None:
    raw = export_xlsx(session, survey)
    out = BytesIO()
    with ZipFile(BytesIO(raw)) as source, ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/workbook.xml":
                head, sep, rest = data.partition(b"?>")
                data = head + sep + doctype + rest
                assert doctype in data
            target.writestr(name, data)
    with pytest.raises(ValidationError) as refused:
        import_xlsx(session, survey, out.getvalue())
    error = refused.value.errors[0]
    assert error.field == "file" and "Dokumenttyp-Definition" in error.message
