"""Chart helpers: labels wrap onto lines instead of being cut."""

from __future__ import annotations

from analysis.charts import LABEL_WIDTH, likert_height_for, wrap_label


def test_long_labels_wrap_instead_of_being_cut() -> None:
    text = "Barrierefreiheit von Gehwegen, Haltestellen und öffentlichen Gebäuden in der Stadt"
    wrapped = wrap_label(text)
    assert wrapped.replace("\n", " ") == text  # every word kept
    assert all(len(line) <= LABEL_WIDTH for line in wrapped.split("\n"))
    endless = " ".join(["Wort"] * 60)
    assert wrap_label(endless).count("\n") == 2 and wrap_label(endless).endswith("…")
    assert likert_height_for([text]) > likert_height_for(["Radwege"])
