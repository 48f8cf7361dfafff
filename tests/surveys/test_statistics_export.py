"""SPSS, Stata and R exports: values, labels and missing codes, read back by other programs.

The expected values are written out by hand from the answers below; the files are read back
with pyreadstat, with pandas' own Stata reader and with GNU PSPP (an independent reader).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
import pytest
from sqlalchemy.orm import Session

from surveys.models import Survey
from surveys.queries import target_group_by_key
from surveys.responses import store_response
from surveys.statistics_export import to_dta, to_r_zip, to_sav
from surveys.statistics_export.files import SPSS_VARIABLE_LABEL, STATA_VARIABLE_LABEL
from surveys.statistics_export.variables import survey_variables
from tests.surveys.designer_helpers import add_question, make_section, make_survey

HOSTILE = 'Frage "x"); system("rm -rf /"); #\\'
FORMULA = "=HYPERLINK(1)"
LONG = "Wie zufrieden sind Sie mit der Öffnungszeit der Bürgerämter " * 8


def build(session: Session, slug: str = "bilanz-2026", *, extra: bool = False) -> Survey:
    """A survey with one question of every kind, a condition and a seniors-only question."""
    survey = make_survey(session, slug=slug)
    section = make_section(session, survey)
    if extra:  # a question the other version does not have, placed first
        add_question(session, section, "neu_2026", "yesno")
    add_question(session, section, "zufrieden", "likert", dont_know=True, text=LONG)
    add_question(session, section, "angebote", "matrix", dont_know=True)
    add_question(session, section, "wahl", "single")
    add_question(session, section, "mehr", "multi", other=True)
    add_question(session, section, "rang", "ranking")
    add_question(session, section, "jn", "yesno", text=HOSTILE)
    add_question(session, section, "kinder", "number", min="0", integer=True)
    add_question(session, section, "saldo", "number")
    add_question(session, section, "frei", "text")
    add_question(session, section, "warum", "text", condition_question="wahl", condition_value="ja")
    add_question(session, section, "nur_sen", "yesno", target_groups=["senioren"])
    return survey


def answer(session: Session, survey: Survey) -> None:
    """Three responses: a full one, an empty one (families), a short one (seniors)."""
    families = target_group_by_key(session, "familien")
    seniors = target_group_by_key(session, "senioren")
    assert families and seniors
    full = {
        "zufrieden": "dk",
        "angebote": {"kita": 4},
        "wahl": "ja",
        "mehr": {"choices": ["ja"], "other": FORMULA},
        "rang": ["weiss", "ja"],
        "jn": True,
        "kinder": 2,
        "saldo": -3.5,
        "frei": "Mehr Kitas, bitte – schnell",
        "warum": "Weil",
    }
    store_response(session, survey, families, full, today=date(2026, 5, 4))
    store_response(session, survey, families, {}, today=date(2026, 5, 5))
    short = {"zufrieden": 3, "wahl": "nein", "nur_sen": False, "warum": "nicht gefragt"}
    store_response(session, survey, seniors, short, today=date(2026, 5, 6), language="tr")
    session.flush()


#: By hand: what each response holds per variable (-1 weiß nicht, -2 nicht beantwortet,
#: -3 nicht eingeordnet, -9 nicht gezeigt; -999999992 / -999999999 for ``saldo``).
EXPECTED: dict[str, list[Any]] = {
    "zufrieden": [-1, -2, 3],
    "angebote_kita": [4, -2, -2],
    "angebote_schule": [-2, -2, -2],
    "wahl": [1, -2, 2],
    "mehr_ja": [1, -2, -2],
    "mehr_nein": [0, -2, -2],
    "mehr_weiss": [0, -2, -2],
    "rang_ja": [2, -2, -2],
    "rang_nein": [-3, -2, -2],
    "rang_weiss": [1, -2, -2],
    "jn": [1, -2, -2],
    "kinder": [2, -2, -2],
    "saldo": [-3.5, -999999992, -999999992],
    "nur_sen": [-9, -9, 0],
}
TEXTS = {
    "mehr_other": [FORMULA, "", ""],
    "frei": ["Mehr Kitas, bitte – schnell", "", ""],
    "warum": ["Weil", "", ""],
}


@pytest.fixture()
def survey(session: Session) -> Survey:
    built = build(session)
    answer(session, built)
    return built


def test_sav_holds_numbers_labels_and_user_missing_codes(
    session: Session, survey: Survey, tmp_path: Path
) -> None:
    path = tmp_path / "x.sav"
    path.write_bytes(to_sav(session, survey))
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    for name, values in EXPECTED.items():
        assert frame[name].tolist() == values, name
    for name, values in TEXTS.items():
        assert frame[name].tolist() == values, name  # as written: SPSS runs no formulas
    assert frame["target_group"].tolist() == ["familien", "familien", "senioren"]
    assert frame["language"].tolist() == ["de", "de", "tr"]
    assert frame["submitted_on"].tolist() == [date(2026, 5, d) for d in (4, 5, 6)]
    labels = meta.column_names_to_labels
    assert labels["angebote_kita"] == "Frage angebote – Kita-Plätze"
    assert labels["jn"] == " ".join(HOSTILE.split())
    assert len(labels["zufrieden"].encode()) <= SPSS_VARIABLE_LABEL
    assert labels["zufrieden"].startswith("Wie zufrieden") and labels["zufrieden"].endswith("…")
    values = meta.variable_value_labels
    assert values["zufrieden"] == {
        1: "schlecht",
        2: "eher schlecht",
        3: "eher gut",
        4: "gut",
        -1: "weiß nicht / keine Angabe",
        -2: "nicht beantwortet",
        -9: "nicht gezeigt",
    }
    assert values["wahl"][1] == "Ja" and values["wahl"][3] == "Weiß nicht"
    assert values["rang_ja"][-3] == "nicht eingeordnet"
    missing = {
        name: sorted(r["lo"] for r in ranges) for name, ranges in meta.missing_ranges.items()
    }
    assert missing["zufrieden"] == [-9, -2, -1]
    assert missing["rang_ja"] == [-9, -3, -2]
    assert missing["saldo"] == [-999999999, -999999992]
    assert "frei" not in missing
    assert meta.variable_measure["zufrieden"] == "ordinal"
    assert meta.variable_measure["wahl"] == "nominal"


def _pspp() -> str:
    pspp = shutil.which("pspp")
    if pspp is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU PSPP (Debian package pspp) is required in CI")
        pytest.skip("GNU PSPP is not installed (apt-get install pspp)")
    return pspp


def run_pspp(folder: Path, syntax: str) -> str:
    """Run ``syntax`` with GNU PSPP in ``folder``; return its output tables as CSV text."""
    pspp = _pspp()
    (folder / "job.sps").write_text(syntax, encoding="utf-8")
    result = subprocess.run(
        [pspp, "-O", "format=csv", "-o", "out.csv", "job.sps"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return (folder / "out.csv").read_text(encoding="utf-8")


def test_pspp_opens_the_sav_and_shows_its_labels_and_missing_values(
    session: Session, survey: Survey, tmp_path: Path
) -> None:
    """GNU PSPP, an independent reader, lists the dictionary and counts the codes."""
    (tmp_path / "x.sav").write_bytes(to_sav(session, survey))
    output = run_pspp(
        tmp_path,
        "GET FILE='x.sav'.\n"
        "DISPLAY DICTIONARY /VARIABLES=zufrieden wahl saldo nur_sen.\n"
        "FREQUENCIES VARIABLES=zufrieden nur_sen.\n",
    )
    rows = list(csv.reader(io.StringIO(output)))
    variables = {r[0]: r for r in rows if len(r) >= 10 and r[1].isdigit()}
    assert variables["wahl"][2] == "Frage wahl"
    assert variables["wahl"][3] == "Nominal" and variables["zufrieden"][3] == "Ordinal"
    assert variables["zufrieden"][9] == "-1; -2; -9"
    assert variables["saldo"][9] == "-999999992; -999999999"
    text = "\n".join(";".join(r) for r in rows)
    # Value labels, the user-missing ones marked with PSPP's footnote.
    assert re.search(r"-1\[a\];weiß nicht / keine Angabe", text)
    assert re.search(r"-9\[a\];nicht gezeigt", text)
    assert "Footnote: a. User-missing value" in text or "User-missing value" in text
    assert ";3;Weiß nicht" in text
    # FREQUENCIES: the one valid answer is "eher gut"; "weiß nicht" and "nicht gezeigt"
    # are counted as missing, not as values.
    assert re.search(r"Valid;eher gut;1;", text)
    assert re.search(r"Missing;nicht beantwortet;1;", text)
    assert re.search(r";weiß nicht / keine Angabe;1;", text)
    assert re.search(r"Missing;nicht gezeigt;2;", text)


def test_dta_reads_back_with_pandas_value_labels_and_extended_missing_values(
    session: Session, survey: Survey, tmp_path: Path
) -> None:
    path = tmp_path / "x.dta"
    path.write_bytes(to_dta(session, survey))
    assert path.read_bytes().startswith(b"<stata_dta><header><release>118</release>")  # 14+
    labelled = pd.read_stata(path)
    assert labelled["wahl"].tolist()[::2] == ["Ja", "Nein"]
    assert labelled["zufrieden"].tolist()[2] == "eher gut"
    assert pd.isna(labelled["zufrieden"].tolist()[0])  # .a is missing, not a value
    assert labelled["kinder"].tolist()[0] == 2 and labelled["saldo"].tolist()[0] == -3.5
    assert labelled["mehr_other"].tolist()[0] == FORMULA
    raw = pd.read_stata(path, convert_missing=True, convert_categoricals=False)
    assert [str(v) for v in raw["zufrieden"]] == [".a", ".b", "3"]
    assert [str(v) for v in raw["rang_nein"]] == [".c", ".b", ".b"]
    assert [str(v) for v in raw["nur_sen"]] == [".i", ".i", "0"]
    assert [str(v) for v in raw["saldo"]] == ["-3.5", ".b", ".b"]
    with pd.io.stata.StataReader(path) as reader:
        variable_labels = reader.variable_labels()
        value_labels = reader.value_labels()
    assert variable_labels["angebote_kita"] == "Frage angebote – Kita-Plätze"
    assert len(variable_labels["zufrieden"]) <= STATA_VARIABLE_LABEL
    zufrieden = next(v for v in value_labels.values() if "eher schlecht" in v.values())
    assert {zufrieden[k] for k in (1, 2, 3, 4)} == {"schlecht", "eher schlecht", "eher gut", "gut"}
    # Stata's extended missing values carry their labels too (.a is 2147483622 on disk).
    assert "weiß nicht / keine Angabe" in zufrieden.values()
    assert "nicht gezeigt" in zufrieden.values()
    _, meta = pyreadstat.read_dta(str(path), user_missing=True)
    # pyreadstat lists the extended missing values that occur.
    assert meta.missing_user_values["zufrieden"] == ["a", "b"]
    assert meta.missing_user_values["nur_sen"] == ["i"]


def run_r(files: dict[str, str], folder: Path, script: str) -> None:
    """Write the export's ``files`` and ``script`` to ``folder`` and run the script with R
    there (skipped where R is not installed); fails with R's output if the script does."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("R is not installed (Debian: r-base-core); the script is checked line by line")
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8", newline="")
    (folder / "check.R").write_text(script, encoding="utf-8")
    result = subprocess.run(
        [rscript, "--vanilla", "check.R"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _zip(session: Session, survey: Survey) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(to_r_zip(session, survey, today=date(2026, 6, 1))))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


R_STRING = r'"((?:[^"\\]|\\.)*)"'


def _r_unescape(literal: str) -> str:
    escapes = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], literal)


def test_r_csv_reads_back_with_pandas_numbers_as_numbers_texts_neutralised(
    session: Session, survey: Survey
) -> None:
    files = _zip(session, survey)
    assert set(files) == {"bilanz-2026-antworten.csv", "bilanz-2026-antworten.R", "codebuch.csv"}
    data = files["bilanz-2026-antworten.csv"]
    assert data.startswith("\ufeff") and "\r\n" in data
    frame = pd.read_csv(io.StringIO(data[1:]), sep=";", keep_default_na=False)
    for name, values in EXPECTED.items():
        assert frame[name].tolist() == values, name
    assert frame["mehr_other"].tolist() == ["'" + FORMULA, "", ""]  # Excel opens it
    assert frame["frei"].tolist()[0] == "Mehr Kitas, bitte – schnell"
    assert frame["submitted_on"].tolist() == ["2026-05-04", "2026-05-05", "2026-05-06"]
    book = list(csv.reader(io.StringIO(files["codebuch.csv"][1:]), delimiter=";"))
    assert any(row[0] == "zufrieden" and row[7] == "-1" and row[10] == ".a" for row in book)
    assert any(row[0] == "warum" and row[11].startswith("nur gefragt, wenn") for row in book)
    assert any(row[0] == "saldo" and row[7] == "-999999999" and row[9] == "ja" for row in book)


def test_r_script_applies_labels_factors_and_missing_values_to_every_variable(
    session: Session, survey: Survey
) -> None:
    """R is not installed here: the script is checked line by line against the variables."""
    script = _zip(session, survey)["bilanz-2026-antworten.R"]
    variables = survey_variables(survey)
    assert 'utils::read.csv(\n  "bilanz-2026-antworten.csv",' in script
    assert 'sep = ";", dec = ".", quote = "\\"", fileEncoding = "UTF-8-BOM"' in script
    for v in variables:
        expected = {"numeric": "numeric", "string": "character", "date": "character"}[v.kind]
        assert f'    {v.name} = "{expected}"' in script
        labels = re.findall(rf'^attr\(antworten\${v.name}, "label"\) <- {R_STRING}$', script, re.M)
        assert [_r_unescape(label) for label in labels] == [v.label], v.name
    assert (
        "antworten$wahl <- factor(antworten$wahl, levels = c(1, 2, 3), "
        'labels = c("Ja", "Nein", "Weiß nicht"))' in script
    )
    assert (
        "antworten$zufrieden <- factor(antworten$zufrieden, levels = c(1, 2, 3, 4), "
        'labels = c("schlecht", "eher schlecht", "eher gut", "gut"), ordered = TRUE)' in script
    )
    assert "antworten$kinder[antworten$kinder %in% c(-2, -9)] <- NA" in script
    assert "antworten$saldo[antworten$saldo %in% c(-999999992, -999999999)] <- NA" in script
    assert "antworten$mehr_other <- fk_text(antworten$mehr_other)" in script
    assert "antworten$submitted_on <- as.Date(antworten$submitted_on)" in script
    # The hostile question text stays inside its string literal: outside literals and
    # comments, no line of the script calls anything but the few functions it uses.
    code = re.sub(R_STRING, '""', "\n".join(line for line in script.splitlines()
                                            if not line.startswith("#")))  # fmt: skip
    assert set(re.findall(r"([A-Za-z_.:]+)\(", code)) <= {
        "function", "sub", "utils::read.csv", "c", "factor", "fk_text", "attr", "as.Date",
    }  # fmt: skip


def test_two_versions_with_the_same_questions_get_the_same_names_and_codes(
    session: Session,
) -> None:
    old = survey_variables(build(session, "bestand-2019"))
    new = survey_variables(build(session, "bilanz-2026", extra=True))
    old_by_column = {v.column: v for v in old}
    shared = [v for v in new if v.column in old_by_column]
    assert len(shared) == len(old)  # every 2019 variable is in 2026 too
    for v in shared:
        before = old_by_column[v.column]
        assert (v.name, v.stata_name, v.values) == (before.name, before.stata_name, before.values)
        assert [m.code for m in v.missing] == [m.code for m in before.missing]
    assert [v.name for v in new if v.column not in old_by_column] == ["neu_2026"]


def test_a_single_choice_keeps_its_baseline_values_when_options_are_inserted(
    session: Session, tmp_path: Path
) -> None:
    """Text codes take their values from the baseline's file, new options come after."""
    old = make_survey(session, slug="bestand-2019")
    add_question(session, make_section(session, old), "wahl", "single")
    new = make_survey(session, slug="bilanz-2026")
    new.baseline = old
    add_question(
        session,
        make_section(session, new),
        "wahl",
        "single",
        options="neu: Neu\nnein: Nein\nja: Ja\nweiss: Weiß nicht",
    )
    families = target_group_by_key(session, "familien")
    assert families
    for survey, choice in ((old, "nein"), (new, "nein"), (new, "neu")):
        store_response(session, survey, families, {"wahl": choice}, today=date(2026, 5, 4))
    session.flush()
    (before,) = [v for v in survey_variables(old) if v.name == "wahl"]
    (after,) = [v for v in survey_variables(new) if v.name == "wahl"]
    assert before.values == {1: "Ja", 2: "Nein", 3: "Weiß nicht"}
    assert after.values == {1: "Ja", 2: "Nein", 3: "Weiß nicht", 4: "Neu"}
    frames = []
    for survey in (old, new):
        path = tmp_path / f"{survey.slug}.sav"
        path.write_bytes(to_sav(session, survey))
        frames.append(pyreadstat.read_sav(str(path), apply_value_formats=True)[0])
    merged = pd.concat(frames, ignore_index=True)
    assert merged["wahl"].tolist() == ["Nein", "Nein", "Neu"]
    assert merged["survey"].tolist() == ["bestand-2019", "bilanz-2026", "bilanz-2026"]


def test_a_survey_without_responses_gives_files_with_its_variables(
    session: Session, tmp_path: Path
) -> None:
    survey = build(session)
    (tmp_path / "x.sav").write_bytes(to_sav(session, survey))
    (tmp_path / "x.dta").write_bytes(to_dta(session, survey))
    frame, meta = pyreadstat.read_sav(str(tmp_path / "x.sav"))
    assert len(frame) == 0 and "angebote_kita" in frame.columns
    assert meta.variable_value_labels["zufrieden"][4] == "gut"
    assert len(pd.read_stata(tmp_path / "x.dta")) == 0
    data = _zip(session, survey)["bilanz-2026-antworten.csv"]
    assert data.count("\r\n") == 1 and data.startswith("\ufeffresponse_id;survey;")


def test_a_free_text_longer_than_spss_allows_is_cut_there_and_kept_whole_elsewhere(
    session: Session, tmp_path: Path
) -> None:
    survey = make_survey(session)
    add_question(session, make_section(session, survey), "lang", "text", max_length="20000")
    families = target_group_by_key(session, "familien")
    assert families
    arabic = "ب" * 19_999 + "!"  # 40,000 bytes in UTF-8
    store_response(session, survey, families, {"lang": arabic}, today=date(2026, 5, 4))
    session.flush()
    (tmp_path / "x.sav").write_bytes(to_sav(session, survey))
    (tmp_path / "x.dta").write_bytes(to_dta(session, survey))
    cut = pyreadstat.read_sav(str(tmp_path / "x.sav"))[0]["lang"][0]
    assert len(cut.encode()) <= 32767 and cut.endswith("…") and arabic.startswith(cut[:-1])
    assert pd.read_stata(tmp_path / "x.dta")["lang"][0] == arabic
    data = _zip(session, survey)["bilanz-2026-antworten.csv"]
    assert arabic in data


def test_pspp_stacks_the_files_of_two_versions_with_texts_of_different_lengths(
    session: Session, tmp_path: Path
) -> None:
    """``ADD FILES`` needs equal widths of text variables: they follow the questionnaire."""
    _pspp()  # skip (or fail in CI) before building anything
    families = target_group_by_key(session, "familien")
    assert families
    for slug, text, extra in (("bestand-2019", "kurz", False), ("bilanz-2026", "x" * 900, True)):
        survey = build(session, slug, extra=extra)
        store_response(session, survey, families, {"frei": text, "wahl": "ja"}, today=date.today())
        session.flush()
        (tmp_path / f"{slug}.sav").write_bytes(to_sav(session, survey))
    output = run_pspp(
        tmp_path,
        "GET FILE='bestand-2019.sav'.\n"
        "ADD FILES /FILE=* /FILE='bilanz-2026.sav'.\n"
        "CROSSTABS /TABLES=wahl BY survey.\n"
        "FREQUENCIES VARIABLES=neu_2026.\n",
    )
    assert "error" not in output.lower(), output
    assert "bestand-2019,bilanz-2026" in output.replace('"', "")
    assert re.search(r"Frage wahl,Ja,Count,1,1,2", output.replace('"', ""))
    # The 2026-only question is system-missing for the 2019 response.
    assert re.search(r"Missing,\.,1,", output.replace('"', ""))


CHECK_R = """
source("bilanz-2026-antworten.R", encoding = "UTF-8")
shown <- data.frame(lapply(antworten, as.character), check.names = FALSE)
write.csv(shown, "labelled.csv", row.names = FALSE, fileEncoding = "UTF-8", na = "<NA>")
writeLines(enc2utf8(attr(antworten$jn, "label")), "label.txt", useBytes = TRUE)
writeLines(c(class(antworten$zufrieden), class(antworten$submitted_on)), "classes.txt")
"""


def test_r_runs_the_script_and_gets_labels_factors_and_na(
    session: Session, survey: Survey, tmp_path: Path
) -> None:
    """Where R is installed (Debian's r-base-core), the script itself is run."""
    run_r(_zip(session, survey), tmp_path, CHECK_R)
    shown = pd.read_csv(tmp_path / "labelled.csv", dtype=str, keep_default_na=False)
    na = "<NA>"
    assert shown["zufrieden"].tolist() == [na, na, "eher gut"]
    assert shown["angebote_kita"].tolist() == ["gut", na, na]
    assert shown["wahl"].tolist() == ["Ja", na, "Nein"]
    assert shown["mehr_ja"].tolist() == ["gewählt", na, na]
    assert shown["rang_weiss"].tolist() == ["Platz 1", na, na]
    assert shown["rang_nein"].tolist() == [na, na, na]
    assert shown["jn"].tolist() == ["ja", na, na]
    assert shown["nur_sen"].tolist() == [na, na, "nein"]
    assert shown["kinder"].tolist() == ["2", na, na]
    assert shown["saldo"].tolist() == ["-3.5", na, na]
    assert shown["mehr_other"].tolist() == [FORMULA, na, na]  # the apostrophe is undone
    assert shown["frei"].tolist() == ["Mehr Kitas, bitte – schnell", na, na]
    assert shown["target_group"].tolist() == ["Familien", "Familien", "Seniorinnen und Senioren"]
    assert shown["submitted_on"].tolist() == ["2026-05-04", "2026-05-05", "2026-05-06"]
    assert (tmp_path / "label.txt").read_text(encoding="utf-8").strip("\n") == HOSTILE
    assert (tmp_path / "classes.txt").read_text().split() == ["ordered", "factor", "Date"]


def test_numbers_of_newer_types_are_numeric_and_dates_are_dates(
    session: Session, tmp_path: Path
) -> None:
    """Types with a number per item or cell, and date questions (issue 16's new types)."""
    from surveys.models import Item, Option, Question, QuestionType, Section

    kinds = [getattr(QuestionType, name, None) for name in ("NUMBERMATRIX", "DATE")]
    if None in kinds:
        pytest.skip("the number table and date question types are not in this tree yet")
    table_type, date_type = kinds
    families = target_group_by_key(session, "familien")
    assert families
    survey = Survey(slug="neue-typen", title="Neue Typen", target_groups=[families])
    section = Section(title="Betreuung")
    survey.sections.append(section)
    table = Question(key="tabelle", type=table_type, text="Stunden", target_groups=[families])
    table.items.extend([Item(key="mo", text="Montag"), Item(key="di", text="Dienstag")])
    table.options.extend([Option(code="vm", label="Vormittag")])
    since = Question(key="seit", type=date_type, text="Seit wann?", target_groups=[families])
    section.questions.extend([table, since])
    session.add(survey)
    session.flush()
    answers = {"tabelle": {"mo": {"vm": 3.5}}, "seit": "2024-03-01"}
    store_response(session, survey, families, answers, today=date(2026, 5, 4))
    store_response(session, survey, families, {}, today=date(2026, 5, 5))
    session.flush()
    (tmp_path / "x.sav").write_bytes(to_sav(session, survey))
    frame, meta = pyreadstat.read_sav(str(tmp_path / "x.sav"), user_missing=True)
    assert frame["tabelle_mo_vm"].tolist() == [3.5, -999999992]
    assert frame["tabelle_di_vm"].tolist() == [-999999992, -999999992]
    assert meta.column_names_to_labels["tabelle_mo_vm"] == "Stunden – Montag – Vormittag"
    assert frame["seit"].tolist()[0] == date(2024, 3, 1) and pd.isna(frame["seit"][1])
    (tmp_path / "x.dta").write_bytes(to_dta(session, survey))
    stata = pd.read_stata(tmp_path / "x.dta")
    assert stata["tabelle_mo_vm"].tolist()[0] == 3.5 and pd.isna(stata["tabelle_mo_vm"][1])
    data = _zip(session, survey)["neue-typen-antworten.csv"]
    assert "3.5;-999999992;2024-03-01" in data
