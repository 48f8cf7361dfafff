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


@pytest.mark.parametrize("spec", REGISTRY.values(), ids=lambda s: s.type.value)
def test_designer_partial_exists(spec: QuestionTypeSpec) -> None:
    name = spec.designer_template()
    assert name is None or (TEMPLATES / name).is_file(), name


def _designer_offences(source: str) -> list[str]:
    """Comparisons of the chosen type with a type name, and blocks naming types literally."""
    names = "|".join(re.escape(s.type.value) for s in REGISTRY.values())
    compared = re.compile(r"\bt\s*(?:==|!=|(?:not\s+)?in)\s*[(\[]?\s*['\"](?:" + names + r")['\"]")
    literal = re.compile(r"data-types=\"[^\"{]*\b(?:" + names + r")\b[^\"]*\"")
    return compared.findall(source) + literal.findall(source)


def test_designer_form_has_no_blocks_per_type() -> None:
    # The designer's settings come from each type's flags and partial, never from a list of
    # type names in the form.
    source = (TEMPLATES / "staff" / "question_form.html").read_text(encoding="utf-8")
    assert _designer_offences(source) == []


def test_designer_offences_are_found() -> None:
    # The check above catches what the form used to hold.
    assert _designer_offences(
        """<div data-types="multi"{% if t != 'multi' %} hidden{% endif %}>"""
    ) == ["t != 'multi'", 'data-types="multi"']
    assert _designer_offences("{% if t not in ('likert', 'matrix') %}") == ["t not in ('likert'"]
    assert _designer_offences("<div data-types=\"{{ scale_types|join(' ') }}\">") == []
