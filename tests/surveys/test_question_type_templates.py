"""Every question type draws itself with its own partial templates: no template branches on
the type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from surveys.question_types import REGISTRY, QuestionTypeSpec

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize("spec", REGISTRY.values(), ids=lambda s: s.type.value)
def test_each_type_has_a_partial_in_every_view(spec: QuestionTypeSpec) -> None:
    for view in spec.VIEWS:
        candidates = spec.templates(view)
        assert any((TEMPLATES / name).is_file() for name in candidates), candidates


def test_unknown_view_is_refused() -> None:
    spec = next(iter(REGISTRY.values()))
    with pytest.raises(ValueError):
        spec.templates("fax")


def test_no_template_chains_on_the_question_type() -> None:
    chain = re.compile(r"\{%-?\s*(?:el)?if\s+(?:q|question)\.type(?:\.value)?\s*(?:==|in)")
    # ... nor through a variable holding the type.
    alias = re.compile(r"\{%-?\s*set\s+(\w+)\s*=\s*(?:q|question)\.type\b")
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        names = alias.findall(source)
        branches = [re.compile(r"\{%-?\s*(?:el)?if\s+" + n + r"\s*(?:==|in)") for n in names]
        if chain.search(source) or any(b.search(source) for b in branches):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []
