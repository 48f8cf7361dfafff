"""Handlungsfeld 4: Beratung und Unterstützung."""

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

FIELD = "beratung"

ITEMS = (
    ItemSpec(
        "familienbuero",
        "Familienbüro als erste Anlaufstelle",
        2.9,
        trend=0.9,
        importance=4.3,
        dont_know={FAMILIEN: 0.25, SENIOREN: 0.45, AKTEURE: 0.08},
    ),
    ItemSpec(
        "beratungsstellen",
        "Erreichbarkeit der Beratungsstellen (Erziehung, Schulden, Sucht)",
        3.1,
        trend=0.2,
        importance=4.2,
        dont_know={FAMILIEN: 0.2, SENIOREN: 0.3},
    ),
    ItemSpec(
        "fruehe_hilfen",
        "Frühe Hilfen für Schwangere und junge Familien",
        3.3,
        trend=0.3,
        importance=4.2,
        importance_offsets={SENIOREN: -0.6},
        dont_know={FAMILIEN: 0.25, SENIOREN: 0.6},
    ),
    ItemSpec(
        "pflegeberatung",
        "Pflegeberatung und Pflegestützpunkt",
        3.0,
        trend=0.3,
        offsets={SENIOREN: 0.2},
        importance=4.3,
        importance_offsets={SENIOREN: 0.4},
        dont_know={FAMILIEN: 0.45, SENIOREN: 0.2},
    ),
    ItemSpec(
        "wartezeiten",
        "Wartezeiten auf einen Beratungstermin",
        2.5,
        trend=-0.3,
        offsets={AKTEURE: -0.3},
        importance=4.1,
        dont_know={FAMILIEN: 0.3, SENIOREN: 0.35},
    ),
    ItemSpec(
        "beratung_mehrsprachig",
        "Beratung in anderen Sprachen als Deutsch",
        2.7,
        importance=3.5,
        importance_offsets={AKTEURE: 0.6},
        dont_know={FAMILIEN: 0.45, SENIOREN: 0.6},
        years=(CURRENT_YEAR,),
    ),
)

SECTION = SectionSpec(
    title="Beratung und Unterstützung",
    description="Hilfe und Rat in allen Lebenslagen – von der Schwangerschaft bis zur Pflege.",
    field=FIELD,
    questions=(
        QuestionSpec(
            key="beratung_bekannt",
            type=QuestionType.YESNO,
            text="Wissen Sie, an wen Sie sich wenden können, wenn Sie Rat oder Hilfe brauchen?",
            groups=(FAMILIEN, SENIOREN),
            p_yes={FAMILIEN: 0.58, SENIOREN: 0.52},
            trend=0.12,
        ),
        QuestionSpec(
            key="beratung_genutzt",
            type=QuestionType.MULTI,
            text="Welche Beratungsangebote haben Sie in den letzten zwei Jahren genutzt?",
            help_text="Mehrere Antworten sind möglich. Wenn Sie keines genutzt haben, "
            "lassen Sie die Frage frei.",
            groups=(FAMILIEN, SENIOREN),
            options=(
                OptionSpec("familienbuero", "Familienbüro", 0.12, {SENIOREN: 0.02}, trend=0.14),
                OptionSpec("erziehungsberatung", "Erziehungsberatung", 0.14, {SENIOREN: 0.0}),
                OptionSpec("schuldnerberatung", "Schuldnerberatung", 0.05, {SENIOREN: 0.03}),
                OptionSpec("schwangerschaft", "Schwangerschaftsberatung", 0.08, {SENIOREN: 0.0}),
                OptionSpec("pflegestuetzpunkt", "Pflegestützpunkt", 0.04, {SENIOREN: 0.22}),
                OptionSpec("migrationsberatung", "Migrationsberatung", 0.06, {SENIOREN: 0.02}),
                OptionSpec("seniorenberatung", "Seniorenberatung", 0.0, {SENIOREN: 0.25}),
            ),
            settings={"other": True},
            answer_rate=0.75,
        ),
        satisfaction_matrix(FIELD, "Wie zufrieden sind Sie mit …", ITEMS),
        importance_matrix(FIELD, ITEMS),
        QuestionSpec(
            key="familienpass_bekannt",
            type=QuestionType.YESNO,
            text="Kennen Sie den Delmenhorster Familienpass?",
            groups=(FAMILIEN,),
            years=(BASELINE_YEAR,),
            p_yes={FAMILIEN: 0.41},
        ),
        QuestionSpec(
            key="beratung_wartezeit_akteure",
            type=QuestionType.LIKERT,
            text="Ratsuchende, die wir weitervermitteln, bekommen zeitnah einen Termin.",
            groups=(AKTEURE,),
            settings=scale_settings(AGREEMENT_SCALE),
            mean=2.6,
            trend=-0.3,
        ),
        comment(FIELD, "Welche Beratung oder Unterstützung fehlt Ihnen in Delmenhorst?"),
    ),
)
