"""Handlungsfeld 6: Senioren und Generationen, with the Seniorentreff follow-up."""

from __future__ import annotations

from demo.content.common import (
    AGREEMENT_SCALE,
    comment,
    importance_matrix,
    satisfaction_matrix,
    scale_settings,
)
from demo.spec import (
    AKTEURE,
    BASELINE_YEAR,
    CURRENT_YEAR,
    FAMILIEN,
    SENIOREN,
    ItemSpec,
    OptionSpec,
    QuestionSpec,
    SectionSpec,
)
from surveys.models import QuestionType

FIELD = "senioren"

ITEMS = (
    ItemSpec(
        "seniorentreffs",
        "Seniorentreffs und Begegnungsstätten",
        3.3,
        trend=0.1,
        offsets={SENIOREN: 0.4},
        importance=3.9,
        importance_offsets={SENIOREN: 0.6, FAMILIEN: -0.5},
        dont_know={FAMILIEN: 0.45, AKTEURE: 0.1},
    ),
    ItemSpec(
        "nachbarschaftshilfe",
        "Nachbarschaftshilfe",
        3.0,
        trend=0.4,
        offsets={SENIOREN: 0.2},
        importance=4.2,
        dont_know={FAMILIEN: 0.2},
    ),
    ItemSpec(
        "generationen",
        "Angebote, bei denen sich Jung und Alt begegnen",
        2.6,
        trend=0.5,
        importance=3.8,
        dont_know={FAMILIEN: 0.25, SENIOREN: 0.15},
    ),
    ItemSpec(
        "pflege_entlastung",
        "Ambulante Pflege und Entlastung für pflegende Angehörige",
        2.7,
        trend=-0.3,
        offsets={SENIOREN: -0.2, AKTEURE: -0.3},
        importance=4.6,
        dont_know={FAMILIEN: 0.45, SENIOREN: 0.25},
    ),
    ItemSpec(
        "nahversorgung",
        "Einkaufsmöglichkeiten und Ärzte in der Nähe",
        3.3,
        districts={"mitte": 0.5, "heidkrug": -0.6, "brendel_adelheide": -0.5},
        trend=-0.2,
        offsets={SENIOREN: -0.4},
        importance=4.5,
        importance_offsets={SENIOREN: 0.3},
    ),
    ItemSpec(
        "digitale_hilfe",
        "Hilfe im Umgang mit Smartphone und Internet",
        2.7,
        offsets={SENIOREN: 0.1},
        importance=3.6,
        importance_offsets={SENIOREN: 0.4, FAMILIEN: -0.4},
        dont_know={FAMILIEN: 0.4, SENIOREN: 0.2},
        years=(CURRENT_YEAR,),
    ),
)

SECTION = SectionSpec(
    title="Senioren und Generationen",
    description="Gut älter werden in Delmenhorst – und Jung und Alt zusammenbringen.",
    field=FIELD,
    questions=(
        satisfaction_matrix(FIELD, "Wie zufrieden sind Sie mit …", ITEMS),
        importance_matrix(FIELD, ITEMS),
        QuestionSpec(
            key="seniorentreff_besuch",
            type=QuestionType.SINGLE,
            text="Wie oft besuchen Sie einen Seniorentreff oder eine Begegnungsstätte?",
            groups=(SENIOREN,),
            options=(
                OptionSpec("woechentlich", "Jede Woche", 0.14, trend=0.02),
                OptionSpec("monatlich", "Etwa einmal im Monat", 0.16),
                OptionSpec("selten", "Selten", 0.25),
                OptionSpec("nie", "Nie", 0.45, trend=-0.04),
            ),
            answer_rate=0.95,
        ),
        QuestionSpec(
            key="seniorentreff_hindernisse",
            type=QuestionType.MULTI,
            text="Was hält Sie davon ab, einen Seniorentreff zu besuchen?",
            help_text="Mehrere Antworten sind möglich.",
            groups=(SENIOREN,),
            condition={"question": "seniorentreff_besuch", "op": "equals", "value": "nie"},
            options=(
                OptionSpec("kein_interesse", "Ich habe kein Interesse", 0.38),
                OptionSpec("erreichbarkeit", "Zu weit weg oder schlecht erreichbar", 0.22),
                OptionSpec("angebote", "Die Angebote passen nicht zu mir", 0.2),
                OptionSpec("unbekannt", "Ich kenne keinen Treff in meiner Nähe", 0.2, trend=-0.06),
                OptionSpec("gesundheit", "Gesundheitliche Gründe", 0.15),
            ),
            settings={"other": True},
            answer_rate=0.85,
        ),
        QuestionSpec(
            key="allein_gefuehl",
            type=QuestionType.LIKERT,
            text="Ich fühle mich oft allein.",
            groups=(SENIOREN,),
            reversed=True,
            years=(CURRENT_YEAR,),
            settings=scale_settings(AGREEMENT_SCALE),
            mean=2.3,
            answer_rate=0.88,
        ),
        QuestionSpec(
            key="ehrenamt",
            type=QuestionType.YESNO,
            text="Engagieren Sie sich ehrenamtlich, zum Beispiel in einem Verein oder in der "
            "Nachbarschaft?",
            groups=(FAMILIEN, SENIOREN),
            p_yes={FAMILIEN: 0.24, SENIOREN: 0.31},
            trend=0.03,
        ),
        QuestionSpec(
            key="internet_nutzung",
            type=QuestionType.YESNO,
            text="Nutzen Sie das Internet?",
            groups=(SENIOREN,),
            years=(BASELINE_YEAR,),
            p_yes={SENIOREN: 0.62},
        ),
        comment(
            FIELD,
            "Was brauchen ältere Menschen in Delmenhorst, und wie kommen die "
            "Generationen besser zusammen?",
        ),
    ),
)
