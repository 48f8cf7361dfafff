"""Test data factories: a small complete survey with every question type, built via the domain.

``build_survey(session)`` works on a plain SQLAlchemy session (tests/surveys) and on
``db.session`` (tests/app, tests/browser); it flushes, the caller commits if needed.

Layout of the survey (target groups in brackets):

1. Bildung und Erziehung (familien, senioren)
   ``kita`` likert, required, with "weiß nicht" [familien];
   ``angebote`` matrix (``spielplatz``, ``schule``, ``bibliothek``), required [familien, senioren]
2. Beratung und Unterstützung (all)
   ``beratung`` yes/no, required; ``stelle`` single, required, only if ``beratung`` = ja;
   ``themen`` multi with "Sonstiges", at most 2
3. Wohnumfeld und Lebensqualität (all)
   ``prioritaeten`` ranking of 4 options, 2 places; ``kinder`` number 0..15, whole [familien];
   ``anmerkungen`` free text, at most 200 characters
4. Steuerung, Vernetzung und Nachhaltigkeit [akteure]
   ``vernetzung`` likert, required
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from surveys.db import SessionLike
from surveys.models import (
    AccessMode,
    Handlungsfeld,
    Item,
    Option,
    Question,
    QuestionType,
    Section,
    Survey,
    SurveyStatus,
    TargetGroup,
)
from surveys.reference_data import ensure_reference_data
from surveys.rules import check_survey

SCALE = ["sehr unzufrieden", "eher unzufrieden", "teils/teils", "eher zufrieden", "sehr zufrieden"]


def _question(
    session: SessionLike,
    survey: Survey,
    section: Section,
    groups: list[TargetGroup],
    key: str,
    qtype: QuestionType,
    text: str,
    *,
    required: bool = False,
    settings: dict[str, Any] | None = None,
    options: list[tuple[str, str]] | None = None,
    items: list[tuple[str, str]] | None = None,
    condition: dict[str, Any] | None = None,
    help_text: str = "",
) -> Question:
    question = Question(
        survey_id=survey.id,
        key=key,
        type=qtype,
        text=text,
        help_text=help_text,
        required=required,
        settings=settings or {},
        condition=condition,
        target_groups=list(groups),
    )
    question.options = [Option(code=c, label=label) for c, label in options or []]
    question.items = [Item(key=k, text=t) for k, t in items or []]
    section.questions.append(question)
    return question


def build_survey(
    session: SessionLike,
    *,
    slug: str = "familienumfrage",
    title: str = "Familienumfrage Delmenhorst 2026",
    status: SurveyStatus = SurveyStatus.OPEN,
    access_mode: AccessMode = AccessMode.PUBLIC,
    opens_on: date | None = None,
    closes_on: date | None = None,
    intro_easy: str = "Die Stadt fragt Sie. Ihre Meinung ist wichtig.",
) -> Survey:
    """Create the test survey described in the module docstring and return it (flushed)."""
    ensure_reference_data(session)
    groups = {g.key: g for g in session.scalars(select(TargetGroup))}
    fields = {h.key: h for h in session.scalars(select(Handlungsfeld))}
    fam, sen, akt = groups["familien"], groups["senioren"], groups["akteure"]
    everyone = [fam, sen, akt]
    survey = Survey(
        slug=slug,
        title=title,
        intro="Wie familienfreundlich ist Delmenhorst?\n\nIhre Antworten helfen uns.",
        intro_easy=intro_easy,
        status=status,
        access_mode=access_mode,
        opens_on=opens_on,
        closes_on=closes_on,
        target_groups=everyone,
    )
    session.add(survey)
    session.flush()

    def section(key: str) -> Section:
        field = fields[key]
        sec = Section(title=field.title, handlungsfeld=field)
        survey.sections.append(sec)
        return sec

    bildung = section("bildung")
    _question(
        session,
        survey,
        bildung,
        [fam],
        "kita",
        QuestionType.LIKERT,
        "Wie zufrieden sind Sie mit der Kinderbetreuung?",
        required=True,
        settings={"scale": SCALE, "dont_know": True},
    )
    _question(
        session,
        survey,
        bildung,
        [fam, sen],
        "angebote",
        QuestionType.MATRIX,
        "Wie zufrieden sind Sie mit diesen Angeboten?",
        required=True,
        settings={"scale": SCALE},
        items=[
            ("spielplatz", "Spielplätze"),
            ("schule", "Schulen"),
            ("bibliothek", "Stadtbibliothek"),
        ],
    )
    beratung = section("beratung")
    _question(
        session,
        survey,
        beratung,
        everyone,
        "beratung",
        QuestionType.YESNO,
        "Haben Sie in den letzten zwei Jahren eine Beratungsstelle genutzt?",
        required=True,
    )
    _question(
        session,
        survey,
        beratung,
        everyone,
        "stelle",
        QuestionType.SINGLE,
        "Welche Beratungsstelle haben Sie zuletzt genutzt?",
        required=True,
        options=[
            ("familienbuero", "Familienbüro"),
            ("seniorenbuero", "Seniorenbüro"),
            ("andere", "Eine andere Stelle"),
        ],
        condition={"question": "beratung", "op": "equals", "value": "ja"},
    )
    _question(
        session,
        survey,
        beratung,
        everyone,
        "themen",
        QuestionType.MULTI,
        "Zu welchen Themen wünschen Sie sich mehr Beratung?",
        settings={"other": True, "max_choices": 2},
        options=[("erziehung", "Erziehung"), ("pflege", "Pflege"), ("finanzen", "Finanzen")],
    )
    wohnen = section("wohnumfeld")
    _question(
        session,
        survey,
        wohnen,
        everyone,
        "prioritaeten",
        QuestionType.RANKING,
        "Was ist Ihnen am wichtigsten?",
        settings={"rank_count": 2},
        options=[
            ("wege", "Sichere Wege"),
            ("gruen", "Grünflächen"),
            ("bus", "Busverbindungen"),
            ("treff", "Treffpunkte"),
        ],
    )
    _question(
        session,
        survey,
        wohnen,
        [fam],
        "kinder",
        QuestionType.NUMBER,
        "Wie viele Kinder leben in Ihrem Haushalt?",
        settings={"min": 0, "max": 15, "integer": True},
    )
    _question(
        session,
        survey,
        wohnen,
        everyone,
        "anmerkungen",
        QuestionType.TEXT,
        "Was möchten Sie uns noch sagen?",
        settings={"max_length": 200},
    )
    steuerung = section("steuerung")
    _question(
        session,
        survey,
        steuerung,
        [akt],
        "vernetzung",
        QuestionType.LIKERT,
        "Wie gut ist Ihre Einrichtung mit der Stadt vernetzt?",
        required=True,
        settings={"scale": SCALE},
    )
    session.flush()
    check_survey(survey)
    return survey


#: A complete valid answer set per group, as form posts per page (field name -> value).
PAGES: dict[str, list[dict[str, str | list[str]]]] = {
    "familien": [
        {
            "q-kita": "4",
            "q-angebote-spielplatz": "5",
            "q-angebote-schule": "3",
            "q-angebote-bibliothek": "2",
        },
        {
            "q-beratung": "ja",
            "q-stelle": "familienbuero",
            "q-themen": ["erziehung"],
            "q-themen-other": "",
        },
        {
            "q-prioritaeten-wege": "1",
            "q-prioritaeten-bus": "2",
            "q-kinder": "2",
            "q-anmerkungen": "Mehr Spielplätze bitte.",
        },
    ],
    "senioren": [
        {"q-angebote-spielplatz": "3", "q-angebote-schule": "3", "q-angebote-bibliothek": "5"},
        {"q-beratung": "nein"},
        {"q-prioritaeten-bus": "1", "q-prioritaeten-treff": "2", "q-anmerkungen": ""},
    ],
    "akteure": [
        {"q-beratung": "nein", "q-themen": ["pflege", "finanzen"]},
        {"q-anmerkungen": "Gute Zusammenarbeit."},
        {"q-vernetzung": "4"},
    ],
}
