"""Handlungsfeld 2: Familie und Arbeitswelt."""

from __future__ import annotations

from demo.content.common import (
    comment,
    importance_matrix,
    priority_ranking,
    satisfaction_matrix,
)
from demo.spec import (
    AKTEURE,
    CURRENT_YEAR,
    FAMILIEN,
    SENIOREN,
    ItemSpec,
    OptionSpec,
    QuestionSpec,
    SectionSpec,
)
from surveys.models import QuestionType

FIELD = "arbeitswelt"

ITEMS = (
    ItemSpec(
        "vereinbarkeit",
        "Vereinbarkeit von Familie und Beruf in Delmenhorst",
        2.8,
        trend=0.3,
        offsets={FAMILIEN: -0.2},
        importance=4.6,
        importance_offsets={SENIOREN: -0.5},
        dont_know={SENIOREN: 0.3},
    ),
    ItemSpec(
        "betreuung_randzeiten",
        "Kinderbetreuung zu Randzeiten (früh morgens, abends, samstags)",
        2.3,
        trend=0.2,
        offsets={FAMILIEN: -0.4},
        importance=4.3,
        importance_offsets={SENIOREN: -0.7},
        dont_know={SENIOREN: 0.55},
    ),
    ItemSpec(
        "ferienbetreuung",
        "Ferienbetreuung für Schulkinder",
        2.6,
        trend=0.4,
        importance=4.2,
        importance_offsets={SENIOREN: -0.6},
        dont_know={SENIOREN: 0.55, FAMILIEN: 0.1},
    ),
    ItemSpec(
        "arbeitgeber_flexibel",
        "Flexible Arbeitszeiten und Homeoffice bei Arbeitgebern vor Ort",
        2.9,
        trend=0.5,
        offsets={AKTEURE: 0.3},
        importance=4.4,
        dont_know={SENIOREN: 0.5},
    ),
    ItemSpec(
        "wiedereinstieg",
        "Unterstützung beim beruflichen Wiedereinstieg nach der Elternzeit",
        2.7,
        trend=0.1,
        importance=3.9,
        dont_know={SENIOREN: 0.6, FAMILIEN: 0.25},
    ),
    ItemSpec(
        "pflege_beruf",
        "Vereinbarkeit von Pflege und Beruf",
        2.4,
        offsets={SENIOREN: 0.2},
        importance=4.3,
        dont_know={FAMILIEN: 0.3, SENIOREN: 0.3},
        years=(CURRENT_YEAR,),
    ),
)

PRIORITY_WEIGHTS = {
    "vereinbarkeit": 1.6,
    "betreuung_randzeiten": 1.5,
    "ferienbetreuung": 1.1,
    "arbeitgeber_flexibel": 1.0,
    "wiedereinstieg": 0.6,
}

SECTION = SectionSpec(
    title="Familie und Arbeitswelt",
    description="Wie gut lassen sich Familie, Pflege und Beruf in Delmenhorst verbinden?",
    field=FIELD,
    questions=(
        QuestionSpec(
            key="erwerbssituation",
            type=QuestionType.SINGLE,
            text="Wie ist die Erwerbssituation in Ihrem Haushalt?",
            groups=(FAMILIEN,),
            options=(
                OptionSpec(
                    "beide_vollzeit", "Beide Elternteile arbeiten Vollzeit", 0.18, trend=0.04
                ),
                OptionSpec("vollzeit_teilzeit", "Ein Elternteil Vollzeit, einer Teilzeit", 0.42),
                OptionSpec("einer_erwerbstaetig", "Nur ein Elternteil ist erwerbstätig", 0.22),
                OptionSpec("alleinerziehend", "Ich bin alleinerziehend und erwerbstätig", 0.1),
                OptionSpec("nicht_erwerbstaetig", "Niemand ist erwerbstätig", 0.08),
            ),
            # Consistent with "alleinerziehend" in "Über Sie".
            given={
                "alleinerziehend": {
                    True: {
                        "beide_vollzeit": 0.0,
                        "vollzeit_teilzeit": 0.0,
                        "einer_erwerbstaetig": 0.0,
                        "alleinerziehend": 0.75,
                        "nicht_erwerbstaetig": 0.25,
                    },
                    False: {"alleinerziehend": 0.0},
                }
            },
            answer_rate=0.92,
        ),
        satisfaction_matrix(FIELD, "Wie zufrieden sind Sie mit …", ITEMS),
        importance_matrix(FIELD, ITEMS),
        priority_ranking(
            FIELD,
            "Was sollte zuerst verbessert werden? Bitte wählen Sie die drei wichtigsten Punkte "
            "und bringen Sie sie in eine Reihenfolge.",
            ITEMS,
            PRIORITY_WEIGHTS,
        ),
        QuestionSpec(
            key="arbeitgeber_massnahmen",
            type=QuestionType.MULTI,
            text="Welche familienfreundlichen Maßnahmen bietet Ihre Einrichtung oder Ihr "
            "Unternehmen an?",
            help_text="Mehrere Antworten sind möglich.",
            groups=(AKTEURE,),
            options=(
                OptionSpec("gleitzeit", "Gleitzeit", 0.6, trend=0.1),
                OptionSpec("teilzeit", "Teilzeit für Führungskräfte", 0.3, trend=0.05),
                OptionSpec("homeoffice", "Homeoffice oder mobiles Arbeiten", 0.3, trend=0.35),
                OptionSpec("belegplaetze", "Belegplätze in Kitas", 0.08),
                OptionSpec("pflege", "Freistellung für die Pflege von Angehörigen", 0.25),
                OptionSpec("eltern_kind_zimmer", "Eltern-Kind-Arbeitszimmer", 0.05),
            ),
            settings={"other": True},
            answer_rate=0.9,
        ),
        QuestionSpec(
            key="arbeitgeber_zertifikat",
            type=QuestionType.YESNO,
            text="Ist Ihr Unternehmen als familienfreundlich ausgezeichnet "
            "(z. B. „audit berufundfamilie“)?",
            groups=(AKTEURE,),
            years=(CURRENT_YEAR,),
            p_yes={AKTEURE: 0.18},
            answer_rate=0.85,
        ),
        comment(FIELD, "Was würde Ihnen helfen, Familie, Pflege und Beruf besser zu verbinden?"),
    ),
)
