"""A small questionnaire built through the domain, and deterministic synthetic answers."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.models import (
    Channel,
    Handlungsfeld,
    Item,
    Option,
    Question,
    QuestionRole,
    QuestionType,
    Section,
    Survey,
    SurveyStatus,
    TargetGroup,
)
from surveys.responses import store_response

SCALE5 = ["sehr unzufrieden", "unzufrieden", "teils/teils", "zufrieden", "sehr zufrieden"]
ITEMS = {"spielplaetze": "Spielplätze", "radwege": "Radwege", "gruen": "Grünflächen"}
COMMENTS = [
    "Mehr Spielplätze und bessere Radwege wären gut.",
    "Die Kinderbetreuung ist zu teuer, mehr Kita-Plätze!",
    "Der Spielplatz im Park ist schlecht gepflegt.",
    "Radwege sind gefährlich, mehr Beleuchtung.",
    "Gute Grünflächen, aber zu wenige Bänke.",
]


def build_survey(
    session: Session, slug: str, *, points: int = 5, baseline: Survey | None = None
) -> Survey:
    """Create a survey with a matrix pair (importance/satisfaction), choices, ranking, text."""
    fields = {h.key: h for h in session.scalars(select(Handlungsfeld))}
    groups = list(session.scalars(select(TargetGroup).order_by(TargetGroup.position)))
    scale = SCALE5[:points] if points <= 5 else [str(i) for i in range(1, points + 1)]
    survey = Survey(
        slug=slug,
        title=f"Umfrage {slug}",
        status=SurveyStatus.OPEN,
        baseline=baseline,
        target_groups=groups,
    )
    wohnen = Section(title="Wohnumfeld", handlungsfeld=fields["wohnumfeld"])
    bildung = Section(title="Bildung", handlungsfeld=fields["bildung"])
    survey.sections = [wohnen, bildung]
    session.add(survey)
    session.flush()

    def question(
        section: Section, key: str, qtype: QuestionType, role: QuestionRole | None, **settings: Any
    ) -> Question:
        q = Question(
            survey_id=survey.id,
            key=key,
            type=qtype,
            role=role,
            text=f"Frage {key}",
            settings=settings,
            target_groups=groups,
        )
        section.questions.append(q)
        return q

    zufr = question(
        wohnen,
        "zufr_wohnen",
        QuestionType.MATRIX,
        QuestionRole.SATISFACTION,
        scale=scale,
        dont_know=True,
    )
    wicht = question(
        wohnen, "wicht_wohnen", QuestionType.MATRIX, QuestionRole.IMPORTANCE, scale=scale
    )
    for q in (zufr, wicht):
        q.items = [Item(key=k, text=t) for k, t in ITEMS.items()]
    question(wohnen, "kommentar_wohnen", QuestionType.TEXT, QuestionRole.COMMENT)
    question(bildung, "kita", QuestionType.LIKERT, QuestionRole.SATISFACTION, scale=scale)
    multi = question(bildung, "angebote", QuestionType.MULTI, None, other=True)
    multi.options = [Option(code=c, label=c.title()) for c in ("sport", "musik", "lernen")]
    single = question(bildung, "weg", QuestionType.SINGLE, None)
    single.options = [Option(code=c, label=c.title()) for c in ("fuss", "rad", "auto")]
    ranking = question(
        bildung, "prioritaeten", QuestionType.RANKING, QuestionRole.PRIORITY, rank_count=3
    )
    ranking.options = [Option(code=c, label=c.title()) for c in ("kita", "schule", "park", "bus")]
    question(bildung, "kinder", QuestionType.NUMBER, None)
    question(bildung, "zuzug", QuestionType.YESNO, None)
    session.add(survey)
    session.flush()
    return survey


def random_answers(rng: random.Random, points: int = 5) -> dict[str, Any]:
    """Return one respondent's answers (some items skipped or "weiß nicht")."""

    def point() -> Any:
        return "dk" if rng.random() < 0.1 else rng.randint(1, points)

    answers: dict[str, Any] = {
        "zufr_wohnen": {k: point() for k in ITEMS if rng.random() < 0.9},
        "wicht_wohnen": {k: rng.randint(1, points) for k in ITEMS},
        "kita": rng.randint(1, points),
        "angebote": {
            "choices": sorted(rng.sample(["sport", "musik", "lernen"], rng.randint(0, 3))),
            "other": "Schach" if rng.random() < 0.2 else "",
        },
        "weg": rng.choice(["fuss", "rad", "auto"]),
        "prioritaeten": rng.sample(["kita", "schule", "park", "bus"], 3),
        "kinder": rng.randint(0, 4),
        "zuzug": rng.random() < 0.5,
        "kommentar_wohnen": rng.choice(COMMENTS),
    }
    if not answers["zufr_wohnen"]:
        del answers["zufr_wohnen"]
    if not answers["angebote"]["choices"] and not answers["angebote"]["other"]:
        del answers["angebote"]
    return answers


def fill(
    session: Session, survey: Survey, counts: dict[str, int], seed: int = 7, points: int = 5
) -> list[tuple[str, str, dict[str, Any]]]:
    """Store ``counts[group]`` responses per group; return (group, channel, answers) each."""
    rng = random.Random(seed)
    groups = {g.key: g for g in session.scalars(select(TargetGroup))}
    stored = []
    for key, count in counts.items():
        for number in range(count):
            answers = random_answers(rng, points)
            channel = Channel.PAPER if number % 4 == 0 else Channel.ONLINE
            store_response(
                session, survey, groups[key], answers, today=date(2026, 5, 1), channel=channel
            )
            stored.append((key, str(channel), answers))
    session.flush()
    return stored
