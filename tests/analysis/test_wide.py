"""The wide table (one row per response): every number of a Zahlen-Matrix gets its column."""

from __future__ import annotations

from analysis.frames import wide
from tests.analysis.tiny import answers, meta


def test_a_number_matrix_has_one_column_per_row_and_column() -> None:
    m = meta(
        [{"key": "betreuung", "kind": "numbermatrix"}, {"key": "kinder", "kind": "multinumber"}],
        items=[("betreuung", "kita"), ("betreuung", "schule"), ("kinder", "a0_2")],
        options=[("betreuung", "kinder"), ("betreuung", "stunden")],
    )
    frame = answers(
        m,
        [
            (1, "familien", "betreuung", "kita", "kinder", 1, False),
            (1, "familien", "betreuung", "kita", "stunden", 35, False),
            (1, "familien", "betreuung", "schule", "stunden", 0, False),
            (1, "familien", "kinder", "a0_2", None, 2, False),
            (2, "familien", "betreuung", "kita", "stunden", 20, False),
        ],
    )
    table = wide(frame, m)
    assert table.loc[1, "betreuung:kita:kinder"] == 1
    assert table.loc[1, "betreuung:kita:stunden"] == 35
    assert table.loc[1, "betreuung:schule:stunden"] == 0
    assert table.loc[2, "betreuung:kita:stunden"] == 20
    assert table.loc[1, "kinder:a0_2"] == 2  # a multiple number entry: one column per field
