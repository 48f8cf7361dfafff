"""Handlungsfeld 1: Steuerung, Vernetzung und Nachhaltigkeit."""

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

FIELD = "steuerung"

ITEMS = (
    ItemSpec(
        "info_angebote",
        "Informationen über Angebote für Familien und Senioren",
        2.9,
        trend=0.4,
        importance=4.4,
    ),
    ItemSpec(
        "familienportal",
        "Familienportal im Internet (Familienwegweiser der Stadt)",
        2.8,
        trend=0.6,
        offsets={SENIOREN: -0.3},
        importance=3.8,
        importance_offsets={SENIOREN: -0.6},
        dont_know={SENIOREN: 0.35, FAMILIEN: 0.12},
    ),
    ItemSpec(
        "verwaltung_familienfreundlich",
        "Familienfreundlichkeit der Stadtverwaltung (Wartezeiten, Öffnungszeiten)",
        3.1,
        trend=0.2,
        importance=4.1,
    ),
    ItemSpec(
        "beteiligung",
        "Möglichkeiten, bei Entscheidungen der Stadt mitzureden",
        2.6,
        trend=0.1,
        offsets={AKTEURE: 0.3},
        importance=3.7,
        dont_know={FAMILIEN: 0.1, SENIOREN: 0.1},
    ),
    ItemSpec(
        "vernetzung",
        "Zusammenarbeit von Einrichtungen, Vereinen und Verwaltung",
        3.0,
        trend=0.1,
        offsets={AKTEURE: -0.6},
        importance=4.0,
        importance_offsets={AKTEURE: 0.6},
        dont_know={FAMILIEN: 0.3, SENIOREN: 0.3},
    ),
    ItemSpec(
        "online_dienste",
        "Online-Dienste der Verwaltung (Termine, Anträge)",
        2.5,
        offsets={SENIOREN: -0.4},
        importance=4.0,
        dont_know={SENIOREN: 0.3},
        years=(CURRENT_YEAR,),
    ),
)

SECTION = SectionSpec(
    title="Steuerung, Vernetzung und Nachhaltigkeit",
    description="Wie gut informiert, beteiligt und vernetzt die Stadt?",
    field=FIELD,
    questions=(
        satisfaction_matrix(FIELD, "Wie zufrieden sind Sie mit …", ITEMS),
        importance_matrix(FIELD, ITEMS),
        QuestionSpec(
            key="informationswege",
            type=QuestionType.MULTI,
            text="Wie erfahren Sie von Angeboten für Familien und Senioren?",
            help_text="Mehrere Antworten sind möglich.",
            groups=(FAMILIEN, SENIOREN),
            options=(
                OptionSpec("zeitung", "Tageszeitung", 0.35, {SENIOREN: 0.7}, trend=-0.08),
                OptionSpec("internet", "Internetseite der Stadt", 0.4, {SENIOREN: 0.15}, 0.12),
                OptionSpec("soziale_medien", "Soziale Medien", 0.35, {SENIOREN: 0.05}, 0.15),
                OptionSpec("kita_schule", "Kita oder Schule", 0.6, {SENIOREN: 0.02}),
                OptionSpec("bekannte", "Freunde, Nachbarn, Bekannte", 0.55),
                OptionSpec("flyer", "Flyer und Aushänge", 0.25, {SENIOREN: 0.35}),
            ),
            settings={"other": True},
            answer_rate=0.93,
        ),
        QuestionSpec(
            key="netzwerke",
            type=QuestionType.MULTI,
            text="In welchen Netzwerken arbeitet Ihre Einrichtung mit?",
            help_text="Mehrere Antworten sind möglich.",
            groups=(AKTEURE,),
            options=(
                OptionSpec("buendnis", "Lokales Bündnis für Familie", 0.45, trend=0.1),
                OptionSpec("fruehe_hilfen", "Netzwerk Frühe Hilfen", 0.35),
                OptionSpec("praeventionsrat", "Präventionsrat", 0.2),
                OptionSpec("seniorenbeirat", "Seniorenbeirat", 0.15),
                OptionSpec("stadtteilkonferenz", "Stadtteilkonferenzen", 0.3, trend=0.1),
            ),
            settings={"other": True},
            answer_rate=0.9,
        ),
        QuestionSpec(
            key="netzwerk_austausch",
            type=QuestionType.LIKERT,
            text="Der Austausch zwischen den Akteuren in Delmenhorst funktioniert gut.",
            groups=(AKTEURE,),
            settings=scale_settings(AGREEMENT_SCALE),
            mean=2.6,
            trend=0.3,
        ),
        QuestionSpec(
            key="buergerbeteiligung_teilgenommen",
            type=QuestionType.YESNO,
            text="Haben Sie schon einmal an einer Bürgerbeteiligung der Stadt teilgenommen?",
            groups=(FAMILIEN, SENIOREN),
            years=(BASELINE_YEAR,),
            p_yes={FAMILIEN: 0.14, SENIOREN: 0.2},
        ),
        comment(
            FIELD,
            "Was sollte die Stadt tun, damit Sie besser informiert und beteiligt werden?",
        ),
    ),
)
