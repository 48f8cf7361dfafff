"""Answers to moderators' questions as function calls on an :class:`AnalysisResult`.

"Where are families least satisfied, what do they want first, and what got better since
2019?" is ``moderator_summary(result, "familien")``; each part is its own function too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.frames import (
    FIELD,
    GROUP,
    ITEM,
    NONE,
    OPTION,
    QUESTION,
    TOTAL,
    VALUE,
    SurveyMeta,
)
from analysis.polarity import footnote, marker
from analysis.privacy import DEFAULT_POLICY, SUPPRESSED, Policy, suppress, suppress_small_cells
from analysis.report import AnalysisResult
from analysis.stats import rows_of_kind


def item_text(meta: SurveyMeta, question: str, item: str = NONE, *, marked: bool = True) -> str:
    """Return the wording of an item, or of the question for single Likert questions.

    A negatively worded item ends in " (umgepolt)" unless ``marked`` is false.
    """
    text = _wording(meta, question, item)
    return text + marker(meta, question, item) if marked else text


def _wording(meta: SurveyMeta, question: str, item: str) -> str:
    if item != NONE:
        text = meta.item_texts().get((str(question), str(item)))
        if text is not None:
            return text
    return str(meta.questions.at[question, "text"]) if question in meta.questions.index else item


def option_label(meta: SurveyMeta, question: str, option: str) -> str:
    """Return the label of a choice or ranking option."""
    return meta.option_labels().get((str(question), str(option)), option)


def field_title(meta: SurveyMeta, field: str) -> str:
    """Return "<number>. <title>" of a Handlungsfeld."""
    if field in meta.fields.index:
        return f"{meta.fields.at[field, 'number']!s}. {meta.fields.at[field, 'title']!s}"
    return field


def least_satisfied(result: AnalysisResult, group: str, top: int = 3) -> pd.DataFrame:
    """Return the Handlungsfelder with the lowest index for ``group`` and their weakest items."""
    index = result.field_index
    if index.empty:
        return pd.DataFrame(columns=[FIELD, "index", "n", "weakest_item", "weakest_score"])
    fields = index[(index[GROUP] == group) & index["index"].notna()].sort_values("index")
    fields = fields.head(top)[[FIELD, "index", "n"]].reset_index(drop=True)
    weak = result.strengths[
        (result.strengths[GROUP] == group)
        & (result.strengths["kind"] == "weakness")
        & (result.strengths["rank"] == 1)
    ].set_index(FIELD)
    fields["weakest_item"] = [
        item_text(result.meta, str(weak.at[f, QUESTION]), str(weak.at[f, ITEM]))
        if f in weak.index
        else ""
        for f in fields[FIELD]
    ]
    scores = weak["score"].astype(float).to_dict()
    fields["weakest_score"] = fields[FIELD].map(lambda f: scores.get(f, float("nan")))
    return fields


def wants_first(result: AnalysisResult, group: str, top: int = 3) -> pd.DataFrame:
    """Return the top options of each ranking question for ``group`` by Borda score, plus
    the items in the "focus" quadrant (important but unsatisfying)."""
    ranks = result.rankings
    rows = []
    if not ranks.empty:
        mine = ranks[(ranks[GROUP] == group) & ranks["borda"].notna()]
        for question, part in mine.groupby(QUESTION, sort=False):
            for place, row in enumerate(part.nlargest(top, "borda").itertuples(), start=1):
                rows.append(
                    {
                        "source": "ranking",
                        QUESTION: question,
                        "place": place,
                        "label": option_label(result.meta, str(question), str(row.option)),
                        "borda": row.borda,
                        "top3_share": row.top3_share,
                    }
                )
    ipa = result.importance_performance
    if not ipa.empty:
        focus = ipa[(ipa[GROUP] == group) & (ipa["quadrant"] == "focus")].nlargest(top, "gap")
        for place, row in enumerate(focus.itertuples(), start=1):
            rows.append(
                {
                    "source": "focus",
                    QUESTION: row.question_satisfaction,
                    "place": place,
                    "label": item_text(result.meta, str(row.question_satisfaction), str(row.item)),
                    "gap": row.gap,
                }
            )
    return pd.DataFrame.from_records(rows)


def improved_since_baseline(result: AnalysisResult, group: str) -> pd.DataFrame:
    """Return the significant changes against the baseline for ``group``, best first:
    Handlungsfeld indices and items (negative ``change`` = got worse)."""
    parts = []
    if not result.baseline_index.empty:
        index = result.baseline_index[
            (result.baseline_index[GROUP] == group) & result.baseline_index["significant"]
        ]
        parts.append(
            index.assign(
                level="field", label=[field_title(result.meta, str(f)) for f in index[FIELD]]
            )
        )
    if not result.baseline_items.empty:
        items = result.baseline_items[
            (result.baseline_items[GROUP] == group) & result.baseline_items["significant"]
        ]
        parts.append(
            items.assign(
                level="item",
                label=[
                    item_text(result.meta, str(q), str(i))
                    for q, i in zip(items[QUESTION], items[ITEM], strict=True)
                ],
            )
        )
    columns = ["level", FIELD, "label", "change", "ci_low", "ci_high", "p_adjusted", "magnitude"]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)[columns]
    return out.sort_values("change", ascending=False, ignore_index=True)


@dataclass(frozen=True)
class ModeratorSummary:
    """Where a group is least satisfied, what it wants first, what changed since the baseline."""

    group: str
    status: str
    least_satisfied: pd.DataFrame
    wants_first: pd.DataFrame
    changes: pd.DataFrame
    #: How many improvements and deteriorations :meth:`lines` lists (the table has all).
    top_changes: int = 5

    def lines(self, meta: SurveyMeta) -> list[str]:
        """Return the summary as German sentences (for the CLI and the handout)."""
        if self.status != "ok":
            return ["Zu wenige Antworten für eine Auswertung mit diesen Filtern."]
        label = meta.groups["label"].get(self.group, self.group)
        out = [f"Zielgruppe: {label}", "Am wenigsten zufrieden:"]
        for rec in self.least_satisfied.to_dict("records"):
            out.append(
                f"  {field_title(meta, str(rec[FIELD]))}: Index {float(rec['index']):.0f} "
                f"(n={rec['n']}); schwächste Aussage: {rec['weakest_item'] or '–'}"
            )
        out.append("Was zuerst gewünscht wird:")
        heading = None
        for rec in self.wants_first.to_dict("records"):
            if rec["source"] == "ranking" and rec[QUESTION] != heading:
                heading = rec[QUESTION]
                field = meta.questions[FIELD].get(str(heading), "")
                out.append(
                    f"  Rangfolge „{item_text(meta, str(heading))}“"
                    + (f" ({field_title(meta, str(field))})" if field else "")
                    + ":"
                )
            if rec["source"] == "ranking":
                out.append(
                    f"    Platz {rec['place']}: {rec['label']} (Borda {float(rec['borda']):.2f})"
                )
            else:
                out.append(
                    f"  Wichtig, aber unzufrieden: {rec['label']} (Lücke {float(rec['gap']):.0f})"
                )
        out.append("Veränderung seit der Basiserhebung (signifikant):")
        if self.changes.empty:
            out.append("  keine signifikante Veränderung (oder keine Basiserhebung)")
        fields = self.changes[self.changes["level"] == "field"]
        items = self.changes[self.changes["level"] == "item"]
        better = items[items["change"] > 0].head(self.top_changes)
        worse = items[items["change"] < 0].tail(self.top_changes)
        for rec in pd.concat([fields, better, worse]).to_dict("records"):
            change = float(rec["change"])
            sign = "besser" if change > 0 else "schlechter"
            interval = (
                f", 95-%-KI {float(rec['ci_low']):+.1f} bis {float(rec['ci_high']):+.1f}"
                if pd.notna(rec.get("ci_low")) and pd.notna(rec.get("ci_high"))
                else ""
            )
            out.append(
                f"  {rec['label']}: {change:+.1f} Punkte "
                f"({sign}{interval}, p={float(rec['p_adjusted']):.3f})"
            )
        if not fields.empty:
            out.append(
                "  Index-Veränderungen vergleichen nur die Aussagen, die beide Befragungen "
                "enthalten."
            )
        note = footnote(meta)
        if note:
            out.append(note)
        return out


def moderator_summary(
    result: AnalysisResult, group: str = "familien", top: int = 3
) -> ModeratorSummary:
    """Answer "Where is ``group`` least satisfied, what does it want first, what got better?"."""
    if result.too_few:
        empty = pd.DataFrame()
        return ModeratorSummary(group, result.status, empty, empty, empty)
    return ModeratorSummary(
        group=group,
        status=result.status,
        least_satisfied=least_satisfied(result, group, top),
        wants_first=wants_first(result, group, top),
        changes=improved_since_baseline(result, group),
    )


#: The questions moderators ask, by code, with their German wording and the function that
#: answers them for one target group.
QUESTIONS: dict[str, tuple[str, Callable[[AnalysisResult, str], pd.DataFrame]]] = {
    "least_satisfied": (
        "Wo ist die Zielgruppe am wenigsten zufrieden?",
        lambda result, group: least_satisfied(result, group),
    ),
    "wants_first": (
        "Was wünscht sich die Zielgruppe zuerst?",
        lambda result, group: wants_first(result, group),
    ),
    "changes": (
        "Was hat sich seit der Basiserhebung verändert?",
        lambda result, group: improved_since_baseline(result, group),
    ),
}


# -- the analysis kinds "date", "multinumber" and "numbermatrix" --------------------------


def number_parts(
    answers: pd.DataFrame, meta: SurveyMeta, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """n, mean, median and sum of each number of the multiple number entries (per item) and
    number matrices (per item and column), per group and in total.

    A row describes the respondents who filled that number; it is hidden below the minimum
    group size like every other table.
    """
    rows = rows_of_kind(answers, meta, "multinumber", "numbermatrix")
    rows = rows[rows[VALUE].notna()]
    keys = [QUESTION, ITEM, OPTION]
    per_group = (
        rows.groupby([*keys, GROUP], observed=True)[VALUE]
        .agg(["count", "mean", "median", "sum"])
        .reset_index()
    )
    total = (
        rows.groupby(keys, observed=True)[VALUE]
        .agg(["count", "mean", "median", "sum"])
        .reset_index()
    )
    total[GROUP] = TOTAL
    table = pd.concat([per_group.astype({GROUP: str}), total], ignore_index=True)
    table = table.rename(columns={"count": "n"}).astype({QUESTION: str, ITEM: str, OPTION: str})
    return suppress(
        table, counts=["n"], base="n", stats=["mean", "median", "sum"], policy=policy
    ).drop(columns=[SUPPRESSED])


def date_months(
    answers: pd.DataFrame, meta: SurveyMeta, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """How many answered each month ("2024-03") of the date questions, per group and in
    total, with the share of the group's answers: the distribution of a date by month.

    The ``num`` of a date answer is its day number since 1970-01-01; the disclosure control
    is :func:`month_table`'s.
    """
    rows = rows_of_kind(answers, meta, "date")
    rows = rows[rows[VALUE].notna()]
    months = pd.to_datetime(rows[VALUE].astype("int64"), unit="D").dt.strftime("%Y-%m")
    frame = pd.DataFrame(
        {
            QUESTION: rows[QUESTION].astype(str).to_numpy(),
            GROUP: rows[GROUP].astype(str).to_numpy(),
            "month": months.to_numpy(),
            "n": 1,
        }
    )
    return month_table(frame, policy)


def month_table(frame: pd.DataFrame, policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """The date distribution from answers counted per question, group and month (``n``):
    count and share per group and in total, under the disclosure control (the group's set,
    then every small month with its complements)."""
    both = pd.concat([frame, frame.assign(**{GROUP: TOTAL})], ignore_index=True)
    counts = both.groupby([QUESTION, GROUP, "month"])["n"].sum().rename("count").reset_index()
    respondents = both.groupby([QUESTION, GROUP])["n"].sum().rename("respondents").reset_index()
    table = counts.merge(respondents, on=[QUESTION, GROUP])
    table["share"] = table["count"] / table["respondents"]
    table = table.sort_values([QUESTION, GROUP, "month"], ignore_index=True)
    table = suppress(
        table,
        counts=["count", "respondents"],
        base="respondents",
        linked={"share": "count"},
        policy=policy,
    ).drop(columns=[SUPPRESSED])
    # Months are many and small: no month may show fewer than min_cell people (per question).
    parts = [
        suppress_small_cells(
            part, row="month", column=GROUP, count="count", linked=["share"], policy=policy
        )
        for _question, part in table.groupby(QUESTION, sort=False)
    ]
    return pd.concat(parts, ignore_index=True) if parts else table


def answer(result: AnalysisResult, question: str, group: str = "familien") -> pd.DataFrame:
    """Answer one moderator question by its code (see :data:`QUESTIONS`) for ``group``.

    Raises ``KeyError`` for an unknown code; a result with too few responses gives an
    empty table.
    """
    _wording, function = QUESTIONS[question]
    if result.too_few:
        return pd.DataFrame()
    return function(result, group)
