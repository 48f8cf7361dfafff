"""Demo seeder: population margins for weighting the 2026 survey to register figures.

The figures are invented for the demo but plausible for Delmenhorst (about 83,000
inhabitants, about 9,400 households with children under 18 and 18,600 people aged 65 or
older); they are not the city's statistics.
"""

from __future__ import annotations

from datetime import date

from demo.hooks import DemoContext
from surveys.db import SessionLike
from surveys.models import MarginKind, Survey, TargetGroup
from surveys.weighting import MarginInput, margins_of, save_margin, weighting_questions

SOURCE = "Melderegister der Stadt Delmenhorst (für die Demo erfundene Zahlen)"
REFERENCE_DATE = date(2025, 12, 31)

#: Households with children under 18 per Stadtteil (illustrative).
FAMILY_HOUSEHOLDS = {
    "mitte": 1480,
    "duesternort": 1390,
    "deichhorst": 1210,
    "bungerhof": 820,
    "hasport_annenheide": 1050,
    "iprump_stickgras": 930,
    "brendel_adelheide": 860,
    "heidkrug": 690,
    "schafkoven_donneresch": 970,
    "ausserhalb": None,  # not part of the city's population: excluded
}
#: Inhabitants aged 65 or older per Stadtteil (illustrative).
SENIORS = {
    "mitte": 3350,
    "duesternort": 2240,
    "deichhorst": 2050,
    "bungerhof": 1680,
    "hasport_annenheide": 1860,
    "iprump_stickgras": 1580,
    "brendel_adelheide": 1950,
    "heidkrug": 1400,
    "schafkoven_donneresch": 2490,
    "ausserhalb": None,
}
#: Age groups of inhabitants aged 65 or older, in percent (illustrative).
SENIOR_AGES = {"u30": None, "30_44": None, "45_64": None, "65_79": 68.5, "80plus": 31.5}

#: (target group, question, kind, figures per option code)
MARGINS = (
    ("familien", "stadtteil", MarginKind.COUNT, FAMILY_HOUSEHOLDS),
    ("senioren", "stadtteil", MarginKind.COUNT, SENIORS),
    ("senioren", "altersgruppe", MarginKind.SHARE, SENIOR_AGES),
)


def _group(survey: Survey, key: str) -> TargetGroup | None:
    return next((g for g in survey.target_groups if g.key == key), None)


def seed_weighting(session: SessionLike, context: DemoContext) -> str | None:
    """Enter the demo's margins for the current survey once (idempotent; flush, no commit)."""
    survey = context.current
    if margins_of(session, survey):
        return None
    saved = 0
    for group_key, question_key, kind, figures in MARGINS:
        group = _group(survey, group_key)
        if group is None:
            continue
        question = next(
            (q for q in weighting_questions(survey, group) if q.key == question_key), None
        )
        if question is None:
            continue
        values = {o.code: figures.get(o.code) for o in question.options}
        data = MarginInput(kind=kind, source=SOURCE, reference_date=REFERENCE_DATE, values=values)
        save_margin(session, survey, group, question, data, None)
        saved += 1
    return f"Gewichtung: {saved} Randverteilungen für {survey.slug} eingetragen." if saved else None
