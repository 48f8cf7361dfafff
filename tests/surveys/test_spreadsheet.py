"""The one formula rule of every spreadsheet writer (surveys.spreadsheet)."""

from __future__ import annotations

import pytest

from analysis import export as analysis_export
from surveys import exports
from surveys.exchange import translations_xlsx
from surveys.spreadsheet import neutralise, unneutralise
from surveys.workshop import csv_io


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+1", "@A1", "\t=1", "\r=1", "\n=1"])
def test_every_formula_start_is_neutralised_and_restored(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


@pytest.mark.parametrize("value", ["Wohnraum", "", "'Zitat'", -3, 2.5, None])
def test_other_values_stay(value: object) -> None:
    assert neutralise(value) == value


def test_every_writer_uses_the_one_rule() -> None:
    for module in (exports, csv_io, analysis_export, translations_xlsx):
        assert module.neutralise is neutralise, module.__name__
