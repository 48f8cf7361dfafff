"""Synthetic respondents: draw plausible answers from the specs and store them in bulk.

Each respondent has a target group, a channel, a submission day and a personal "mood"
that shifts all satisfaction ratings a little, so items correlate as in real surveys.
Answers are drawn in questionnaire order, so conditions see earlier answers exactly as
the online form does; :func:`surveys.responses.answer_rows` turns them into rows, which
are inserted with SQLAlchemy Core in batches (no ORM object per answer).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import Table, insert

from demo.comments import compose_comment, other_text
from demo.languages import foreign_comments, response_language, text_question_keys
from demo.spec import (
    CURRENT_YEAR,
    DEFAULT_DONT_KNOW,
    DISTRICT_QUESTION,
    QuestionSpec,
    SectionSpec,
    SurveySpec,
)
from surveys.conditions import condition_holds
from surveys.db import SessionLike
from surveys.models import Answer, Channel, QuestionRole, QuestionType, Response, Survey
from surveys.question_types import DONT_KNOW
from surveys.responses import answer_rows

BATCH_SIZE = 500
#: Responses of surveys from this year on come in several languages (the 2019 one is German).
MULTILINGUAL_FROM = 2026
ANSWER_TABLE = cast(Table, Answer.__table__)
#: Spread of one rating around the respondent's expected value (scale points).
RATING_NOISE = 0.85
#: Spread of the respondent's general mood across all satisfaction ratings.
MOOD_SPREAD = 0.45
#: Chance that one row of an optional matrix is left out.
MATRIX_ITEM_SKIP = 0.02
#: Chance that a "Sonstiges" text accompanies a multiple-choice answer.
OTHER_RATE = 0.06
#: Paper forms have more gaps: nobody checks them before they are sent.
PAPER_ANSWER_FACTOR = 0.92
PAPER_MATRIX_ITEM_SKIP = 0.06
#: Share of online answers that come in after the reminder, and their mean delay (days).
REMINDER_SHARE = 0.25
REMINDER_DELAY = 5.0


@dataclass(frozen=True)
class SyntheticResponse:
    """One drawn response before it is stored."""

    group: str
    channel: Channel
    submitted_on: date
    answers: dict[str, Any]


def _point(rng: random.Random, expected: float, points: int = 5) -> int:
    """Draw a scale point around ``expected``, clipped to ``1..points``."""
    return min(points, max(1, round(rng.gauss(expected, RATING_NOISE))))


def _weighted(rng: random.Random, choices: Sequence[tuple[Any, float]]) -> Any:
    """Pick one value of ``(value, weight)`` pairs; ``None`` if every weight is zero."""
    total = sum(weight for _, weight in choices)
    if total <= 0:
        return None
    mark = rng.random() * total
    for value, weight in choices:
        mark -= weight
        if mark < 0:
            return value
    return choices[-1][0]


#: Types added after the demo's figures were fixed; they answer from a side stream.
SIDE_STREAM_TYPES = (QuestionType.DATE, QuestionType.MULTINUMBER, QuestionType.NUMBERMATRIX)


class Respondent:
    """Draws the answers of one synthetic person of ``group`` in ``year``."""

    def __init__(
        self, rng: random.Random, group: str, year: int, comment_rate: float, paper: bool
    ) -> None:
        self.rng = rng
        self.group = group
        self.year = year
        self.current = year >= CURRENT_YEAR
        self.comment_rate = comment_rate
        self.answer_factor = PAPER_ANSWER_FACTOR if paper else 1.0
        self.item_skip = PAPER_MATRIX_ITEM_SKIP if paper else MATRIX_ITEM_SKIP
        self.mood = rng.gauss(0.0, MOOD_SPREAD)
        # The date and number questions draw from a stream of their own, seeded from the
        # main one without advancing it: adding them left every other demo figure as it was.
        # (The state's words change every 624 draws, its position with every draw.)
        words = rng.getstate()[1]
        self.side = random.Random((sum(words[:8]) << 10) + words[-1])  # noqa: S311 - synthetic
        self.answers: dict[str, Any] = {}

    def answer_all(self, sections: Sequence[SectionSpec]) -> dict[str, Any]:
        """Answer every question of ``year`` that the person sees, in questionnaire order."""
        for section in sections:
            for question in section.questions_for(self.year):
                if self.group not in question.groups:
                    continue
                if not condition_holds(question.condition, self.answers):
                    continue
                rate = (
                    self.comment_rate
                    if question.type == QuestionType.TEXT
                    else question.answer_rate
                )
                rng = self.side if question.type in SIDE_STREAM_TYPES else self.rng
                if not question.required and rng.random() >= rate * self.answer_factor:
                    continue
                value = self.draw(question, section)
                if value is not None:
                    self.answers[question.key] = value
        return self.answers

    def draw(self, question: QuestionSpec, section: SectionSpec) -> Any:
        """Return a value as the question type's ``parse`` would, or ``None``."""
        kind = question.type
        if kind == QuestionType.MATRIX:
            return self.matrix(question)
        if kind == QuestionType.LIKERT:
            return self.likert(question)
        if kind == QuestionType.SINGLE:
            return _weighted(self.rng, self.option_weights(question))
        if kind == QuestionType.MULTI:
            return self.multi(question)
        if kind == QuestionType.RANKING:
            return self.ranking(question, section)
        if kind == QuestionType.NUMBER:
            return _weighted(self.rng, question.numbers.get(self.group, ()))
        if kind == QuestionType.DATE:
            return self.moved_in(question)
        if kind == QuestionType.MULTINUMBER:
            return self.age_bands(question)
        if kind == QuestionType.NUMBERMATRIX:
            return self.care_hours(question)
        if kind == QuestionType.YESNO:
            p_yes = question.p_yes.get(self.group, 0.5) + (question.trend if self.current else 0)
            return self.rng.random() < p_yes
        if kind == QuestionType.TEXT and section.field is not None:
            ratings = self.answers.get(f"{section.field}_zufriedenheit", {})
            return compose_comment(self.rng, section.field, self.group, ratings, self.current)
        return None

    def moved_in(self, question: QuestionSpec) -> str | None:
        """A day some years (``numbers`` by group) before the survey year, as ISO date."""
        years = _weighted(self.side, question.numbers.get(self.group, ()))
        if years is None:
            return None
        day = date(self.year - int(years), self.side.randint(1, 12), self.side.randint(1, 28))
        return day.isoformat()

    def age_bands(self, question: QuestionSpec) -> dict[str, int] | None:
        """The household's children ("kinder_anzahl") spread over the age bands."""
        children = int(self.answers.get("kinder_anzahl") or 0)
        if not children:
            return None
        counts = {item.key: 0 for item in question.items}
        keys = list(counts)
        for _ in range(children):
            counts[keys[self.side.randrange(len(keys))]] += 1
        return counts

    def care_hours(self, question: QuestionSpec) -> dict[str, dict[str, int]] | None:
        """How many of the young children go to a Kita and of the older ones to a Ganztag,
        and for how many hours a week."""
        bands = self.answers.get("kinder_alter") or {}
        young = int(bands.get("unter_3", 0)) + int(bands.get("3_5", 0))
        older = int(bands.get("6_9", 0)) + int(bands.get("10_13", 0))
        value: dict[str, dict[str, int]] = {}
        for row, eligible, share, hours in (
            ("krippe_kita", young, 0.8, (20, 45)),
            ("schule_hort", older, 0.45, (8, 30)),
        ):
            cared = sum(self.side.random() < share for _ in range(eligible))
            if cared:
                value[row] = {"anzahl": cared, "stunden": self.side.randint(*hours)}
        return value or None

    def option_weights(self, question: QuestionSpec) -> list[tuple[str, float]]:
        """Weights of the options, replaced where an earlier answer calls for it."""
        weights = {o.code: o.weight_for(self.group, self.year) for o in question.options}
        for trigger, by_answer in question.given.items():
            if trigger in self.answers:
                weights.update(by_answer.get(self.answers[trigger], {}))
        return list(weights.items())

    def matrix(self, question: QuestionSpec) -> dict[str, Any] | None:
        """Rate every item: satisfaction follows mean, group, trend and mood."""
        importance = question.role == QuestionRole.IMPORTANCE
        value: dict[str, Any] = {}
        for item in question.items_for(self.year):
            if not question.required and self.rng.random() < self.item_skip:
                continue
            dont_know = item.dont_know.get(self.group, DEFAULT_DONT_KNOW)
            if importance:
                # People who cannot judge an offer still often say how important it is.
                if self.rng.random() < dont_know * 0.4:
                    value[item.key] = DONT_KNOW
                    continue
                expected = item.importance + item.importance_offsets.get(self.group, 0.0)
                value[item.key] = _point(self.rng, expected + 0.2 * self.mood)
                continue
            if self.rng.random() < dont_know:
                value[item.key] = DONT_KNOW
                continue
            expected = item.mean + item.offsets.get(self.group, 0.0) + self.mood
            expected += item.districts.get(str(self.answers.get(DISTRICT_QUESTION)), 0.0)
            if self.current:
                expected += item.trend
            value[item.key] = _point(self.rng, expected)
        return value or None

    def likert(self, question: QuestionSpec) -> Any:
        """Rate one statement."""
        if question.settings.get("dont_know") and self.rng.random() < DEFAULT_DONT_KNOW:
            return DONT_KNOW
        expected = question.mean + question.offsets.get(self.group, 0.0)
        if self.current:
            expected += question.trend
        return _point(self.rng, expected, len(question.settings["scale"]))

    def multi(self, question: QuestionSpec) -> dict[str, Any] | None:
        """Tick each option with its own probability, sometimes add a "Sonstiges" text."""
        rng = self.rng
        choices = [
            o.code for o in question.options if rng.random() < o.weight_for(self.group, self.year)
        ]
        other = ""
        if question.settings.get("other") and rng.random() < OTHER_RATE:
            other = other_text(rng, question.key)
        if not choices and not other:
            return None
        return {"choices": choices, "other": other}

    def ranking(self, question: QuestionSpec, section: SectionSpec) -> list[str]:
        """Order the options: higher weight and lower own satisfaction come first."""
        ratings = self.answers.get(f"{section.field}_zufriedenheit", {})
        pool: list[tuple[str, float]] = []
        for option in question.options:
            weight = option.weight_for(self.group, self.year)
            rating = ratings.get(option.code)
            if isinstance(rating, int):
                weight *= (6 - rating) / 3  # dissatisfaction makes a topic more urgent
            pool.append((option.code, weight))
        places = int(question.settings.get("rank_count") or len(pool))
        ranked: list[str] = []
        while pool and len(ranked) < places:
            code = _weighted(self.rng, pool)
            ranked.append(code)
            pool = [(c, w) for c, w in pool if c != code]
        return ranked


def draw_response(
    rng: random.Random, spec: SurveySpec, sections: Sequence[SectionSpec]
) -> SyntheticResponse:
    """Draw one complete response to the survey of ``spec``."""
    group = _weighted(rng, list(spec.group_shares.items()))
    paper = rng.random() < spec.paper_shares.get(group, 0.0)
    respondent = Respondent(rng, group, spec.year, spec.comment_rate, paper)
    return SyntheticResponse(
        group=group,
        channel=Channel.PAPER if paper else Channel.ONLINE,
        submitted_on=_submission_day(rng, spec, paper),
        answers=respondent.answer_all(sections),
    )


def _submission_day(rng: random.Random, spec: SurveySpec, paper: bool) -> date:
    """Online answers peak after the launch and again after the reminder; paper forms
    trickle in later. Always within ``opens_on .. collected_until``."""
    start = date.fromisoformat(spec.opens_on)
    end = date.fromisoformat(spec.collected_until)
    days = (end - start).days
    if spec.reminder_on and not paper and rng.random() < REMINDER_SHARE:
        day = date.fromisoformat(spec.reminder_on) + timedelta(
            days=round(rng.expovariate(1 / REMINDER_DELAY))
        )
        return min(day, end)
    share = rng.betavariate(2.0, 1.6) if paper else rng.betavariate(1.2, 2.2)
    return start + timedelta(days=round(share * days))


def store_synthetic_responses(
    session: SessionLike,
    survey: Survey,
    spec: SurveySpec,
    sections: Sequence[SectionSpec],
    group_ids: Mapping[str, int],
    count: int,
    seed: int,
) -> int:
    """Draw ``count`` responses deterministically from ``seed`` and insert them in batches.

    Each survey has its own random stream (seeded with the seed and the slug), so one
    survey's data does not depend on the other's. Returns the number of answer rows.
    """
    rng = random.Random(f"{seed}:{spec.slug}")  # noqa: S311 - synthetic data, not security
    stored = 0
    text_keys = text_question_keys(sections)
    multilingual = spec.year >= MULTILINGUAL_FROM
    for start in range(0, count, BATCH_SIZE):
        batch = [draw_response(rng, spec, sections) for _ in range(min(BATCH_SIZE, count - start))]
        languages = [
            response_language(start + n, r.channel) if multilingual else "de"
            for n, r in enumerate(batch)
        ]
        batch = [
            replace(r, answers=foreign_comments(r.answers, text_keys, lang, start + n))
            if lang != "de"
            else r
            for n, (r, lang) in enumerate(zip(batch, languages, strict=True))
        ]
        ids = session.scalars(
            insert(Response).returning(Response.id, sort_by_parameter_order=True),
            [
                {
                    "survey_id": survey.id,
                    "target_group_id": group_ids[r.group],
                    "channel": r.channel,
                    "language": lang,
                    "submitted_on": r.submitted_on,
                }
                for r, lang in zip(batch, languages, strict=True)
            ],
        ).all()
        rows = [
            {**row, "response_id": response_id}
            for response_id, response in zip(ids, batch, strict=True)
            for row in answer_rows(survey, response.group, response.answers)
        ]
        if rows:
            # A Core insert on the table: one executemany per batch. The ORM bulk path
            # would group rows by which columns are NULL and costs ~3x the time here.
            session.execute(insert(ANSWER_TABLE), rows)
            stored += len(rows)
    return stored
