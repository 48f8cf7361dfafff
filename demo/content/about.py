"""Opening section "Über Sie": who answers (not bound to a Handlungsfeld)."""

from __future__ import annotations

from demo.spec import (
    AKTEURE,
    CURRENT_YEAR,
    FAMILIEN,
    SENIOREN,
    OptionSpec,
    QuestionSpec,
    SectionSpec,
)
from surveys.models import QuestionType

STADTTEILE = (
    ("mitte", "Mitte", 0.16),
    ("duesternort", "Düsternort", 0.13),
    ("deichhorst", "Deichhorst", 0.11),
    ("bungerhof", "Bungerhof", 0.08),
    ("hasport_annenheide", "Hasport / Annenheide", 0.09),
    ("iprump_stickgras", "Iprump / Stickgras", 0.09),
    ("brendel_adelheide", "Brendel / Adelheide", 0.08),
    ("heidkrug", "Heidkrug", 0.07),
    ("schafkoven_donneresch", "Schafkoven / Donneresch", 0.08),
    ("ausserhalb", "Ich wohne nicht in Delmenhorst", 0.03),
)

ABOUT = SectionSpec(
    title="Über Sie",
    description=(
        "Diese Angaben helfen uns, die Antworten nach Stadtteilen und Lebenslagen "
        "auszuwerten. Niemand kann daraus erkennen, wer Sie sind."
    ),
    field=None,
    questions=(
        QuestionSpec(
            key="stadtteil",
            type=QuestionType.SINGLE,
            text="In welchem Stadtteil wohnen Sie?",
            groups=(FAMILIEN, SENIOREN),
            options=tuple(OptionSpec(code, label, w) for code, label, w in STADTTEILE),
            answer_rate=0.93,
            breakdown=True,
        ),
        QuestionSpec(
            key="altersgruppe",
            type=QuestionType.SINGLE,
            text="Wie alt sind Sie?",
            groups=(FAMILIEN, SENIOREN),
            options=(
                OptionSpec("u30", "unter 30 Jahre", 0.0, {FAMILIEN: 0.18}),
                OptionSpec("30_44", "30 bis 44 Jahre", 0.0, {FAMILIEN: 0.55}),
                OptionSpec("45_64", "45 bis 64 Jahre", 0.0, {FAMILIEN: 0.25, SENIOREN: 0.12}),
                OptionSpec("65_79", "65 bis 79 Jahre", 0.0, {FAMILIEN: 0.02, SENIOREN: 0.62}),
                OptionSpec("80plus", "80 Jahre und älter", 0.0, {SENIOREN: 0.26}),
            ),
            answer_rate=0.95,
            breakdown=True,
        ),
        QuestionSpec(
            key="kinder_anzahl",
            type=QuestionType.NUMBER,
            text="Wie viele Kinder unter 18 Jahren leben in Ihrem Haushalt?",
            help_text="Bitte geben Sie eine Zahl ein, zum Beispiel 2. Ohne Kinder: 0.",
            groups=(FAMILIEN,),
            required=True,
            settings={"min": 0, "max": 12, "integer": True, "unit": "Kinder"},
            numbers={FAMILIEN: ((0, 0.04), (1, 0.36), (2, 0.38), (3, 0.15), (4, 0.05), (5, 0.02))},
        ),
        QuestionSpec(
            key="wohnt_seit",
            type=QuestionType.DATE,
            text="Seit wann wohnen Sie in Delmenhorst?",
            help_text="Wenn Sie den Tag nicht wissen, nehmen Sie den 1. des Monats.",
            groups=(FAMILIEN, SENIOREN),
            settings={"min_date": "1920-01-01"},
            # years since moving in, by group
            numbers={
                FAMILIEN: ((1, 0.1), (3, 0.15), (6, 0.2), (12, 0.25), (25, 0.3)),
                SENIOREN: ((5, 0.1), (20, 0.25), (40, 0.35), (60, 0.3)),
            },
            answer_rate=0.75,
        ),
        QuestionSpec(
            key="alleinerziehend",
            type=QuestionType.YESNO,
            text="Sind Sie alleinerziehend?",
            groups=(FAMILIEN,),
            p_yes={FAMILIEN: 0.19},
            answer_rate=0.92,
        ),
        QuestionSpec(
            key="pflege_angehoerige",
            type=QuestionType.YESNO,
            text="Pflegen oder betreuen Sie regelmäßig eine angehörige Person?",
            groups=(FAMILIEN, SENIOREN),
            years=(CURRENT_YEAR,),
            p_yes={FAMILIEN: 0.12, SENIOREN: 0.22},
            answer_rate=0.9,
        ),
        QuestionSpec(
            key="akteur_bereich",
            type=QuestionType.SINGLE,
            text="In welchem Bereich sind Sie tätig?",
            groups=(AKTEURE,),
            required=True,
            options=(
                OptionSpec("kita_schule", "Kita, Schule oder Hort", 0.3),
                OptionSpec("verein", "Verein oder Initiative", 0.2),
                OptionSpec("unternehmen", "Unternehmen oder Arbeitgeber", 0.15),
                OptionSpec("beratung", "Beratungsstelle oder Wohlfahrtsverband", 0.15),
                OptionSpec("verwaltung", "Verwaltung oder Politik", 0.1),
                OptionSpec("kirche", "Kirche oder Religionsgemeinschaft", 0.05),
                OptionSpec("gesundheit", "Gesundheit oder Pflege", 0.05),
            ),
        ),
    ),
)
