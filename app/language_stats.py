"""Responses per language of a survey for staff and moderators, small counts suppressed.

Uses :func:`analysis.languages.language_tables` on the survey's responses grouped as the
analysis groups them (target group key, survey order), so the counts shown here are hidden
exactly where the workshop dashboard hides them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select

from analysis.columns import GROUP, LANGUAGE, RESPONSE
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
        select(Response.language, Response.target_group_id).where(Response.survey_id == survey.id)
    ).all()
    # Groups as the analysis has them (key, survey order), so the masks come out the same.
    groups = sorted(survey.target_groups, key=lambda g: g.position)
    keys = {g.id: g.key for g in groups}
    order = [g.key for g in groups]
    frame = pd.DataFrame(
        {
            RESPONSE: range(1, len(rows) + 1),
            GROUP: pd.Categorical([keys.get(group) for _, group in rows], categories=order),
            LANGUAGE: pd.Categorical([language for language, _ in rows]),
        }
    )
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
