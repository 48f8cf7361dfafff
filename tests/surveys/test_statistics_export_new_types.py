"""SPSS, Stata and R exports of the types Datum, Mehrfache Zahleneingabe and Zahlen-Matrix.

A date is a real date variable (SPSS ``EDATE10``, Stata ``%td``, R ``Date``); every field of a
multiple number entry and every cell of a table of numbers is a numeric variable labelled with
the question and its part. The files are read back with pyreadstat, pandas' own Stata reader,
GNU PSPP and, where installed, R; the expected values are written out by hand from the
answers below.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
import pytest
from sqlalchemy.orm import Session

from surveys.models import Question, QuestionType, Survey
from surveys.queries import target_group_by_key
from surveys.responses import store_response
from surveys.statistics_export import to_dta, to_sav
from surveys.statistics_export.variables import survey_variables
from tests.surveys.number_date_survey import number_date_survey
from tests.surveys.test_statistics_export import _zip, run_pspp, run_r

#: Three responses: a full one, one with only some numbers, an empty one.
ANSWERS: list[dict[str, Any]] = [
    {
        "zuzug": "2023-04-01",
        "kinder": {"a0_2": 1, "a3_5": 2, "a6_9": 0, "a10_13": 0, "a14_17": 0},
        "betreuung": {"kita": {"kinder": 2, "stunden": 35}, "schule": {"kinder": 0}},
    },
    {"kinder": {"a14_17": 3}, "betreuung": {"schule": {"stunden": 20}}},
    {},
]
#: By hand: -2 "nicht beantwortet" (the numbers cannot be negative: min 0, so the short codes).
EXPECTED: dict[str, list[Any]] = {
    "kinder_a0_2": [1, -2, -2],
    "kinder_a3_5": [2, -2, -2],
    "kinder_a14_17": [0, 3, -2],
    "betreuung_kita_kinder": [2, -2, -2],
    "betreuung_kita_stunden": [35, -2, -2],
    "betreuung_schule_kinder": [0, -2, -2],
    "betreuung_schule_stunden": [-2, 20, -2],
}
MOVED_IN = [date(2023, 4, 1), None, None]


@pytest.fixture()
def survey(session: Session) -> Survey:
    built = number_date_survey(session)
    families = target_group_by_key(session, "familien")
    assert families
    for day, answers in enumerate(ANSWERS, start=4):
        store_response(session, built, families, answers, today=date(2026, 5, day))
    session.flush()
    return built


def test_every_field_cell_and_date_is_a_variable_with_its_label(survey: Survey) -> None:
    variables = {v.name: v for v in survey_variables(survey)}
    assert variables["zuzug"].kind == "date" and variables["zuzug"].missing == ()
    fields = [name for name in variables if name.startswith("kinder_")]
    cells = [name for name in variables if name.startswith("betreuung_")]
    assert len(fields) == 5 and len(cells) == 4
    for name in fields + cells:
        v = variables[name]
        assert (v.kind, v.measure, v.values) == ("numeric", "scale", {}), name
        assert [m.code for m in v.missing] == [-2, -9] and v.codes == {}, name
    assert variables["kinder_a3_5"].label == (
        "Wie viele Kinder leben in Ihrem Haushalt? – 3 bis 5 Jahre"
    )
    assert variables["betreuung_schule_stunden"].label == (
        "Wie viele Ihrer Kinder besuchen diese Einrichtungen, und wie lange? – Schule – "
        "Stunden pro Woche"
    )


def test_numbers_that_may_be_negative_get_the_far_off_codes(session: Session) -> None:
    survey = number_date_survey(session)
    for q in survey.questions():
        if q.type in (QuestionType.MULTINUMBER, QuestionType.NUMBERMATRIX):
            q.settings = {**q.settings, "min": -5}
    survey.questions()[1].settings = {"integer": True}  # no lower bound at all
    session.flush()
    for v in survey_variables(survey):
        if v.question is not None and v.kind == "numeric":
            assert v.codes == {-2: -999999992, -9: -999999999}, v.name


def test_sav_holds_dates_as_dates_and_numbers_with_missing_codes(
    session: Session, survey: Survey, tmp_path: Path
) -> None:
    path = tmp_path / "x.sav"
    path.write_bytes(to_sav(session, survey))
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    for name, values in EXPECTED.items():
        assert frame[name].tolist() == values, name
    assert frame["zuzug"][0] == MOVED_IN[0] and frame["zuzug"][1:].isna().all()
    formats = meta.original_variable_types
    assert formats["zuzug"] == "EDATE10"  # TT.MM.JJJJ in SPSS
    assert formats["kinder_a0_2"] == "F12.0" and formats["betreuung_kita_stunden"] == "F12.0"
    assert meta.variable_measure["kinder_a0_2"] == "scale"
    assert str(meta.column_names_to_labels["betreuung_kita_kinder"]).endswith("– Kita – Kinder")
    assert meta.variable_value_labels["kinder_a0_2"] == {
        -2: "nicht beantwortet",
        -9: "nicht gezeigt",
    }
    missing = {
        n: sorted(r["lo"] for r in ranges)  # type: ignore[index]
        for n, ranges in meta.missing_ranges.items()
    }
    assert missing["kinder_a0_2"] == [-9, -2] and missing["betreuung_schule_stunden"] == [-9, -2]
    assert "zuzug" not in missing
    # Without the user-missing codes, the left-out numbers are missing, not values.
    plain, _ = pyreadstat.read_sav(str(path))
    assert plain["betreuung_schule_stunden"].isna().tolist() == [True, False, True]


def test_pspp_reads_the_date_as_a_date_and_leaves_the_codes_out_of_its_statistics(
    session: Session, survey: Survey, tmp_path: Path
) -> None:
    """GNU PSPP, an independent reader: the date's format, a date function on it, and the
    sum of a number without its missing codes."""
    (tmp_path / "x.sav").write_bytes(to_sav(session, survey))
    output = run_pspp(
        tmp_path,
        "GET FILE='x.sav'.\n"
        "DISPLAY DICTIONARY /VARIABLES=zuzug kinder_a14_17 betreuung_kita_stunden.\n"
        "COMPUTE zuzug_jahr = XDATE.YEAR(zuzug).\n"
        "COMPUTE zuzug_monat = XDATE.MONTH(zuzug).\n"
        "FORMATS zuzug_jahr zuzug_monat (F4.0).\n"
        "LIST VARIABLES=zuzug zuzug_jahr zuzug_monat.\n"
        "DESCRIPTIVES VARIABLES=kinder_a14_17 /STATISTICS=SUM MIN MAX.\n",
    )
    rows = list(csv.reader(io.StringIO(output)))
    variables = {r[0]: r for r in rows if len(r) >= 10 and r[1].isdigit()}
    assert variables["zuzug"][2] == "Seit wann wohnen Sie in Delmenhorst?"
    assert variables["zuzug"][3] == "Scale"
    assert variables["zuzug"][7] == "EDATE10" and variables["zuzug"][8] == "EDATE10"
    assert variables["kinder_a14_17"][3] == "Scale"
    assert variables["kinder_a14_17"][9] == "-2; -9"
    assert ["01.04.2023", "2023", "4"] in rows
    assert sum(1 for r in rows if r[:1] == ["."]) == 2  # no date: system-missing
    # N, minimum, maximum, sum: two valid answers (0 and 3); the empty response's -2 is
    # missing, not a value.
    label = "Wie viele Kinder leben in Ihrem Haushalt? – 14 bis 17 Jahre"
    assert [label, "2", "0", "3", "3.00"] in rows, output


def test_dta_holds_the_date_as_a_stata_date_and_numbers_with_extended_missing_values(
    session: Session, survey: Survey, tmp_path: Path
) -> None:
    path = tmp_path / "x.dta"
    path.write_bytes(to_dta(session, survey))
    labelled = pd.read_stata(path)
    assert pd.api.types.is_datetime64_any_dtype(labelled["zuzug"])
    assert labelled["zuzug"][0] == pd.Timestamp(2023, 4, 1) and labelled["zuzug"][1:].isna().all()
    assert labelled["kinder_a14_17"].tolist()[:2] == [0, 3]
    assert labelled["kinder_a14_17"][2:].isna().all()
    raw = pd.read_stata(path, convert_missing=True, convert_categoricals=False, convert_dates=False)
    for name, values in EXPECTED.items():
        assert [str(v) for v in raw[name]] == [".b" if v == -2 else str(v) for v in values], name
    _, meta = pyreadstat.read_dta(str(path))
    assert meta.original_variable_types["zuzug"] == "%td"
    assert str(meta.column_names_to_labels["kinder_a0_2"]).startswith("Wie viele Kinder")


def test_r_files_hold_the_date_in_iso_form_and_the_numbers_with_their_codes(
    session: Session, survey: Survey
) -> None:
    files = _zip(session, survey)
    stem = f"{survey.slug}-antworten"
    frame = pd.read_csv(io.StringIO(files[f"{stem}.csv"][1:]), sep=";", keep_default_na=False)
    for name, values in EXPECTED.items():
        assert frame[name].tolist() == values, name
    assert frame["zuzug"].tolist() == ["2023-04-01", "", ""]
    script = files[f"{stem}.R"]
    assert "antworten$zuzug <- as.Date(antworten$zuzug)" in script
    assert "antworten$kinder_a0_2[antworten$kinder_a0_2 %in% c(-2, -9)] <- NA" in script
    book = list(csv.reader(io.StringIO(files["codebuch.csv"][1:]), delimiter=";"))
    assert any(r[0] == "zuzug" and r[5] == "date" for r in book)
    assert any(r[0] == "betreuung_kita_kinder" and r[7] == "-2" and r[10] == ".b" for r in book)


CHECK_R = """
source("{stem}.R", encoding = "UTF-8")
shown <- data.frame(lapply(antworten, as.character), check.names = FALSE)
write.csv(shown, "labelled.csv", row.names = FALSE, fileEncoding = "UTF-8", na = "<NA>")
writeLines(c(class(antworten$zuzug), class(antworten$kinder_a0_2),
             format(antworten$zuzug[1], "%d.%m.%Y"),
             as.character(sum(antworten$kinder_a14_17, na.rm = TRUE))), "checks.txt")
writeLines(enc2utf8(attr(antworten$betreuung_kita_kinder, "label")), "label.txt",
           useBytes = TRUE)
"""


def test_r_runs_the_script_and_gets_a_date_class_and_na_for_the_codes(
    session: Session, survey: Survey, tmp_path: Path
) -> None:
    run_r(_zip(session, survey), tmp_path, CHECK_R.replace("{stem}", f"{survey.slug}-antworten"))
    shown = pd.read_csv(tmp_path / "labelled.csv", dtype=str, keep_default_na=False)
    na = "<NA>"
    assert shown["zuzug"].tolist() == ["2023-04-01", na, na]
    assert shown["kinder_a14_17"].tolist() == ["0", "3", na]
    assert shown["betreuung_schule_stunden"].tolist() == [na, "20", na]
    checks = (tmp_path / "checks.txt").read_text(encoding="utf-8").split()
    assert checks == ["Date", "numeric", "01.04.2023", "3"]
    label = (tmp_path / "label.txt").read_text(encoding="utf-8").strip("\n")
    assert re.fullmatch(r"Wie viele Ihrer Kinder .* – Kita – Kinder", label)


def test_a_question_not_shown_is_not_shown_in_every_field_and_cell(
    session: Session, tmp_path: Path
) -> None:
    """The seniors are not asked the numbers: -9 in every field and cell, no date."""
    survey = number_date_survey(session)
    families = target_group_by_key(session, "familien")
    seniors = target_group_by_key(session, "senioren")
    assert families and seniors
    question: Question
    for question in survey.questions():
        question.target_groups = [families]
    store_response(session, survey, seniors, {}, today=date(2026, 5, 4))
    session.flush()
    (tmp_path / "x.sav").write_bytes(to_sav(session, survey))
    frame, meta = pyreadstat.read_sav(str(tmp_path / "x.sav"), user_missing=True)
    for name in EXPECTED:
        assert frame[name].tolist() == [-9], name
    # A date column without any date is still a date variable, not text.
    assert meta.original_variable_types["zuzug"] == "EDATE10" and frame["zuzug"].isna().all()
    (tmp_path / "x.dta").write_bytes(to_dta(session, survey))
    _, stata = pyreadstat.read_dta(str(tmp_path / "x.dta"))
    assert stata.original_variable_types["zuzug"] == "%td"


def test_a_survey_without_responses_has_date_variables_all_the_same(
    session: Session, tmp_path: Path
) -> None:
    survey = number_date_survey(session)
    (tmp_path / "x.sav").write_bytes(to_sav(session, survey))
    (tmp_path / "x.dta").write_bytes(to_dta(session, survey))
    frame, meta = pyreadstat.read_sav(str(tmp_path / "x.sav"))
    assert len(frame) == 0 and "betreuung_schule_stunden" in frame.columns
    for name in ("zuzug", "submitted_on"):
        assert meta.original_variable_types[name] == "EDATE10", name
        assert meta.readstat_variable_types[name] == "double", name
    _, stata = pyreadstat.read_dta(str(tmp_path / "x.dta"))
    assert stata.original_variable_types["zuzug"] == "%td"
    assert stata.original_variable_types["submitted_on"] == "%td"
