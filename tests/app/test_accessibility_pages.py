"""Erklärung zur Barrierefreiheit (fields staff fill in) and the Leichte-Sprache page."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.i18n.catalogues import compile_catalogues


@pytest.fixture(scope="module", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


def test_statement_marks_every_missing_field(client: FlaskClient) -> None:
    html = client.get("/barrierefreiheit").get_data(as_text=True)
    assert html.count('class="template-gap"') == 4
    for heading in (
        "Stand der Vereinbarkeit",
        "Nicht barrierefreie Inhalte",
        "Schlichtungsverfahren",
    ):
        assert heading in html
    assert 'href="/leichte-sprache"' in html


def test_statement_shows_what_the_municipality_filled_in(app: Flask) -> None:
    app.config.update(
        ACCESSIBILITY_STATUS="teilweise vereinbar",
        ACCESSIBILITY_REVIEWED_ON="20.11.2026",
        ACCESSIBILITY_LIMITATIONS="Die PDF-Mappe ist noch nicht barrierefrei.",
        ACCESSIBILITY_CONTACT="<b>barrierefreiheit@example.org</b>",
    )
    html = app.test_client().get("/barrierefreiheit").get_data(as_text=True)
    assert "template-gap" not in html
    assert "teilweise vereinbar" in html and "20.11.2026" in html
    assert "&lt;b&gt;barrierefreiheit@example.org&lt;/b&gt;" in html


def test_leichte_sprache_page_is_german_in_every_interface_language(client: FlaskClient) -> None:
    html = client.get("/leichte-sprache?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<div lang="de" dir="ltr" class="easy-read">' in html
    assert "Informationen in Leichter Sprache" in html
    assert "So finden Sie sich zurecht" in html
    footer = client.get("/").get_data(as_text=True)
    assert '<a href="/leichte-sprache" lang="de">Leichte Sprache</a>' in footer
