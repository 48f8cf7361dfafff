"""Content of the council annex (Anlage zur Beschlussvorlage), shared by the DOCX and PDF.

Builds plain label/value text from a version so that both exports show the same facts; every
value is plain text (the DOCX writes runs, the PDF template escapes). Labels are German msgids
marked with ``N_``; callers pass a ``gettext`` to translate them (default: unchanged).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from surveys.i18n import N_
from surveys.models import AgreementVersion, Goal, Handlungsfeld, Measure, Priority

Translate = Callable[[str], str]
PRIORITY_LABELS = {
    Priority.HIGH: N_("hoch"),
    Priority.MEDIUM: N_("mittel"),
    Priority.LOW: N_("niedrig"),
}


def unchanged(message: str) -> str:
    """The identity ``gettext``: German source text as is."""
    return message


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
    return f"{start} –" if start else (f"– {end}" if end else "")


def measure_rows(
    measure: Measure,
    gettext: Translate = unchanged,
    finding_labels: Mapping[int, str] | None = None,
) -> list[tuple[str, str]]:
    """Return the translated label/value pairs shown for a measure (empty values left out);
    findings by their wording (``finding_labels``, else their short reference)."""
    labels = finding_labels or {}
    rows = [
        (N_("Beschreibung"), measure.description),
        (N_("Verantwortlich"), measure.responsible_unit),
        (N_("Partner"), measure.partners),
        (N_("Zeitraum"), timeframe(measure)),
        (N_("Indikator"), measure.indicator),
        (N_("Zielwert"), measure.target_value),
        (N_("Geschätzte Kosten"), euros(measure.estimated_cost)),
        (N_("Priorität"), gettext(PRIORITY_LABELS[measure.priority])),
        (
            N_("Grundlage (Befragung)"),
            "; ".join(labels.get(f.id, f.label) for f in measure.findings),
        ),
    ]
    return [(gettext(label), value) for label, value in rows if value]


@dataclass
class FieldSection:
    """The goals of one Handlungsfeld."""

    field: Handlungsfeld
    goals: list[Goal] = dataclass_field(default_factory=list)


@dataclass
class Annex:
    """Everything the annex shows, with its headings already translated."""

    title: str
    subtitle: str
    summary: str
    version: AgreementVersion
    sections: list[FieldSection]
    measure_count: int
    gettext: Translate = unchanged
    #: Finding id -> wording (:func:`surveys.workshop.queries.finding_labels`).
    finding_labels: Mapping[int, str] = dataclass_field(default_factory=dict)

    def field_heading(self, field: Handlungsfeld) -> str:
        """``Handlungsfeld 3: Bildung und Erziehung``."""
        return self.gettext(N_("Handlungsfeld %(number)s: %(title)s")) % {
            "number": field.number,
            "title": field.title,
        }

    def goal_heading(self, goal: Goal) -> str:
        """``Ziel 3.1: …``."""
        return self.gettext(N_("Ziel %(code)s: %(title)s")) % {
            "code": goal.code,
            "title": goal.title,
        }

    def measure_heading(self, measure: Measure) -> str:
        """``Maßnahme 3.1.2: …``."""
        return self.gettext(N_("Maßnahme %(code)s: %(title)s")) % {
            "code": measure.code,
            "title": measure.title,
        }

    def rows(self, measure: Measure) -> list[tuple[str, str]]:
        """Translated label/value pairs of a measure."""
        return measure_rows(measure, self.gettext, self.finding_labels)


def build_annex(
    version: AgreementVersion,
    fields: list[Handlungsfeld],
    municipality: str,
    gettext: Translate = unchanged,
    finding_labels: Mapping[int, str] | None = None,
) -> Annex:
    """Collect the goals per field of ``version`` (fields without goals are left out)."""
    agreement = version.agreement
    sections = [
        FieldSection(hf, [g for g in version.goals if g.handlungsfeld_id == hf.id]) for hf in fields
    ]
    sections = [s for s in sections if s.goals]
    if version.is_frozen:
        subtitle = gettext(
            N_("Anlage zur Drucksache %(paper)s, beschlossen am %(date)s (Version %(number)s)")
        ) % {
            "paper": version.paper_number,
            "date": german(version.resolution_date),
            "number": version.number,
        }
    else:
        subtitle = gettext(N_("Entwurf, Version %(number)s – noch nicht beschlossen")) % {
            "number": version.number
        }
    measure_count = sum(len(g.measures) for s in sections for g in s.goals)
    summary = gettext(N_("%(fields)s Handlungsfelder, %(goals)s Ziele, %(measures)s Maßnahmen")) % {
        "fields": len(sections),
        "goals": sum(len(s.goals) for s in sections),
        "measures": measure_count,
    }
    return Annex(
        title=f"{agreement.title} – {municipality}",
        subtitle=subtitle,
        summary=summary,
        version=version,
        sections=sections,
        measure_count=measure_count,
        gettext=gettext,
        finding_labels=dict(finding_labels or {}),
    )
