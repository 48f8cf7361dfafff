"""The workshop demo plugged into the real Delmenhorst demo through its seeder hook."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

import demo
from demo.workshop import seed_workshop
from surveys.models import FindingKind
from surveys.queries import survey_by_slug
from surveys.workshop.agreements import agreement_for
from surveys.workshop.previous import previous_measures


def test_seed_workshop_hook_links_findings_of_the_demo_surveys(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "EXTRA_SEEDERS", [seed_workshop])
    summary = demo.seed_demo(session, responses=10)
    assert "Zielvereinbarung 2019" in summary
    old = survey_by_slug(session, "bestandsanalyse-2019")
    new = survey_by_slug(session, "bilanzierungs-audit-2026")
    assert old is not None and new is not None
    agreement = agreement_for(session, old)
    assert agreement is not None and agreement.current.is_frozen
    measures = [m for g in agreement.current.goals for m in g.measures]
    assert all(m.findings for m in measures)
    network = next(m for m in measures if m.title.startswith("Netzwerk"))
    assert [(f.kind, f.label) for f in network.findings] == [
        (FindingKind.ITEM, "arbeitswelt_zufriedenheit/arbeitgeber_flexibel"),
        (FindingKind.ITEM, "arbeitswelt_zufriedenheit/vereinbarkeit"),
    ]
    draft = agreement_for(session, new)
    assert draft is not None and all(m.findings for g in draft.current.goals for m in g.measures)
    assert len(previous_measures(session, new)) == 12  # the 2026 survey's baseline is 2019
    again = demo.seed_demo(session, responses=10)
    assert "Zielvereinbarung" not in again
