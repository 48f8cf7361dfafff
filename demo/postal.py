"""The demo's survey by post: a random sample in three Stadtteile, with letters and codes.

"Familienbefragung per Post 2026" asks families and seniors with single-use access codes.
Three mailings (batches) went to Deichhorst, Düsternort and Mitte; some codes came back
online, some on paper with the code, and a few paper forms without a code were counted for
their batch. Codes are redeemed as the application does (a keyed mark), with the key of the
``SECRET_KEY`` in the environment (the development key otherwise), so the demo's used codes
count as used when ``make run`` serves the app with the same secret.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace
from datetime import date

from sqlalchemy import select

from demo.build import build_survey
from demo.content import CURRENT, SECTIONS
from demo.hooks import DemoContext
from demo.responses import draw_response
from demo.spec import DISTRICT_QUESTION
from surveys.access_codes import mark_key, redeem_access_code
from surveys.db import SessionLike
from surveys.models import AccessMode, Channel, TargetGroup
from surveys.postal import count_paper_return, create_batch
from surveys.queries import handlungsfelder, survey_by_slug, target_groups
from surveys.responses import store_response
from surveys.rules import check_survey

SLUG = "familienbefragung-post-2026"
#: The same as ``app.config.DEV_SECRET_KEY`` (checked by a test): the key ``make run`` uses.
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - the documented development key
INTRO = (
    "Sie gehören zu den zufällig ausgewählten Haushalten, die wir zu unserer "
    "Familienbefragung einladen. Wie gut lässt es sich in Ihrem Stadtteil mit Kindern "
    "und im Alter leben? Die Befragung dauert etwa 15 Minuten.\n\n"
    "Bitte antworten Sie bis zum 18. Dezember 2026 – online mit Ihrem Zugangscode "
    "oder auf Papier."
)
#: "Bitte zurücksenden an": the sample's returns are counted per batch at the Rathaus.
RETURN_ADDRESS = (
    "Stadt Delmenhorst\n"
    "Fachdienst Controlling und Allgemeines\n"
    "Familienbefragung per Post\n"
    "Rathausplatz 1\n"
    "27749 Delmenhorst"
)


# stratum, Stadtteil option, target group, codes, letters sent, used online, on paper
# with the code, paper forms without a code
BATCHES = (
    ("Deichhorst", "deichhorst", "familien", 150, 148, 41, 9, 3),
    ("Düsternort", "duesternort", "familien", 120, 120, 29, 7, 2),
    ("Mitte", "mitte", "senioren", 100, 97, 17, 14, 4),
)


def demo_key() -> bytes:
    """The key of the demo's spent marks: the app's ``SECRET_KEY`` as the shell has it."""
    return mark_key(os.environ.get("SECRET_KEY") or DEV_SECRET_KEY)


def seed_postal(session: SessionLike, context: DemoContext) -> str | None:
    """Seeder hook: create the postal survey once (idempotent by slug)."""
    if survey_by_slug(session, SLUG) is not None:
        return None
    spec = replace(
        CURRENT,
        slug=SLUG,
        title="Familienbefragung per Post 2026",
        intro=INTRO,
        opens_on="2026-11-02",
        closes_on=None,
        collected_until="2026-11-27",
        reminder_on="2026-11-16",
        return_address=RETURN_ADDRESS,
        return_by="2026-12-18",  # as the letter and the introduction say
    )
    fields = {h.key: h for h in handlungsfelder(session)}
    groups = {g.key: g for g in target_groups(session)}
    survey = build_survey(session, spec, SECTIONS, fields, groups)
    survey.access_mode = AccessMode.CODE
    check_survey(survey)
    session.flush()
    rng = random.Random(f"{context.seed}:{SLUG}")  # noqa: S311 - synthetic data
    key = demo_key()
    total = 0
    for stratum, district, group_key, count, sent, online, paper, uncoded in BATCHES:
        group = session.scalars(select(TargetGroup).filter_by(key=group_key)).one()
        batch, codes = create_batch(
            session, survey, stratum=stratum, target_group=group, count=count,
            letters_sent=sent, today=date(2026, 10, 26),
        )  # fmt: skip
        used = rng.sample(codes, online + paper)
        for number in range(online + paper + uncoded):
            channel = Channel.ONLINE if number < online else Channel.PAPER
            shares = {group_key: 1.0}
            drawn = draw_response(
                rng,
                replace(spec, group_shares=shares,
                        paper_shares={group_key: float(channel == Channel.PAPER)}),
                SECTIONS,
            )  # fmt: skip
            answers = {**drawn.answers, DISTRICT_QUESTION: district}
            if number < online + paper:
                redeem_access_code(session, survey, used[number], key, channel=channel)
            else:
                count_paper_return(session, batch)
            store_response(
                session, survey, group, answers, today=drawn.submitted_on, channel=channel
            )
            total += 1
    session.flush()
    return f"Befragung per Post „{survey.title}“: {len(BATCHES)} Versände, {total} Antworten."
