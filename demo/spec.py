"""Plain data types describing the demo questionnaires and how synthetic respondents answer.

A spec is the demo's single source of truth: the questionnaire text and structure that
become ORM objects, and the answering model (means, trends, group offsets, weights) that
the generator in :mod:`demo.responses` draws from. Nothing here touches a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys.models import QuestionRole, QuestionType

#: Keys of the built-in target groups, in their order.
FAMILIEN, SENIOREN, AKTEURE = "familien", "senioren", "akteure"
ALL_GROUPS: tuple[str, ...] = (FAMILIEN, SENIOREN, AKTEURE)
#: The two demo surveys are identified by their year.
BASELINE_YEAR, CURRENT_YEAR = 2019, 2026
BOTH_YEARS: tuple[int, ...] = (BASELINE_YEAR, CURRENT_YEAR)


@dataclass(frozen=True)
class ItemSpec:
    """One matrix row, rated for satisfaction and (over the same key) for importance.

    ``mean`` is the average satisfaction in 2019 on the 1-5 scale, ``trend`` its change
    by 2026, ``offsets`` shifts by target group and ``districts`` by the answer to
    :data:`DISTRICT_QUESTION`; ``dont_know`` gives the share of "weiß nicht / keine
    Angabe" by target group (default :data:`DEFAULT_DONT_KNOW`).
    """

    key: str
    text: str
    mean: float
    trend: float = 0.0
    offsets: Mapping[str, float] = field(default_factory=dict)
    importance: float = 4.0
    importance_offsets: Mapping[str, float] = field(default_factory=dict)
    dont_know: Mapping[str, float] = field(default_factory=dict)
    years: tuple[int, ...] = BOTH_YEARS
    districts: Mapping[str, float] = field(default_factory=dict)
    #: Negatively worded ("umgepolt"): agreeing is the bad outcome.
    reversed: bool = False


DEFAULT_DONT_KNOW = 0.05
#: Key of the question whose answer (a district code) shifts ratings via ``districts``.
DISTRICT_QUESTION = "stadtteil"


@dataclass(frozen=True)
class OptionSpec:
    """An answer option; ``weight`` is a relative weight (single choice, ranking) or a
    probability (multiple choice), ``by_group`` replaces it per target group and
    ``trend`` is added to it in 2026."""

    code: str
    label: str
    weight: float = 1.0
    by_group: Mapping[str, float] = field(default_factory=dict)
    trend: float = 0.0

    def weight_for(self, group: str, year: int) -> float:
        """Return the option's weight for a respondent of ``group`` in ``year``."""
        weight = self.by_group.get(group, self.weight)
        if year >= CURRENT_YEAR:
            weight += self.trend
        return max(weight, 0.0)


@dataclass(frozen=True)
class QuestionSpec:
    """A question and its answering model.

    Model fields by type: likert uses ``mean``/``trend``/``offsets`` like an item;
    yes/no uses ``p_yes`` (by group, default 0.5) plus ``trend``; number draws from
    ``numbers`` (by group: ``(value, weight)`` pairs); matrix uses its items; choice
    and ranking use option weights, which ``given`` replaces when an earlier answer
    matches (``{question key: {answer: {option code: weight}}}``), so that answers stay
    consistent (a single parent does not report two working parents). ``answer_rate``
    is the chance that an optional question is answered at all.
    """

    key: str
    type: QuestionType
    text: str
    role: QuestionRole | None = None
    help_text: str = ""
    required: bool = False
    groups: tuple[str, ...] = ALL_GROUPS
    years: tuple[int, ...] = BOTH_YEARS
    items: tuple[ItemSpec, ...] = ()
    options: tuple[OptionSpec, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    condition: Mapping[str, Any] | None = None
    answer_rate: float = 0.96
    mean: float = 3.0
    trend: float = 0.0
    offsets: Mapping[str, float] = field(default_factory=dict)
    p_yes: Mapping[str, float] = field(default_factory=dict)
    numbers: Mapping[str, tuple[tuple[int, float], ...]] = field(default_factory=dict)
    given: Mapping[str, Mapping[Any, Mapping[str, float]]] = field(default_factory=dict)
    #: Negatively worded ("umgepolt"): agreeing is the bad outcome.
    reversed: bool = False
    #: A single-choice question the results can be broken down by ("Auswertungsmerkmal").
    breakdown: bool = False
    #: Online, the question starts a new page of its section (``surveys.pages``).
    page_break: bool = False

    def items_for(self, year: int) -> tuple[ItemSpec, ...]:
        """Return the matrix items asked in ``year``."""
        return tuple(i for i in self.items if year in i.years)


@dataclass(frozen=True)
class SectionSpec:
    """One questionnaire page; ``field`` is a Handlungsfeld key or ``None``."""

    title: str
    description: str
    field: str | None
    questions: tuple[QuestionSpec, ...]

    def questions_for(self, year: int) -> tuple[QuestionSpec, ...]:
        """Return the questions asked in ``year``."""
        return tuple(q for q in self.questions if year in q.years)


@dataclass(frozen=True)
class SurveySpec:
    """One demo survey: metadata, collection period and respondent mix."""

    year: int
    slug: str
    title: str
    intro: str
    intro_easy: str
    privacy_notice: str
    opens_on: str
    closes_on: str | None
    #: Last day of the synthetic collection (the survey may stay open afterwards).
    collected_until: str
    group_shares: Mapping[str, float]
    paper_shares: Mapping[str, float]
    #: Chance that someone writes a comment in a field's free-text question.
    comment_rate: float
    #: Day of a reminder (press release, letters) that brings a second wave of answers.
    reminder_on: str | None = None
    #: Landing page "Warum wir fragen" and the steps after answering (survey texts).
    purpose: str = ""
    next_steps: str = ""
    #: Printed on the paper questionnaire: "Bitte zurücksenden an" and by when (ISO date).
    return_address: str = ""
    return_by: str | None = None
