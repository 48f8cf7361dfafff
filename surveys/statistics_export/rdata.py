"""The R export: a CSV of the responses, an R script that applies the labels, and a codebook.

The CSV is written in the project's one dialect (:mod:`surveys.spreadsheet`: UTF-8 with a
byte-order mark, semicolons, CRLF) with numbers as numbers, the missing-value codes as they
are and every text neutralised, because people open it in Excel too. The script reads it
with base R only (``utils::read.csv``), undoes the neutralisation, turns coded variables into
factors with their labels (ordered for scales and ranks), sets the missing-value codes of the
other numeric variables to NA and puts each question text in the ``label`` attribute. The
codebook lists every variable, value and code. All three travel in one ZIP file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date

from surveys.conditions import describe_condition
from surveys.db import SessionLike
from surveys.models import Survey
from surveys.spreadsheet import BOM, csv_writer, neutralise
from surveys.statistics_export.values import Cell, response_values
from surveys.statistics_export.variables import (
    MISSING,
    Variable,
    meta_value_labels,
    survey_variables,
)

#: R reads these meta variables as factors with the codebook's labels.
FACTOR_META = ("target_group", "channel", "language")


def r_string(text: str) -> str:
    """``text`` as an R string literal: quotes, backslashes and control characters escaped
    (a question text can never end the literal and run as code)."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    out = []
    for char in text:
        if char in escapes:
            out.append(escapes[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(" ")  # R strings cannot hold NUL; other controls mean nothing here
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _csv_cell(cell: Cell) -> Cell:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    return neutralise(cell) if isinstance(cell, str) else cell


def csv_text(variables: list[Variable], rows: Iterable[list[Cell]]) -> str:
    """The CSV: a header of variable names, then one row per response."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv_writer(buffer)
    writer.writerow([v.name for v in variables])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue()


def _vector(values: Iterable[object]) -> str:
    parts = [r_string(v) if isinstance(v, str) else str(v) for v in values]
    return "c(" + ", ".join(parts) + ")"


def _col_class(variable: Variable) -> str:
    return {"numeric": "numeric", "string": "character", "date": "character"}[variable.kind]


def _header(survey: Survey, csv_name: str, script_name: str, today: date) -> list[str]:
    codes = ", ".join(f"{m.code} = {m.label}" for m in MISSING)
    return [
        # One line whatever the title holds: a line break would end the comment.
        f"# Familienkompass: {' '.join(survey.title.split())} ({survey.slug})",
        f"# Anonyme Antworten, eine Zeile je Antwortbogen; erzeugt am {today.isoformat()}.",
        "#",
        "# Entpacken Sie die ZIP-Datei, setzen Sie in R das Arbeitsverzeichnis auf den Ordner",
        "# (setwd) und führen Sie aus:",
        f'#   source("{script_name}", encoding = "UTF-8")',
        '# Danach enthält `antworten` die Daten mit Labels (Faktoren, Attribut "label") und',
        "# `antworten_codes` dieselben Daten mit den Codes der CSV-Datei.",
        "#",
        f"# Fehlende Werte sind in {csv_name} als Codes gespeichert und werden hier zu NA:",
        f"#   {codes}.",
        "# Zahlenfragen, die negative Antworten erlauben, nutzen -999999991 bis -999999999.",
        "# Das Codebuch (codebuch.csv) nennt jede Variable, jeden Wert und jeden Code.",
        "",
    ]


def r_script(survey: Survey, variables: list[Variable], csv_name: str, script_name: str,
             today: date) -> str:  # fmt: skip
    """The R script that reads ``csv_name`` and applies labels and missing values."""
    lines = _header(survey, csv_name, script_name, today)
    classes = ",\n    ".join(f"{v.name} = {r_string(_col_class(v))}" for v in variables)
    lines += [
        'fk_text <- function(x) sub("^\'([-=+@\\t\\r\\n])", "\\\\1", x)',
        "antworten_codes <- utils::read.csv(",
        f"  {r_string(csv_name)},",
        '  sep = ";", dec = ".", quote = "\\"", fileEncoding = "UTF-8-BOM",',
        '  na.strings = "", check.names = FALSE, stringsAsFactors = FALSE,',
        f"  colClasses = c(\n    {classes}\n  )",
        ")",
        "antworten <- antworten_codes",
        "",
    ]
    meta_labels = meta_value_labels(survey)
    for v in variables:
        column = f"antworten${v.name}"
        if v.kind == "date":
            lines.append(f"{column} <- as.Date({column})")
        elif v.kind == "string":
            labels = meta_labels.get(v.name) if v.name in FACTOR_META else None
            if labels:
                lines.append(
                    f"{column} <- factor(fk_text({column}), levels = {_vector(labels)}, "
                    f"labels = {_vector(labels.values())})"
                )
            else:
                lines.append(f"{column} <- fk_text({column})")
        elif v.values and v.measure != "scale":
            ordered = ", ordered = TRUE" if v.measure == "ordinal" else ""
            lines.append(
                f"{column} <- factor({column}, levels = {_vector(v.values)}, "
                f"labels = {_vector(v.values.values())}{ordered})"
            )
        elif v.missing:
            codes = _vector(v.code(m) for m in v.missing)
            lines.append(f"{column}[{column} %in% {codes}] <- NA")
        lines.append(f'attr({column}, "label") <- {r_string(v.label)}')
    lines.append("")
    return "\n".join(lines)


def codebook_rows(survey: Survey, variables: list[Variable]) -> Iterator[list[object]]:
    """Yield the codebook: one row per variable and one per value, code or text value."""
    yield ["variable", "stata_name", "column", "question", "label", "kind", "measure", "value",
           "value_label", "missing", "stata_missing", "note"]  # fmt: skip
    by_key = {q.key: q for q in survey.questions()}
    meta_labels = meta_value_labels(survey)
    for v in variables:
        question = v.question.key if v.question is not None else ""
        note = ""
        if v.question is not None and v.question.condition:
            note = "nur gefragt, wenn " + describe_condition(v.question.condition, by_key)
        base = [v.name, v.stata_name, v.column, question, v.label, v.kind, v.measure]
        yield [neutralise(c) for c in [*base, "", "", "", "", note]]
        for key, text in meta_labels.get(v.name, {}).items():
            yield [neutralise(c) for c in [*base, key, text, "", "", ""]]
        for value, label in v.values.items():
            yield [neutralise(c) for c in [*base, value, label, "", "", ""]]
        for m in v.missing:
            yield [neutralise(c) for c in [*base, v.code(m), m.label, "ja", f".{m.letter}", ""]]


def to_r_zip(session: SessionLike, survey: Survey, today: date | None = None) -> bytes:
    """Return a ZIP file with ``<slug>-antworten.csv``, ``<slug>-antworten.R`` and
    ``codebuch.csv``."""
    today = today or date.today()
    variables = survey_variables(survey)
    stem = f"{survey.slug}-antworten"
    csv_name, script_name = f"{stem}.csv", f"{stem}.R"
    data = csv_text(variables, response_values(session, survey, variables))
    book = io.StringIO()
    book.write(BOM)
    writer = csv_writer(book)
    for row in codebook_rows(survey, variables):
        writer.writerow(row)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(csv_name, data.encode("utf-8"))
        archive.writestr(script_name, r_script(survey, variables, csv_name, script_name, today))
        archive.writestr("codebuch.csv", book.getvalue().encode("utf-8"))
    return buffer.getvalue()
