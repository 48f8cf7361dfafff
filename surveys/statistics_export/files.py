"""SPSS ``.sav`` and Stata ``.dta`` files of the responses, written with pyreadstat.

Both carry variable labels (the question text), value labels (answer options, scale points)
and the missing-value codes of :mod:`surveys.statistics_export.variables`: SPSS as
user-missing values, Stata as extended missing values (``.a`` ...) with their labels.
Texts are stored as written: neither program evaluates formulas (the R export's CSV, which
Excel opens, is neutralised). pandas is only the container pyreadstat takes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat

from surveys.db import SessionLike
from surveys.models import Survey
from surveys.statistics_export.values import response_values
from surveys.statistics_export.variables import MISSING, Variable, survey_variables

#: SPSS keeps at most 256 bytes of a variable label and 120 of a value label.
SPSS_VARIABLE_LABEL = 256
SPSS_VALUE_LABEL = 120
#: The longest SPSS string value in bytes; a longer free text is cut there (with "…").
SPSS_STRING = 32767
#: SPSS stacks files (``ADD FILES``) only if a text variable has the same width in each, so
#: widths follow the questionnaire, not the answers: four bytes (the most a character takes
#: in UTF-8) per character a free text may have, and fixed widths for the meta variables.
SPSS_META_WIDTHS = {"survey": 80, "target_group": 30, "channel": 8, "language": 10}
#: Texts without a length of their own (``StatisticsForm.characters``; the check page's
#: wording of a type without a statistics form of its own).
SPSS_OTHER_TEXT = 255
#: The display format of a date variable: SPSS as TT.MM.JJJJ, Stata its daily date.
DATE_FORMATS = {"sav": "EDATE10", "dta": "%td"}
#: Stata keeps at most 80 characters of a variable label and 32,000 of a value label.
STATA_VARIABLE_LABEL = 80
STATA_VALUE_LABEL = 32000


def shorten(text: str, limit: int, *, in_bytes: bool = False) -> str:
    """``text`` on one line, cut to ``limit`` characters (or UTF-8 bytes) with an ellipsis."""
    text = " ".join(text.split())
    if not in_bytes:
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return _fit_bytes(text, limit)


def _fit_bytes(text: str, limit: int) -> str:
    """``text`` as it is, or cut to ``limit`` UTF-8 bytes with an ellipsis."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore").rstrip() + "…"


def spss_width(variable: Variable) -> int:
    """The width in bytes of a text variable in the ``.sav`` (the same in every wave)."""
    if variable.name in SPSS_META_WIDTHS and variable.question is None:
        return SPSS_META_WIDTHS[variable.name]
    return min(SPSS_STRING, 4 * (variable.characters or SPSS_OTHER_TEXT))


def _frame(session: SessionLike, survey: Survey, variables: list[Variable]) -> pd.DataFrame:
    rows = list(response_values(session, survey, variables))
    data: dict[str, Any] = {}
    for index, variable in enumerate(variables):
        cells = [row[index] for row in rows]
        if variable.kind == "string":
            data[variable.name] = pd.Series(["" if c is None else c for c in cells], dtype=object)
        elif variable.kind == "date" and all(c is None for c in cells):
            # pyreadstat tells a date column by its values; one without any (no responses,
            # nobody answered) would become text. Empty numbers with the date format
            # (:data:`DATE_FORMATS`) are a date variable in both programs.
            data[variable.name] = pd.Series([float("nan")] * len(cells), dtype="float64")
        else:
            data[variable.name] = pd.Series(cells, dtype=object)
    return pd.DataFrame(data, columns=[v.name for v in variables])


def _note(survey: Survey) -> list[str]:
    """The file's document lines (SPSS keeps 80 bytes a line)."""
    lines = [
        shorten(f"Familienkompass: {survey.title}", 80, in_bytes=True),
        shorten(f"Umfrage {survey.slug}, anonyme Antworten, eine Zeile je Antwortbogen.", 80),
        "Fehlende Werte (benutzerdefiniert fehlend):",
    ]
    lines += [f"  {m.code} = {m.label}" for m in MISSING]
    lines.append("  Zahlenfragen mit negativen Antworten: -999999991 bis -999999999.")
    return lines


def _with_file(write: Callable[[Path], None]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="familienkompass-") as folder:
        path = Path(folder) / "export"
        write(path)
        return path.read_bytes()


def _spss_format(variable: Variable) -> str:
    """Codes and whole numbers without decimals; other numbers with two."""
    question = variable.question
    if variable.measure != "scale" or question is None:
        return "F8.0"
    return "F12.0" if (question.settings or {}).get("integer") else "F12.2"


def to_sav(session: SessionLike, survey: Survey) -> bytes:
    """Return the responses of ``survey`` as an SPSS system file (``.sav``)."""
    variables = survey_variables(survey)
    frame = _frame(session, survey, variables)
    for variable in variables:
        if variable.kind == "numeric":
            frame[variable.name] = pd.to_numeric(frame[variable.name]).astype("float64")
        elif variable.kind == "string":
            width = spss_width(variable)
            texts = [_fit_bytes(text, width) for text in frame[variable.name]]
            if texts:
                # pyreadstat sizes a text variable by its longest value; SPSS ignores
                # trailing blanks, so padding one value sets the width without changing it.
                texts[0] += " " * (width - len(texts[0].encode("utf-8")))
            frame[variable.name] = pd.Series(texts, dtype=object)
    value_labels = {
        v.name: {
            float(value): shorten(label, SPSS_VALUE_LABEL, in_bytes=True)
            for value, label in {**v.values, **v.missing_labels()}.items()
        }
        for v in variables
        if v.kind == "numeric" and (v.values or v.missing)
    }
    formats = {v.name: _spss_format(v) for v in variables if v.kind == "numeric"}
    formats.update({v.name: DATE_FORMATS["sav"] for v in variables if v.kind == "date"})

    def write(path: Path) -> None:
        pyreadstat.write_sav(
            frame,
            str(path),
            file_label=shorten(survey.title, 64, in_bytes=True),
            column_labels={
                v.name: shorten(v.label, SPSS_VARIABLE_LABEL, in_bytes=True) for v in variables
            },
            note=_note(survey),
            variable_value_labels=value_labels,
            missing_ranges={
                v.name: [float(v.code(m)) for m in v.missing] for v in variables if v.missing
            },
            # Dates are measured on a scale (SPSS's own default for a date variable).
            variable_measure={
                v.name: "scale" if v.kind == "date" else v.measure
                for v in variables
                if v.kind in ("numeric", "date")
            },
            variable_format=formats,
            # zlib ("ZCOMPRESSED", SPSS 21 and later, PSPP): the blank-padded texts of fixed
            # width take almost nothing (the demo's 3,000 responses: 34 MB with SPSS's older
            # bytecode compression).
            compress=True,
        )

    return _with_file(write)


def to_dta(session: SessionLike, survey: Survey) -> bytes:
    """Return the responses of ``survey`` as a Stata dataset (``.dta`` format 118, Stata 14+)."""
    variables = survey_variables(survey)
    frame = _frame(session, survey, variables)
    frame.columns = pd.Index([v.stata_name for v in variables])
    for variable in variables:
        if variable.kind != "numeric":
            continue
        letters = {variable.code(m): m.letter for m in variable.missing}
        frame[variable.stata_name] = pd.Series(
            [letters.get(c, c) for c in frame[variable.stata_name]], dtype=object
        )
    value_labels: dict[str, dict[Any, str]] = {}
    for v in variables:
        if v.kind != "numeric" or not (v.values or v.missing):
            continue
        labels: dict[Any, str] = {value: label for value, label in v.values.items()}
        labels.update({m.letter: m.label for m in v.missing})
        value_labels[v.stata_name] = {k: shorten(t, STATA_VALUE_LABEL) for k, t in labels.items()}

    def write(path: Path) -> None:
        pyreadstat.write_dta(
            frame,
            str(path),
            file_label=shorten(survey.title, 80),
            column_labels={v.stata_name: shorten(v.label, STATA_VARIABLE_LABEL) for v in variables},
            version=14,  # format 118: Stata 14 and later (119 needs Stata 15)
            variable_value_labels=value_labels,
            missing_user_values={
                v.stata_name: [m.letter for m in v.missing] for v in variables if v.missing
            },
            variable_format={
                v.stata_name: DATE_FORMATS["dta"] for v in variables if v.kind == "date"
            },
        )

    return _with_file(write)
