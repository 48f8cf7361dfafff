""":func:`analysis.nonresponse.item_nonresponse` from count tables.

A question asked of whole target groups is shown to every respondent of those groups, so
its base comes from the atoms (:func:`analysis.aggregates.load_atoms`) and its answers from
the count table: one-row kinds count their rows, multiple choice and ranking their distinct
respondents. Only questions with a display condition need to know *which* respondents saw
them; for those (and their trigger questions) the rows are read and the row-based function
decides, as the citizen pages do.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.aggregates import MULTI_ROW_KINDS
from analysis.columns import DONT_KNOW, FIELD, GROUP, ITEM, KIND, NONE, QUESTION
from analysis.frames import SurveyData
from analysis.meta import SurveyMeta
from analysis.nonresponse import (
    ANSWERED,
    COLUMNS,
    COUNTS,
    SHARES,
    SHOWN,
    SKIPPED,
    _groups_of,
    _units,
    item_nonresponse,
)
from analysis.privacy import DEFAULT_POLICY, Policy, suppress
from surveys.conditions import condition_questions


def conditional(meta: SurveyMeta) -> tuple[set[str], set[str]]:
    """Keys of the questions with a display condition, and of every trigger they read."""
    if "condition" not in meta.questions.columns:
        return set(), set()
    found = {str(k): c for k, c in meta.questions["condition"].items() if isinstance(c, dict) and c}
    triggers = {t for c in found.values() for t in condition_questions(c)}
    with_condition = set(found)
    return with_condition, triggers


def item_nonresponse_cells(
    meta: SurveyMeta,
    atoms: pd.DataFrame,
    cells: pd.DataFrame,
    respondents: pd.DataFrame,
    policy: Policy = DEFAULT_POLICY,
    rows: Callable[[set[str]], SurveyData] | None = None,
) -> pd.DataFrame:
    """Per question (matrix: per item) shown, answered, "weiß nicht", skipped and shares.

    ``atoms`` are the analysed respondents; ``rows(keys)`` loads the rows of the questions
    ``keys`` (needed only when the survey has conditional questions).
    """
    questions = meta.questions
    sizes = atoms.groupby(GROUP, observed=True)["n"].sum()
    present = {str(g) for g, n in sizes.items() if n > 0}
    kinds = cells[QUESTION].astype(str).map(questions[KIND])
    one_row = cells[~kinds.isin(MULTI_ROW_KINDS).to_numpy()]
    keyed = one_row.assign(**{QUESTION: one_row[QUESTION].astype(str)})
    keyed = keyed.assign(**{ITEM: keyed[ITEM].astype(str), GROUP: keyed[GROUP].astype(str)})
    single = keyed.groupby([QUESTION, ITEM, GROUP, DONT_KNOW])["n"].sum().to_dict()
    many: dict[tuple[str, str, str], tuple[int, int]] = {}
    for rec in respondents.to_dict("records"):
        unit = (str(rec[QUESTION]), str(rec[ITEM]), str(rec[GROUP]))
        many[unit] = (int(rec["respondents"]), int(rec["answering"]))
    with_condition, triggers = conditional(meta)
    by_rows = pd.DataFrame()
    if with_condition and rows is not None:
        by_rows = item_nonresponse(rows(with_condition | triggers), policy).set_index(
            [QUESTION, ITEM]
        )
    records = []
    for key, item, text in _units(meta):
        asked = _groups_of(questions, key) if "groups" in questions.columns else list(present)
        groups = [g for g in asked if g in present]
        n_shown = int(sum(int(sizes.get(g, 0)) for g in sizes.index.astype(str) if g in groups))
        n_answered = n_dk = 0
        multi = str(questions.at[key, KIND]) in MULTI_ROW_KINDS
        for group in groups:
            if multi:
                everyone, answering = many.get((key, item, group), (0, 0))
                n_answered += answering
                n_dk += everyone - answering
            else:
                n_answered += int(single.get((key, item, group, False), 0))
                n_dk += int(single.get((key, item, group, True), 0))
        record = {
            FIELD: str(questions.at[key, FIELD]),
            QUESTION: key,
            ITEM: item,
            "text": text,
            SHOWN: n_shown,
            ANSWERED: n_answered,
            DONT_KNOW: n_dk,
            SKIPPED: n_shown - n_answered - n_dk,
        }
        records.append(record)
    table = pd.DataFrame(records, columns=[FIELD, QUESTION, ITEM, "text", *COUNTS])
    base = table[SHOWN].astype(float).replace(0, np.nan)
    for share, count in SHARES.items():
        table[share] = table[count] / base
    out = suppress(table, counts=COUNTS[1:], base=SHOWN, group=None, linked=SHARES, policy=policy)
    hidden = out["suppressed"].to_numpy(dtype=bool) | _refused(meta, present, policy)
    for column in [*COUNTS, *SHARES]:
        out[column] = out[column].mask(hidden)
    out["suppressed"] = hidden
    if not by_rows.empty:
        # Conditional questions: the row-based decision of who saw them (already suppressed).
        for index, (key, item) in enumerate(zip(out[QUESTION], out[ITEM], strict=True)):
            if key in with_condition and (key, item) in by_rows.index:
                known = by_rows.loc[(key, item)]
                for column in [*COUNTS, *SHARES, "suppressed"]:
                    out.loc[out.index[index], column] = known[column]
    return out[[*COLUMNS, "suppressed"]]


def _refused(meta: SurveyMeta, present: set[str], policy: Policy) -> np.ndarray:
    """Rows whose target groups (or the whole survey) may not be described."""
    questions = meta.questions
    verdict = []
    for key, _item, _text in _units(meta):
        asked = (
            set(_groups_of(questions, key)) & present if "groups" in questions.columns else present
        )
        if asked >= present:
            verdict.append(not policy.shows(GROUP, None))
        else:
            verdict.append(not all(policy.shows(GROUP, g) for g in asked))
    return np.array(verdict, dtype=bool)


__all__ = ["NONE", "conditional", "item_nonresponse_cells"]
