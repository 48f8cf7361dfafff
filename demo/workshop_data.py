"""Content of the demo Zielvereinbarung: Delmenhorst's 2019 goals and measures with their
status history, and proposals for the 2026 workshop (used by :mod:`demo.workshop`)."""

from __future__ import annotations

from surveys.models import MeasureStatus, Priority

G, B, U, Z, N = (
    MeasureStatus.PLANNED,
    MeasureStatus.STARTED,
    MeasureStatus.DONE,
    MeasureStatus.POSTPONED,
    MeasureStatus.DROPPED,
)
H, M, L = Priority.HIGH, Priority.MEDIUM, Priority.LOW

# field key -> goals: (title, [(measure title, unit, partners, start, end, indicator, target,
#                               cost, priority, [(date, status, note, value, public)])])
Plan = list[
    tuple[
        str,
        list[
            tuple[
                str,
                str,
                str,
                str,
                str,
                str,
                str,
                int,
                Priority,
                list[tuple[str, MeasureStatus, str, str, bool]],
            ]
        ],
    ]
]

PLAN_2019: dict[str, Plan] = {
    "steuerung": [
        (
            "Familienpolitik wird ämterübergreifend gesteuert",
            [
                (
                    "Lenkungsgruppe „Familiengerechte Kommune“ tagt halbjährlich",
                    "Fachdienst Jugend, Familie und Senioren",
                    "Stadtverwaltung, Kinderschutzbund, Seniorenbeirat",
                    "2020-01-01",
                    "2022-12-31",
                    "Sitzungen pro Jahr",
                    "2 Sitzungen jährlich",
                    0,
                    H,
                    [
                        ("2020-03-12", B, "Konstituierende Sitzung durchgeführt.", "1", True),
                        ("2021-11-30", B, "Online-Sitzungen während der Pandemie.", "2", True),
                        (
                            "2022-12-15",
                            U,
                            "Geschäftsordnung beschlossen, Turnus verstetigt.",
                            "2",
                            True,
                        ),
                    ],
                ),
                (
                    "Familienbericht alle drei Jahre",
                    "Stabsstelle Sozialplanung",
                    "Hochschule Emden/Leer",
                    "2021-01-01",
                    "2022-12-31",
                    "Veröffentlichter Bericht",
                    "1 Bericht",
                    25000,
                    M,
                    [
                        ("2021-06-01", B, "Datengrundlage zusammengestellt.", "", False),
                        (
                            "2022-10-20",
                            Z,
                            "Wegen Personalwechsel verschoben; Befragung 2026 ersetzt den Bericht.",
                            "",
                            True,
                        ),
                    ],
                ),
            ],
        )
    ],
    "arbeitswelt": [
        (
            "Vereinbarkeit von Familie und Beruf verbessern",
            [
                (
                    "Netzwerk familienfreundlicher Arbeitgeber aufbauen",
                    "Wirtschaftsförderung",
                    "IHK Oldenburg, Kreishandwerkerschaft",
                    "2020-04-01",
                    "2022-12-31",
                    "Teilnehmende Betriebe",
                    "25 Betriebe",
                    15000,
                    H,
                    [
                        ("2020-09-01", B, "Auftaktveranstaltung mit 9 Betrieben.", "9", True),
                        ("2021-09-01", B, "Zweites Netzwerktreffen.", "16", True),
                        (
                            "2023-03-01",
                            U,
                            "Zielwert erreicht, Netzwerk trägt sich selbst.",
                            "27",
                            True,
                        ),
                    ],
                ),
                (
                    "Randzeitenbetreuung in Kitas erproben",
                    "Fachdienst Kindertagesbetreuung",
                    "Freie Träger",
                    "2020-08-01",
                    "2022-07-31",
                    "Plätze mit Betreuung bis 18 Uhr",
                    "40 Plätze",
                    180000,
                    H,
                    [
                        ("2020-08-01", B, "Pilot in zwei Einrichtungen.", "12", True),
                        (
                            "2022-07-31",
                            Z,
                            "Fachkräftemangel; Fortsetzung ab 2025 geplant.",
                            "18",
                            True,
                        ),
                        ("2025-08-01", B, "Neustart in einer Einrichtung.", "20", True),
                    ],
                ),
            ],
        )
    ],
    "bildung": [
        (
            "Übergänge Kita – Grundschule gestalten",
            [
                (
                    "Gemeinsame Fortbildungen für Kita- und Grundschulkräfte",
                    "Fachdienst Schule",
                    "Grundschulen, Kitas, Regionales Landesamt für Schule und Bildung",
                    "2020-02-01",
                    "2022-12-31",
                    "Fortbildungen pro Jahr",
                    "4 pro Jahr",
                    8000,
                    M,
                    [
                        ("2020-02-20", B, "Erste Fortbildung.", "1", True),
                        ("2022-11-30", U, "Fortbildungsreihe etabliert.", "4", True),
                    ],
                ),
                (
                    "Sprachförderung im Quartier Düsternort ausbauen",
                    "Fachdienst Kindertagesbetreuung",
                    "Familienzentrum, Stadtbibliothek",
                    "2020-01-01",
                    "2022-12-31",
                    "Kinder in Sprachförderung",
                    "120 Kinder",
                    60000,
                    H,
                    [
                        ("2020-05-01", B, "", "45", False),
                        ("2021-05-01", B, "Ausbau trotz Kontaktbeschränkungen.", "80", True),
                        ("2022-12-01", U, "", "131", True),
                    ],
                ),
            ],
        )
    ],
    "beratung": [
        (
            "Beratungsangebote sind bekannt und leicht erreichbar",
            [
                (
                    "Familienwegweiser online und gedruckt",
                    "Familienbüro",
                    "Wohlfahrtsverbände",
                    "2020-01-01",
                    "2021-06-30",
                    "Auflage und Seitenaufrufe",
                    "5.000 Exemplare",
                    12000,
                    M,
                    [
                        ("2020-10-01", B, "Redaktion abgeschlossen.", "", False),
                        ("2021-04-15", U, "Gedruckt und online.", "5000", True),
                    ],
                ),
                (
                    "Offene Sprechstunde im Stadtteilhaus",
                    "Familienbüro",
                    "Caritas, Diakonie",
                    "2021-01-01",
                    "2022-12-31",
                    "Beratungskontakte pro Jahr",
                    "300",
                    20000,
                    M,
                    [
                        ("2021-03-01", B, "Start mit einem Termin pro Woche.", "60", True),
                        (
                            "2023-05-01",
                            N,
                            "Kaum genutzt; Mittel in aufsuchende Beratung umgeschichtet.",
                            "110",
                            True,
                        ),
                    ],
                ),
            ],
        )
    ],
    "wohnumfeld": [
        (
            "Sichere und attraktive Spiel- und Aufenthaltsorte",
            [
                (
                    "Spielplatzkonzept mit Beteiligung von Kindern",
                    "Fachdienst Stadtgrün",
                    "Kinder- und Jugendparlament",
                    "2020-03-01",
                    "2022-12-31",
                    "Sanierte Spielplätze",
                    "8 Spielplätze",
                    400000,
                    H,
                    [
                        ("2020-06-01", B, "Beteiligung an 3 Standorten.", "0", True),
                        ("2021-12-01", B, "", "3", True),
                        ("2023-06-30", B, "Bauverzögerungen durch Lieferengpässe.", "6", True),
                        ("2025-10-01", U, "", "8", True),
                    ],
                ),
                (
                    "Sichere Schulwege: Schulwegpläne für alle Grundschulen",
                    "Fachdienst Verkehr",
                    "Polizei, Elternräte",
                    "2020-08-01",
                    "2022-07-31",
                    "Grundschulen mit Schulwegplan",
                    "alle 14",
                    30000,
                    M,
                    [("2021-08-01", B, "", "6", True), ("2022-07-15", U, "", "14", True)],
                ),
            ],
        )
    ],
    "senioren": [
        (
            "Selbstbestimmt älter werden im Quartier",
            [
                (
                    "Seniorenlotsinnen und -lotsen ausbilden",
                    "Seniorenservicebüro",
                    "Seniorenbeirat, VHS",
                    "2020-04-01",
                    "2022-12-31",
                    "Aktive Lotsinnen und Lotsen",
                    "20",
                    10000,
                    M,
                    [
                        ("2020-04-01", Z, "Pandemiebedingt verschoben.", "0", True),
                        ("2021-09-01", B, "Erste Schulung.", "8", True),
                        ("2022-11-01", U, "", "21", True),
                    ],
                ),
                (
                    "Generationentreff im Stadtteil Deichhorst",
                    "Fachdienst Jugend, Familie und Senioren",
                    "Wohnungsbaugesellschaft GSG",
                    "2021-01-01",
                    "2022-12-31",
                    "Eröffneter Treffpunkt",
                    "1 Treffpunkt",
                    150000,
                    L,
                    [
                        ("2022-06-01", B, "Räume gefunden, Umbau geplant.", "", False),
                        ("2024-02-01", B, "Umbau läuft.", "", True),
                    ],
                ),
            ],
        )
    ],
}

#: Proposals for the 2026 workshop (draft, for the live prioritisation).
PROPOSALS_2026: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "bildung": (
        "Ganztag an Grundschulen bedarfsgerecht ausbauen",
        [
            ("Ferienbetreuung an allen Grundschulen", "Fachdienst Schule"),
            ("Hausaufgabenhilfe mit Ehrenamtlichen", "Familienbüro"),
            ("Mittagessen-Zuschuss für Familien mit geringem Einkommen", "Fachdienst Soziales"),
        ],
    ),
    "wohnumfeld": (
        "Mehr Aufenthaltsqualität für Familien in der Innenstadt",
        [
            ("Wasserspielplatz am Graftufer", "Fachdienst Stadtgrün"),
            ("Barrierefreie öffentliche Toiletten mit Wickelraum", "Fachdienst Gebäude"),
            ("Tempo 30 vor Kitas und Schulen", "Fachdienst Verkehr"),
        ],
    ),
}

#: Survey findings behind the demo measures (by measure title); references missing from the
#: survey at hand are skipped, so the seeder also works with minimal test surveys.
FINDINGS: dict[str, tuple[str, ...]] = {
    "Lenkungsgruppe „Familiengerechte Kommune“ tagt halbjährlich": (
        "steuerung_zufriedenheit/vernetzung",
    ),
    "Familienbericht alle drei Jahre": ("steuerung_zufriedenheit/info_angebote",),
    "Netzwerk familienfreundlicher Arbeitgeber aufbauen": (
        "arbeitswelt_zufriedenheit/arbeitgeber_flexibel",
        "arbeitswelt_zufriedenheit/vereinbarkeit",
    ),
    "Randzeitenbetreuung in Kitas erproben": (
        "arbeitswelt_zufriedenheit/betreuung_randzeiten",
        "bildung_zufriedenheit/kita_oeffnungszeiten",
    ),
    "Gemeinsame Fortbildungen für Kita- und Grundschulkräfte": ("bildung_zufriedenheit/ganztag",),
    "Sprachförderung im Quartier Düsternort ausbauen": ("bildung_zufriedenheit/kita_plaetze",),
    "Familienwegweiser online und gedruckt": (
        "beratung_zufriedenheit/familienbuero",
        "beratung_bekannt",
    ),
    "Offene Sprechstunde im Stadtteilhaus": (
        "beratung_zufriedenheit/beratungsstellen",
        "beratung_zufriedenheit/wartezeiten",
    ),
    "Spielplatzkonzept mit Beteiligung von Kindern": ("wohnumfeld_zufriedenheit/spielplaetze",),
    "Sichere Schulwege: Schulwegpläne für alle Grundschulen": (
        "wohnumfeld_zufriedenheit/sicherheit",
        "wohnumfeld_zufriedenheit/radwege",
    ),
    "Seniorenlotsinnen und -lotsen ausbilden": ("senioren_zufriedenheit/nachbarschaftshilfe",),
    "Generationentreff im Stadtteil Deichhorst": (
        "senioren_zufriedenheit/generationen",
        "senioren_zufriedenheit/seniorentreffs",
    ),
    "Ferienbetreuung an allen Grundschulen": ("arbeitswelt_zufriedenheit/ferienbetreuung",),
    "Hausaufgabenhilfe mit Ehrenamtlichen": ("bildung_zufriedenheit/ganztag",),
    "Mittagessen-Zuschuss für Familien mit geringem Einkommen": ("ganztag_gruende",),
    "Wasserspielplatz am Graftufer": ("wohnumfeld_zufriedenheit/spielplaetze",),
    "Barrierefreie öffentliche Toiletten mit Wickelraum": (
        "wohnumfeld_zufriedenheit/barrierefreiheit",
    ),
    "Tempo 30 vor Kitas und Schulen": ("wohnumfeld_zufriedenheit/sicherheit",),
}
