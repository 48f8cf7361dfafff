"""The one CSV dialect (surveys.spreadsheet): semicolons, CRLF, minimal quoting, and every CSV
writer of the project uses it."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

from surveys.spreadsheet import csv_writer

ROOT = Path(__file__).resolve().parents[2]


def test_dialect_is_what_german_excel_opens() -> None:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["Mitte", "Kita; Schule", 'sagt "ja"', 3.5, None])
    assert out.getvalue() == 'Mitte;"Kita; Schule";"sagt ""ja""";3.5;\r\n'
    back = next(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert back == ["Mitte", "Kita; Schule", 'sagt "ja"', "3.5", ""]


def test_no_module_builds_its_own_csv_writer() -> None:
    offenders = []
    for package in ("app", "surveys", "analysis"):
        for path in (ROOT / package).rglob("*.py"):
            if path.name == "spreadsheet.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"writer", "DictWriter"}
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "csv"
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
