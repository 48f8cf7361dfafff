"""Validate a catalogue with pyshacl against the vendored DCAT-AP.de 2.0 SHACL profiles.

The two profiles are GovData's (``tests/data/dcat-ap-de/shapes/README.md`` of the official
repository lists their files): "Spezifikation" and "Spezifikation + Konventionen". The
official validator loads the controlled vocabularies named in ``dcat-ap-de-imports.ttl``
from the web; here they come from ``tests/data/dcat-ap-de/vocabularies`` and are merged into
the data graph, as ``owl:imports`` would (see that folder's README for each file's source).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Namespace

DATA = Path(__file__).resolve().parents[1] / "data" / "dcat-ap-de"
SH = Namespace("http://www.w3.org/ns/shacl#")

#: GovData's profiles of DCAT-AP.de 2.0 (without the imports file, whose targets are local).
PROFILES: dict[str, tuple[str, ...]] = {
    "spezifikation": (
        "dcat-ap_2.1.1_shacl_shapes.ttl",
        "dcat-ap-spec-german-messages.ttl",
        "dcat-ap-spec-german-additions.ttl",
        "dcat-ap-de-deprecated.ttl",
    ),
    "konventionen": (
        "dcat-ap_2.1.1_shacl_shapes.ttl",
        "dcat-ap-spec-german-messages.ttl",
        "dcat-ap-spec-german-additions.ttl",
        "dcat-ap-de-deprecated.ttl",
        "dcat-ap-konventionen.ttl",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One result of a SHACL report."""

    severity: str  # Violation, Warning, Info
    focus: str
    path: str  # the IRI of the property
    message: str


@cache
def shapes(profile: str) -> Graph:
    """The shapes graph of a profile (parsed once per test process)."""
    graph = Graph()
    for name in PROFILES[profile]:
        graph.parse(DATA / "shapes" / name, format="turtle")
    return graph


@cache
def vocabularies() -> Graph:
    """Every vendored vocabulary and ontology, as one graph."""
    graph = Graph()
    for path in sorted((DATA / "vocabularies").iterdir()):
        if path.suffix in {".rdf", ".ttl"}:
            graph.parse(path, format="xml" if path.suffix == ".rdf" else "turtle")
    return graph


def findings(catalogue: Graph, profile: str) -> list[Finding]:
    """Validate ``catalogue`` and return every result, of any severity."""
    conforms, report, _text_report = validate(
        catalogue + vocabularies(),
        shacl_graph=shapes(profile),
        inference="none",
        advanced=True,
        allow_warnings=False,
        allow_infos=False,
    )
    assert isinstance(report, Graph)
    out = []
    for result in report.objects(None, SH.result):  # top level, not nested sh:detail
        severity = report.value(result, SH.resultSeverity)
        out.append(
            Finding(
                severity=str(severity).rsplit("#", 1)[-1],
                focus=str(report.value(result, SH.focusNode)),
                path=str(report.value(result, SH.resultPath) or ""),
                message=str(report.value(result, SH.resultMessage) or ""),
            )
        )
    assert conforms == (not out)
    return sorted(out, key=lambda f: (f.severity, f.focus, f.path, f.message))
