"""Handlungsfeld 3: Bildung und Erziehung, with the Ganztag follow-up questions."""

from __future__ import annotations

from demo.content.common import (
    SATISFACTION_SCALE,
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

FIELD = "bildung"
_CHILD_ITEMS_DK = {SENIOREN: 0.5, AKTEURE: 0.08}

ITEMS = (
    ItemSpec(
        "kita_plaetze",
        "Angebot an Krippen- und Kitaplätzen",
        2.4,
        trend=-0.2,
        offsets={FAMILIEN: -0.2},
        importance=4.7,
        importance_offsets={SENIOREN: -0.4},
        dont_know=_CHILD_ITEMS_DK,
    ),
    ItemSpec(
        "kita_oeffnungszeiten",
        "Öffnungszeiten der Kitas",
        3.0,
        trend=0.1,
        offsets={FAMILIEN: -0.7, AKTEURE: 0.3},
        importance=4.5,
        importance_offsets={SENIOREN: -0.5},
        dont_know=_CHILD_ITEMS_DK,
    ),
    ItemSpec(
        "ganztag",
        "Ganztagsangebote an Grundschulen",
        2.5,
        trend=0.9,
        importance=4.4,
        importance_offsets={SENIOREN: -0.5},
        dont_know=_CHILD_ITEMS_DK,
    ),
    ItemSpec(
        "schulen_ausstattung",
        "Ausstattung und Zustand der Schulen",
        2.4,
        trend=0.3,
        importance=4.5,
        dont_know={SENIOREN: 0.4},
    ),
    ItemSpec(
        "jugendangebote",
        "Freizeitangebote für Jugendliche",
        2.7,
        offsets={SENIOREN: 0.2},
        importance=4.1,
        dont_know={SENIOREN: 0.35},
    ),
    ItemSpec(
        "musikschule_vhs",
        "Angebote von Musikschule, Volkshochschule und Stadtbücherei",
        3.6,
        importance=3.6,
        dont_know={FAMILIEN: 0.1, SENIOREN: 0.15},
        years=(BASELINE_YEAR,),
    ),
    ItemSpec(
        "sprachfoerderung",
        "Sprachförderung für Kinder und Eltern",
        2.9,
        importance=4.0,
        dont_know={SENIOREN: 0.5, FAMILIEN: 0.2},
        years=(CURRENT_YEAR,),
    ),
)

#: The age bands of "kinder_alter" (key, text).
AGE_BANDS = (
    ("unter_3", "unter 3 Jahre"),
    ("3_5", "3 bis 5 Jahre"),
    ("6_9", "6 bis 9 Jahre"),
    ("10_13", "10 bis 13 Jahre"),
    ("14_17", "14 bis 17 Jahre"),
)

SECTION = SectionSpec(
    title="Bildung und Erziehung",
    description="Kitas, Schulen und Freizeit für Kinder und Jugendliche.",
    field=FIELD,
    questions=(
        satisfaction_matrix(FIELD, "Wie zufrieden sind Sie mit …", ITEMS),
        importance_matrix(FIELD, ITEMS),
        # The generator spreads the children of "kinder_anzahl" over the age bands and puts
        # some of them in care (demo.responses: age_bands, care_hours).
        QuestionSpec(
            key="kinder_alter",
            type=QuestionType.MULTINUMBER,
            text="Wie viele dieser Kinder sind in welchem Alter?",
            groups=(FAMILIEN,),
            condition={"question": "kinder_anzahl", "op": "not_equals", "value": 0},
            items=tuple(ItemSpec(key, text, mean=0.0) for key, text in AGE_BANDS),
            settings={"integer": True, "min": 0, "max": 12, "sum_max": 12},
            answer_rate=0.9,
        ),
        QuestionSpec(
            key="betreuung_zeiten",
            type=QuestionType.NUMBERMATRIX,
            text="Wie viele Ihrer Kinder werden außerhalb der Familie betreut, und wie lange?",
            help_text="Leer lassen, was nicht zutrifft.",
            groups=(FAMILIEN,),
            condition={"question": "kinder_anzahl", "op": "not_equals", "value": 0},
            items=(
                ItemSpec("krippe_kita", "Krippe oder Kita", mean=0.0),
                ItemSpec("schule_hort", "Ganztagsschule oder Hort", mean=0.0),
            ),
            options=(
                OptionSpec("anzahl", "Anzahl der Kinder"),
                OptionSpec("stunden", "Stunden pro Woche"),
            ),
            settings={"integer": True, "min": 0, "max": 60},
            answer_rate=0.8,
        ),
        QuestionSpec(
            key="ganztag_nutzung",
            type=QuestionType.YESNO,
            text="Nutzt eines Ihrer Kinder ein Ganztagsangebot (Ganztagsschule oder Hort)?",
            groups=(FAMILIEN,),
            condition={"question": "kinder_anzahl", "op": "not_equals", "value": 0},
            p_yes={FAMILIEN: 0.34},
            trend=0.16,
            answer_rate=0.95,
        ),
        QuestionSpec(
            key="ganztag_zufriedenheit",
            type=QuestionType.LIKERT,
            text="Wie zufrieden sind Sie insgesamt mit dem Ganztagsangebot Ihres Kindes?",
            groups=(FAMILIEN,),
            condition={"question": "ganztag_nutzung", "op": "equals", "value": "ja"},
            settings=scale_settings(SATISFACTION_SCALE, dont_know=False),
            mean=3.0,
            trend=0.7,
        ),
        QuestionSpec(
            key="ganztag_gruende",
            type=QuestionType.MULTI,
            text="Warum nutzen Ihre Kinder kein Ganztagsangebot?",
            help_text="Mehrere Antworten sind möglich.",
            groups=(FAMILIEN,),
            condition={"question": "ganztag_nutzung", "op": "equals", "value": "nein"},
            options=(
                OptionSpec("kein_bedarf", "Wir haben keinen Bedarf", 0.45),
                OptionSpec("kein_platz", "Wir haben keinen Platz bekommen", 0.25, trend=-0.1),
                OptionSpec("zeiten", "Die Zeiten passen nicht zu unserem Alltag", 0.18),
                OptionSpec("qualitaet", "Das Angebot überzeugt uns nicht", 0.15, trend=-0.05),
                OptionSpec("kosten", "Es ist zu teuer", 0.12),
                OptionSpec("alter", "Unsere Kinder sind zu jung oder zu alt", 0.3),
            ),
            settings={"other": True},
            answer_rate=0.9,
        ),
        comment(
            FIELD, "Was wünschen Sie sich für Kitas, Schulen und die Freizeit junger Menschen?"
        ),
    ),
)
