"""One export path: the format registry and ``download()`` of :mod:`app.downloads`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Flask

from app.downloads import FORMATS, download
from surveys.spreadsheet import BOM

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_is_an_attachment_with_its_type_that_no_cache_keeps(
    app: Flask, fmt: str
) -> None:
    with app.test_request_context():
        response = download(b"data", fmt, "bericht")
    kind = FORMATS[fmt]
    assert response.mimetype == kind.mimetype.split(";")[0]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and f"bericht.{kind.extension}" in disposition
    assert response.headers["Cache-Control"] == "no-store"
    response.direct_passthrough = False
    assert response.get_data() == b"data"


def test_csv_text_gets_one_byte_order_mark_and_others_none(app: Flask) -> None:
    with app.test_request_context():
        plain = download("a;b\r\n", "csv", "x")
        marked = download(BOM + "a;b\r\n", "csv", "x")
        json = download('{"a": 1}', "json", "x")
    for response in (plain, marked, json):
        response.direct_passthrough = False
    assert plain.get_data() == marked.get_data() == "\ufeffa;b\r\n".encode()
    assert json.get_data() == b'{"a": 1}'


def test_file_names_with_umlauts_are_encoded_not_mangled(app: Flask) -> None:
    with app.test_request_context():
        response = download(b"x", "pdf", "maßnahmen-übersicht")
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''ma%C3%9Fnahmen-%C3%BCbersicht.pdf" in disposition


def test_a_stream_is_sent_as_it_is_produced(app: Flask) -> None:
    produced: list[str] = []

    def rows() -> object:
        for n in range(3):
            produced.append(str(n))
            yield f"{n}\r\n"

    with app.test_request_context():
        response = download(rows(), "csv", "antworten")  # type: ignore[arg-type]
    assert produced == []  # nothing written before the body is read
    assert response.is_streamed
    assert b"".join(response.iter_encoded()) == b"0\r\n1\r\n2\r\n"


def test_views_build_attachments_only_through_download() -> None:
    """No view sets Content-Disposition by hand: the registry is the one path."""
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        if path.name == "downloads.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value == "Content-Disposition":
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
