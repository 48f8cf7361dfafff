"""Language as an analysis dimension: how many answered in which language, and any table by it.

The language of a response is a category code (``de``, ``de-LS``, ``en``, ``tr``, ``ar``),
never anything personal. :func:`language_counts` gives the responses per language with
small-cell suppression; :func:`by_language` relabels the ``group`` column of the tidy frames
with the language, so that every group table of :mod:`analysis.stats` (which suppresses small
cells itself) can be computed per language. :func:`language_by_group` crosses target group and
language, and :func:`language_tables` returns both count tables, the per-language counts taken
from the crossed table's total row (so that neither reveals a cell the other hides).
:func:`texts_with_language` marks each free-text answer with the language it was written in,
for comment lists and exports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.columns import GROUP, LANGUAGE, RESPONSE, TOTAL
from analysis.privacy import DEFAULT_POLICY, SUPPRESSED, Policy, suppress, suppress_sets

#: Fixed order of the languages in tables (others follow alphabetically).
ORDER = ("de", "de-LS", "en", "tr", "ar")


def _ordered(codes: pd.Series) -> list[str]:
    present = {str(c) for c in codes.dropna().unique()}
    return [c for c in ORDER if c in present] + sorted(present - set(ORDER))


def language_counts(responses: pd.DataFrame, policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """Return responses per language (plus ``total``): ``language``, ``n``, ``share``.

    A language's row is shown when its set of respondents may be described
    (:mod:`analysis.disclosure`); a hidden count hides its share too.
    """
    languages = _ordered(responses[LANGUAGE]) if len(responses) else []
    counts = responses[LANGUAGE].astype(str).value_counts() if len(responses) else pd.Series()
    total = int(len(responses))
    rows = [{LANGUAGE: code, "n": int(counts.get(code, 0))} for code in languages]
    rows.append({LANGUAGE: TOTAL, "n": total})
    table = pd.DataFrame(rows, columns=[LANGUAGE, "n"])
    table["share"] = table["n"] / total if total else np.nan
    if policy.too_few(total):
        table["n"] = pd.array([pd.NA] * len(table), dtype="Int64")
        table["share"] = np.nan
        table["suppressed"] = True
        return table
    return suppress(
        table, counts=[], base="n", group=LANGUAGE, linked={"share": "n"}, policy=policy
    )


def language_by_group(responses: pd.DataFrame, policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """Return responses per target group (rows, plus ``total``) and language (one column each).

    Columns: ``group``, one count column per language code (in :data:`ORDER`), ``n`` (the
    group's responses) and ``suppressed``. A group's row is shown in full or not at all,
    like in every group table.
    """
    languages = _ordered(responses[LANGUAGE]) if len(responses) else []
    if not len(responses) or policy.too_few(len(responses)):
        return pd.DataFrame(columns=[GROUP, *languages, "n", SUPPRESSED])
    codes = responses[LANGUAGE].astype(str).rename(LANGUAGE)
    counts = (
        responses.groupby([responses[GROUP], codes], observed=True).size().unstack(fill_value=0)
    )
    counts = counts.reindex(columns=languages, fill_value=0)
    counts["n"] = counts.sum(axis=1)
    counts.index = counts.index.astype(str)
    counts.loc[TOTAL] = counts.sum()
    table = counts.rename_axis(GROUP).reset_index()
    table.columns.name = None
    return suppress_sets(
        table,
        group=GROUP,
        columns={code: code for code in languages},
        column_dimension=LANGUAGE,
        base="n",
        policy=policy,
    )


def language_tables(
    responses: pd.DataFrame, policy: Policy = DEFAULT_POLICY
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the responses per language and :func:`language_by_group`, consistent by design.

    Both publish the responses per language. The per-language counts are therefore *taken
    from* the ``total`` row of the group × language table, whose suppression already keeps
    every hidden cell unrecoverable from the row and column sums; suppressing the two tables
    separately and hiding their union would not (a cell hidden only in one table can leave a
    single hidden count in the other, which its total then reveals).
    """
    counts = language_counts(responses, policy)
    by_group = language_by_group(responses, policy)
    if by_group.empty:
        return counts, by_group
    total = by_group[by_group[GROUP].astype(str) == TOTAL].iloc[0]
    overall = total["n"]
    values = [total["n" if str(code) == TOTAL else str(code)] for code in counts[LANGUAGE]]
    counts["n"] = pd.array([None if pd.isna(v) else int(v) for v in values], dtype="Int64")
    counts["share"] = [
        np.nan if pd.isna(v) or pd.isna(overall) or not overall else float(v) / float(overall)
        for v in values
    ]
    counts[SUPPRESSED] = counts["n"].isna()
    return counts, by_group


def by_language(frame: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` (answers or texts) with ``group`` replaced by the response's language."""
    lookup = pd.Series(
        responses[LANGUAGE].astype(str).to_numpy(), index=responses[RESPONSE].to_numpy()
    )
    out = frame.copy()
    codes = out[RESPONSE].map(lookup)
    out[GROUP] = pd.Categorical(codes, categories=_ordered(responses[LANGUAGE]))
    return out


def texts_with_language(texts: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Return the text answers with a ``language`` column (the language they were written in)."""
    lookup = pd.Series(
        responses[LANGUAGE].astype(str).to_numpy(), index=responses[RESPONSE].to_numpy()
    )
    out = texts.copy()
    out[LANGUAGE] = out[RESPONSE].map(lookup).fillna("de") if len(out) else pd.Series(dtype=str)
    return out
