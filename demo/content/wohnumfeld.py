"""Handlungsfeld 5: Wohnumfeld und Lebensqualität."""

from __future__ import annotations

from demo.content.common import (
    comment,
    importance_matrix,
    priority_ranking,
    satisfaction_matrix,
)
from demo.spec import (
    AKTEURE,
    FAMILIEN,
    SENIOREN,
    ItemSpec,
    OptionSpec,
    QuestionSpec,
    SectionSpec,
)
from surveys.models import QuestionType

FIELD = "wohnumfeld"

ITEMS = (
    ItemSpec(
        "wohnraum_bezahlbar",
        "Bezahlbarer Wohnraum für Familien",
        2.4,
        trend=-0.8,
        offsets={FAMILIEN: -0.3, AKTEURE: -0.2},
        importance=4.7,
    ),
    ItemSpec(
        "spielplaetze",
        "Spiel- und Bolzplätze",
        3.1,
        districts={"duesternort": -0.5, "deichhorst": 0.3},
        trend=0.3,
        offsets={FAMILIEN: -0.2},
        importance=4.2,
        importance_offsets={SENIOREN: -0.6},
        dont_know={SENIOREN: 0.3},
    ),
    ItemSpec(
        "radwege",
        "Radwege",
        2.5,
        trend=0.4,
        importance=4.0,
        dont_know={SENIOREN: 0.15},
    ),
    ItemSpec(
        "oepnv",
        "Busverbindungen",
        2.9,
        districts={
            "mitte": 0.6,
            "iprump_stickgras": -0.5,
            "heidkrug": -0.5,
            "brendel_adelheide": -0.4,
        },
        trend=-0.1,
        offsets={SENIOREN: -0.3},
        importance=4.2,
        importance_offsets={SENIOREN: 0.4},
    ),
    ItemSpec(
        "gruenflaechen",
        "Parks und Grünflächen",
        3.7,
        districts={"mitte": 0.3, "bungerhof": 0.3, "duesternort": -0.3},
        importance=4.1,
    ),
    ItemSpec(
        "sicherheit",
        "Sicherheit im Stadtteil, auch abends",
        3.2,
        districts={"duesternort": -0.6, "mitte": -0.4, "heidkrug": 0.3},
        trend=-0.2,
        offsets={SENIOREN: -0.4},
        importance=4.5,
    ),
    ItemSpec(
        "barrierefreiheit",
        "Barrierefreiheit von Gehwegen und öffentlichen Gebäuden",
        2.6,
        trend=0.2,
        offsets={SENIOREN: -0.4},
        importance=4.1,
        importance_offsets={SENIOREN: 0.5},
        dont_know={FAMILIEN: 0.12},
    ),
)

PRIORITY_WEIGHTS = {
    "wohnraum_bezahlbar": 2.4,
    "spielplaetze": 0.8,
    "radwege": 1.0,
    "oepnv": 1.0,
    "gruenflaechen": 0.4,
    "sicherheit": 1.1,
    "barrierefreiheit": 0.8,
}

SECTION = SectionSpec(
    title="Wohnumfeld und Lebensqualität",
    description="Wohnen, Wege und Plätze in Ihrem Stadtteil.",
    field=FIELD,
    questions=(
        satisfaction_matrix(FIELD, "Wie zufrieden sind Sie in Ihrem Stadtteil mit …", ITEMS),
        importance_matrix(FIELD, ITEMS),
        priority_ranking(
            FIELD,
            "Was sollte die Stadt in Ihrem Wohnumfeld zuerst angehen? Bitte wählen Sie die drei "
            "wichtigsten Punkte und bringen Sie sie in eine Reihenfolge.",
            ITEMS,
            PRIORITY_WEIGHTS,
        ),
        QuestionSpec(
            key="wohnen_im_alter",
            type=QuestionType.SINGLE,
            text="Wie möchten Sie im Alter am liebsten wohnen?",
            groups=(SENIOREN,),
            options=(
                OptionSpec("bleiben", "In meiner jetzigen Wohnung", 0.48, trend=-0.04),
                OptionSpec("barrierefrei", "In einer kleineren, barrierefreien Wohnung", 0.18),
                OptionSpec("betreut", "Im betreuten Wohnen", 0.12),
                OptionSpec("mehrgenerationen", "In einem Mehrgenerationenhaus", 0.06, trend=0.04),
                OptionSpec("angehoerige", "Bei meinen Kindern oder Angehörigen", 0.05),
                OptionSpec("weiss_nicht", "Das weiß ich noch nicht", 0.11),
            ),
            answer_rate=0.94,
        ),
        QuestionSpec(
            key="wohnung_passend",
            type=QuestionType.YESNO,
            text="Passt Ihre Wohnung zur Größe Ihrer Familie?",
            groups=(FAMILIEN,),
            p_yes={FAMILIEN: 0.7},
            trend=-0.08,
        ),
        comment(FIELD, "Was würde das Leben in Ihrem Stadtteil verbessern?"),
    ),
)
