"""Item non-response: per question (and matrix item), how many of those who were shown it
answered, said "weiß nicht", or skipped it.

"Shown" follows the questionnaire's rules as the citizen pages apply them
(:func:`surveys.responses.effective_answers`): a question is asked of its target groups,
and a question with a condition only when the condition holds for the answers kept so far
(a hidden trigger's answer does not count). Respondents who never saw a question are not
part of its base: a seniors' question skipped by every family is no non-response.

Works on the frames of :func:`analysis.frames.load_survey`, like every other table of
:mod:`analysis.report`, and passes :func:`analysis.privacy.suppress`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.frames import (
    DONT_KNOW,
    FIELD,
    GROUP,
    ITEM,
    NONE,
    OPTION,
    QUESTION,
    RESPONSE,
    VALUE,
    SurveyData,
    SurveyMeta,
)
from analysis.privacy import DEFAULT_POLICY, Policy, suppress
from surveys.conditions import condition_holds, condition_questions

SHOWN = "shown"
ANSWERED = "answered"
SKIPPED = "skipped"
COUNTS = [SHOWN, ANSWERED, DONT_KNOW, SKIPPED]
SHARES = {f"{name}_share": name for name in (ANSWERED, DONT_KNOW, SKIPPED)}
COLUMNS = [FIELD, QUESTION, ITEM, "text", *COUNTS, *SHARES]


def _trigger_values(answers: pd.DataFrame, meta: SurveyMeta, key: str) -> dict[int, Any]:
    """The answer of each response to question ``key`` as the questionnaire holds it
    (an option code, ``{"choices": [...]}``, ``True``/``False``, a point or ``"dk"``)."""
    rows = answers[answers[QUESTION] == key]
    if rows.empty:
        return {}
    qtype = str(meta.questions.at[key, "type"])
    out: dict[int, Any] = {}
    if qtype == "multi":
        chosen = rows[rows[OPTION] != NONE]
        for response, part in chosen.groupby(RESPONSE, sort=False):
            out[int(str(response))] = {"choices": [str(o) for o in part[OPTION]]}
        for response in rows[RESPONSE].unique():
            out.setdefault(int(response), {"choices": [], "other": "…"})
        return out
    for response, option, value, dont_know in zip(
        rows[RESPONSE], rows[OPTION].astype(str), rows[VALUE], rows[DONT_KNOW], strict=True
    ):
        if qtype == "single":
            answer: Any = option if option != NONE else "…"  # "Sonstiges" text only
        elif qtype == "yesno":
            answer = bool(value == 1)
        elif dont_know:
            answer = "dk"
        elif pd.isna(value):
            answer = "…"  # text: only "beantwortet" can depend on it
        else:
            answer = int(value) if float(value).is_integer() else float(value)
        out.setdefault(int(response), answer)
    return out


def _groups_of(questions: pd.DataFrame, key: str) -> list[str]:
    """Keys of the target groups question ``key`` is asked of."""
    groups: Any = questions.at[key, "groups"]
    return [str(g) for g in groups]


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(value.get("choices", [])), "other" in value
    return value


def _unhash(value: Any) -> Any:
    if isinstance(value, tuple):
        choices, other = value
        return {"choices": list(choices), **({"other": "…"} if other else {})}
    return value


def shown_to(data: SurveyData) -> dict[str, np.ndarray]:
    """Return, per question key, which responses (in ``data.responses`` order) were shown it."""
    meta = data.meta
    questions = meta.questions
    responses = data.responses
    ids = responses[RESPONSE].to_numpy()
    groups = responses[GROUP].astype(str).to_numpy()
    conditions = (
        questions["condition"] if "condition" in questions.columns else pd.Series(dtype=object)
    )
    triggers = {key for c in conditions if isinstance(c, dict) for key in condition_questions(c)}
    values = {t: _trigger_values(data.answers, meta, t) for t in triggers if t in questions.index}
    shown: dict[str, np.ndarray] = {}
    for key in questions.index:
        if "groups" in questions.columns:
            asked = np.isin(groups, _groups_of(questions, key))
        else:
            asked = np.ones(len(ids), dtype=bool)
        condition = conditions.get(key) if len(conditions) else None
        if isinstance(condition, dict) and condition:
            keys = condition_questions(condition)
            seen = [shown.get(k, np.zeros(len(ids), dtype=bool)) for k in keys]
            # Kept answers only: a trigger the respondent never saw answers nothing.
            given = [
                tuple(
                    _hashable(values.get(k, {}).get(int(r))) if s[i] else None
                    for k, s in zip(keys, seen, strict=True)
                )
                for i, r in enumerate(ids)
            ]
            verdict = {
                combo: condition_holds(
                    condition,
                    {k: _unhash(v) for k, v in zip(keys, combo, strict=True) if v is not None},
                )
                for combo in set(given)
            }
            asked &= np.array([verdict[v] for v in given], dtype=bool)
        shown[str(key)] = asked
    return shown


def _units(meta: SurveyMeta) -> list[tuple[str, str, str]]:
    """(question, item, text) of every question, one per item for matrix questions."""
    return meta.memo("nonresponse_units", lambda: _make_units(meta))


def _make_units(meta: SurveyMeta) -> list[tuple[str, str, str]]:
    items = meta.items
    units = []
    for key, row in meta.questions.iterrows():
        own = items[items[QUESTION] == key] if len(items) else items
        if str(row["type"]) == "matrix" and len(own):
            units += [
                (str(key), str(i), str(t)) for i, t in zip(own[ITEM], own["text"], strict=True)
            ]
        else:
            units.append((str(key), NONE, str(row["text"])))
    return units


def item_nonresponse(data: SurveyData, policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """Per question (matrix: per item): shown, answered, "weiß nicht", skipped, and shares.

    A respondent who was shown the question *answered* it with any answer other than
    "weiß nicht" (a point, an option, a number, a text, a rank); said *weiß nicht* when that
    is their only answer; *skipped* it without any answer. Shares are of ``shown``. Answers
    of respondents the rules did not show the question to are ignored.

    Rows describe the respondents shown the question: a row is hidden whole when that set
    has 1 to ``min_cell - 1`` people or when it lies in a target group (or, for a question
    asked of everyone, the whole survey) that may not be described.
    """
    responses = data.responses
    shown = shown_to(data)
    answers = data.answers
    position = pd.Series(np.arange(len(responses)), index=responses[RESPONSE].to_numpy())
    if len(answers):
        per = (
            answers.groupby([QUESTION, ITEM, RESPONSE], observed=True)[DONT_KNOW]
            .all()
            .reset_index()
        )
    else:
        per = pd.DataFrame(columns=[QUESTION, ITEM, RESPONSE, DONT_KNOW])
    per = per.assign(**{QUESTION: per[QUESTION].astype(str), ITEM: per[ITEM].astype(str)})
    # One pass to split the rows by unit (a filter per unit would scan every row each time).
    parts = {
        (str(q), str(i)): part
        for (q, i), part in per.groupby([QUESTION, ITEM], sort=False, observed=True)
    }
    empty = per.iloc[:0]
    rows = []
    for key, item, text in _units(data.meta):
        mask = shown[key]
        part = parts.get((key, item), empty)
        at = position.reindex(part[RESPONSE].to_numpy()).to_numpy()
        valid = ~np.isnan(at)
        seen = np.zeros(len(part), dtype=bool)
        seen[valid] = mask[at[valid].astype(int)]
        only_dk = part[DONT_KNOW].to_numpy(dtype=bool)
        n_shown = int(mask.sum())
        n_dk = int((seen & only_dk).sum())
        n_answered = int((seen & ~only_dk).sum())
        rows.append(
            {
                FIELD: str(data.meta.questions.at[key, FIELD]),
                QUESTION: key,
                ITEM: item,
                "text": text,
                SHOWN: n_shown,
                ANSWERED: n_answered,
                DONT_KNOW: n_dk,
                SKIPPED: n_shown - n_answered - n_dk,
            }
        )
    table = pd.DataFrame(rows, columns=[FIELD, QUESTION, ITEM, "text", *COUNTS])
    base = table[SHOWN].astype(float).replace(0, np.nan)
    for share, count in SHARES.items():
        table[share] = table[count] / base
    out = suppress(table, counts=COUNTS[1:], base=SHOWN, group=None, linked=SHARES, policy=policy)
    hidden = out["suppressed"].to_numpy(dtype=bool) | _refused(data, policy)
    for column in [*COUNTS, *SHARES]:
        out[column] = out[column].mask(hidden)
    out["suppressed"] = hidden
    return out[[*COLUMNS, "suppressed"]]


def _refused(data: SurveyData, policy: Policy) -> np.ndarray:
    """Rows whose target groups (or the whole survey) may not be described."""
    questions = data.meta.questions
    present = set(data.responses[GROUP].astype(str).unique())
    verdict = []
    for key, _item, _text in _units(data.meta):
        asked = (
            set(_groups_of(questions, key)) & present if "groups" in questions.columns else present
        )
        if asked >= present:
            verdict.append(not policy.shows(GROUP, None))
        else:
            verdict.append(not all(policy.shows(GROUP, g) for g in asked))
    return np.array(verdict, dtype=bool)
