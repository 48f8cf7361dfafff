"""Content of the council annex (Anlage zur Beschlussvorlage), shared by the DOCX and PDF.

Builds plain rows of label/value text from a version so that both exports show the same
facts; every value is plain text (the DOCX writes runs, the PDF template escapes).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from surveys.models import AgreementVersion, Goal, Handlungsfeld, Measure, Priority

PRIORITY_LABELS = {Priority.HIGH: "hoch", Priority.MEDIUM: "mittel", Priority.LOW: "niedrig"}


def euros(amount: int | None) -> str:
    """Format whole euros the German way (``12.500 €``); empty when unknown."""
    return f"{amount:,} €".replace(",", ".") if amount is not None else ""


def german(day: date | None) -> str:
    """Format a date as ``TT.MM.JJJJ``."""
    return f"{day:%d.%m.%Y}" if day else ""


def timeframe(measure: Measure) -> str:
    """Return ``MM/JJJJ – MM/JJJJ`` (or one side) of a measure's timeframe."""
    start = f"{measure.starts_on:%m/%Y}" if measure.starts_on else ""
    end = f"{measure.ends_on:%m/%Y}" if measure.ends_on else ""
    if start and end:
        return f"{start} – {end}"
    return f"ab {start}" if start else (f"bis {end}" if end else "")


def measure_rows(measure: Measure) -> list[tuple[str, str]]:
    """Return the label/value pairs shown for a measure (empty values left out)."""
    rows = [
        ("Beschreibung", measure.description),
        ("Verantwortlich", measure.responsible_unit),
        ("Partner", measure.partners),
        ("Zeitraum", timeframe(measure)),
        ("Indikator", measure.indicator),
        ("Zielwert", measure.target_value),
        ("Geschätzte Kosten", euros(measure.estimated_cost)),
        ("Priorität", PRIORITY_LABELS[measure.priority]),
        ("Grundlage (Befragung)", ", ".join(f.label for f in measure.findings)),
    ]
    return [(label, value) for label, value in rows if value]


@dataclass
class FieldSection:
    """The goals of one Handlungsfeld."""

    field: Handlungsfeld
    goals: list[Goal] = dataclass_field(default_factory=list)


@dataclass
class Annex:
    """Everything the annex shows."""

    title: str
    subtitle: str
    version: AgreementVersion
    sections: list[FieldSection]
    measure_count: int


def build_annex(version: AgreementVersion, fields: list[Handlungsfeld], municipality: str) -> Annex:
    """Collect the goals per field of ``version`` (fields without goals are left out)."""
    agreement = version.agreement
    sections = [
        FieldSection(hf, [g for g in version.goals if g.handlungsfeld_id == hf.id]) for hf in fields
    ]
    sections = [s for s in sections if s.goals]
    if version.is_frozen:
        subtitle = (
            f"Anlage zur Drucksache {version.paper_number}, "
            f"beschlossen am {german(version.resolution_date)} (Version {version.number})"
        )
    else:
        subtitle = f"Entwurf, Version {version.number} – noch nicht beschlossen"
    return Annex(
        title=f"{agreement.title} – {municipality}",
        subtitle=subtitle,
        version=version,
        sections=sections,
        measure_count=sum(len(g.measures) for s in sections for g in s.goals),
    )
