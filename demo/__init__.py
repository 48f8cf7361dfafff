"""The Delmenhorst demo: the 2019 Bestandsanalyse and the 2026 Bilanzierungs-Audit.

:func:`seed_demo` creates both surveys (all six Handlungsfelder, three target groups,
questions shared by key), validates them with :func:`surveys.rules.check_survey` and adds
deterministic synthetic responses. It is idempotent: surveys are recognised by slug and
never created twice. Later parts of the demo (e.g. the 2019 goal agreement of the
workshop) plug in through :data:`EXTRA_SEEDERS`.
"""

from __future__ import annotations

from demo.build import build_survey
from demo.content import BASELINE, CURRENT, SECTIONS
from demo.hooks import DemoContext, Seeder
from demo.languages import seed_translations
from demo.postal import seed_postal
from demo.publication import seed_publication
from demo.responses import store_synthetic_responses
from demo.weighting import seed_weighting
from demo.workshop import seed_workshop
from surveys.db import SessionLike
from surveys.library import seed_library
from surveys.models import Survey
from surveys.queries import handlungsfelder, response_count, survey_by_slug, target_groups
from surveys.reference_data import ensure_reference_data
from surveys.rules import check_survey

DEFAULT_RESPONSES = 3000
DEFAULT_SEED = 2026


#: Seeders that run after both surveys exist, in order, on every run. To extend the demo
#: (e.g. the workshop's 2019 goal agreement), write ``def seed_x(session, context:
#: DemoContext) -> str | None`` importing the types from :mod:`demo.hooks`, and
#: add it here.
EXTRA_SEEDERS: list[Seeder] = [
    seed_workshop,
    seed_library,
    seed_translations,
    seed_publication,
    seed_postal,
    seed_weighting,
]


def seed_demo(
    session: SessionLike, responses: int = DEFAULT_RESPONSES, seed: int = DEFAULT_SEED
) -> str:
    """Create the demo surveys with ``responses`` synthetic responses each.

    The same ``seed`` gives the same questionnaires and answers. Surveys that exist
    already (by slug) are left untouched. Flushes but does not commit. Returns a short
    German summary line for the command line.
    """
    if responses < 0:
        raise ValueError("responses must not be negative")
    ensure_reference_data(session)
    fields = {h.key: h for h in handlungsfelder(session)}
    groups = {g.key: g for g in target_groups(session)}
    group_ids = {key: group.id for key, group in groups.items()}

    surveys: dict[int, Survey] = {}
    created: list[str] = []
    for spec in (BASELINE, CURRENT):
        existing = survey_by_slug(session, spec.slug)
        if existing is not None:
            surveys[spec.year] = existing
            continue
        baseline = surveys.get(BASELINE.year) if spec is CURRENT else None
        survey = build_survey(session, spec, SECTIONS, fields, groups, baseline)
        check_survey(survey)
        store_synthetic_responses(session, survey, spec, SECTIONS, group_ids, responses, seed)
        session.flush()
        surveys[spec.year] = survey
        created.append(_describe(session, survey))

    context = DemoContext(
        baseline=surveys[BASELINE.year],
        current=surveys[CURRENT.year],
        seed=seed,
        created=bool(created),
    )
    extras = [note for seeder in EXTRA_SEEDERS if (note := seeder(session, context))]
    if created:
        summary = "Demo angelegt: " + "; ".join(created) + "."
    else:
        summary = (
            f"Demo bereits vorhanden ({BASELINE.slug}, {CURRENT.slug}) – nichts doppelt angelegt."
        )
    return " ".join([summary, *extras])


def _describe(session: SessionLike, survey: Survey) -> str:
    """Return "„title“ (N Antworten)" for the summary."""
    return f"„{survey.title}“ ({response_count(session, survey)} Antworten)"


__all__ = ["EXTRA_SEEDERS", "DemoContext", "Seeder", "seed_demo"]
