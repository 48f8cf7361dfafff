"""Responses per language of a survey for staff and moderators, small counts suppressed.

Uses :func:`analysis.languages.language_tables` on the survey's responses grouped as the
analysis groups them (target group key, survey order), so the counts shown here are hidden
exactly where the workshop dashboard hides them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
from sqlalchemy import select

from analysis.columns import CHANNEL, GROUP, LANGUAGE, RESPONSE
from analysis.disclosure import View, build_guard
from analysis.languages import language_tables
from analysis.privacy import Policy
from app.extensions import db
from app.suppression import configured_policy
from surveys.models import Response, Survey
from surveys.translations import LANGUAGES, html_lang


def language_breakdown(survey: Survey, policy: Policy | None = None) -> list[dict[str, Any]]:
    """Responses per language (plus ``total``): code, name, ``lang``, ``n`` (``None``: hidden).

    ``policy`` defaults to the installation's (:func:`app.suppression.configured_policy`).
    """
    policy = policy or configured_policy()
    rows = db.session.execute(
        select(Response.language, Response.target_group_id, Response.channel).where(
            Response.survey_id == survey.id
        )
    ).all()
    # Groups as the analysis has them (key, survey order), so the masks come out the same.
    groups = sorted(survey.target_groups, key=lambda g: g.position)
    keys = {g.id: g.key for g in groups}
    order = [g.key for g in groups]
    frame = pd.DataFrame(
        {
            RESPONSE: range(1, len(rows) + 1),
            GROUP: pd.Categorical([keys.get(group) for _, group, _ in rows], categories=order),
            CHANNEL: [str(getattr(c, "value", c)) for _, _, c in rows],
            LANGUAGE: pd.Categorical([language for language, _, _ in rows]),
        }
    )
    # The same guard as the dashboard's: built from the same responses and dimensions.
    policy = replace(policy, view=View(build_guard(frame, policy)))
    table, _by_group = language_tables(frame, policy)
    return [
        {
            "code": str(row[LANGUAGE]),
            "name": LANGUAGES.get(str(row[LANGUAGE]), {}).get("name", str(row[LANGUAGE])),
            "lang": html_lang(str(row[LANGUAGE])),
            "n": None if pd.isna(row["n"]) else int(row["n"]),
        }
        for _, row in table.iterrows()
    ]
