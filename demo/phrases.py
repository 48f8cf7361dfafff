"""Phrase pools for the synthetic free-text answers (German, as residents write them).

Sentences are keyed by matrix item so that a comment talks about what the respondent
rated worst or best; wishes are keyed by Handlungsfeld.
"""

from __future__ import annotations

#: Per item key: (complaints, praise).
ITEM_PHRASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "info_angebote": (
        (
            "Man erfährt oft erst hinterher, dass es ein Angebot gegeben hätte.",
            "Die Informationen sind auf zu viele Stellen verteilt.",
        ),
        ("Über die Angebote wird inzwischen gut informiert.",),
    ),
    "familienportal": (
        (
            "Das Familienportal ist unübersichtlich und nicht aktuell.",
            "Auf dem Handy lässt sich die Internetseite der Stadt kaum bedienen.",
        ),
        ("Das neue Familienportal ist wirklich hilfreich.",),
    ),
    "verwaltung_familienfreundlich": (
        (
            "Termine im Bürgerbüro gibt es nur mit wochenlanger Wartezeit.",
            "Im Rathaus fehlt ein Wickeltisch und eine Spielecke.",
        ),
        ("Im Bürgerbüro wurde ich freundlich und schnell bedient.",),
    ),
    "beteiligung": (
        (
            "Bürgerbeteiligung findet meistens statt, wenn schon alles entschieden ist.",
            "Die Termine für Beteiligung liegen immer zu Zeiten, an denen Eltern arbeiten.",
        ),
        ("Die Stadtteilforen finde ich eine gute Sache.",),
    ),
    "vernetzung": (
        (
            "Jeder Träger kocht sein eigenes Süppchen, Absprachen fehlen.",
            "Die Netzwerke hängen an einzelnen engagierten Personen.",
        ),
        ("Die Zusammenarbeit im Bündnis für Familie ist besser geworden.",),
    ),
    "online_dienste": (
        (
            "Viele Anträge gehen immer noch nur auf Papier.",
            "Die Online-Terminvergabe funktioniert oft nicht.",
        ),
        ("Dass man Termine jetzt online buchen kann, spart viel Zeit.",),
    ),
    "vereinbarkeit": (
        (
            "Familie und Beruf unter einen Hut zu bringen ist hier sehr schwer.",
            "Ohne Großeltern in der Nähe geht es kaum.",
        ),
        ("Mein Arbeitgeber nimmt viel Rücksicht auf die Familie.",),
    ),
    "betreuung_randzeiten": (
        (
            "Wer im Schichtdienst arbeitet, findet keine Betreuung für die Kinder.",
            "Die Kita schließt um 16 Uhr, ich arbeite bis 17 Uhr.",
        ),
        ("Die Betreuung am frühen Morgen hat uns sehr geholfen.",),
    ),
    "ferienbetreuung": (
        (
            "In den Sommerferien gibt es viel zu wenig Betreuungsplätze.",
            "Die Plätze in der Ferienbetreuung sind nach einem Tag ausgebucht.",
        ),
        ("Die Ferienbetreuung der Stadt ist toll, die Kinder gehen gern hin.",),
    ),
    "arbeitgeber_flexibel": (
        ("Viele Betriebe bieten immer noch keine flexiblen Arbeitszeiten an.",),
        ("Homeoffice hat bei uns vieles leichter gemacht.",),
    ),
    "wiedereinstieg": (
        ("Nach der Elternzeit hatte ich keine Unterstützung beim Wiedereinstieg.",),
        ("Die Beratung zum Wiedereinstieg war sehr gut.",),
    ),
    "pflege_beruf": (
        (
            "Pflege der Eltern und Vollzeitjob passen nicht zusammen.",
            "Für pflegende Angehörige gibt es kaum Entlastung.",
        ),
        ("Mein Arbeitgeber hat mir für die Pflege meiner Mutter frei gegeben.",),
    ),
    "kita_plaetze": (
        (
            "Wir haben über ein Jahr auf einen Kitaplatz gewartet.",
            "Es fehlen Krippenplätze, die Wartelisten sind viel zu lang.",
            "Ohne Kitaplatz kann ich nicht arbeiten gehen.",
        ),
        ("Wir haben schnell einen Kitaplatz bekommen.",),
    ),
    "kita_oeffnungszeiten": (
        (
            "Die Öffnungszeiten der Kitas passen nicht zu normalen Arbeitszeiten.",
            "Die Kita ist in den Ferien drei Wochen zu, das ist kaum zu schaffen.",
            "Die Kita macht um 14 Uhr zu, das reicht nicht für eine Teilzeitstelle.",
        ),
        ("Unsere Kita hat sehr familienfreundliche Öffnungszeiten.",),
    ),
    "ganztag": (
        (
            "Das Ganztagsangebot an unserer Grundschule ist nur Aufbewahrung.",
            "Es gibt nicht genug Plätze im Ganztag.",
        ),
        (
            "Der Ganztag an der Grundschule ist viel besser geworden.",
            "Das Mittagessen und die AGs im Ganztag sind prima.",
        ),
    ),
    "schulen_ausstattung": (
        (
            "Die Toiletten in der Schule sind in einem schlimmen Zustand.",
            "Die Schulgebäude sind marode, es regnet teilweise rein.",
        ),
        ("Die Schulen haben endlich WLAN und Tablets bekommen.",),
    ),
    "jugendangebote": (
        (
            "Für Jugendliche gibt es hier nichts, deshalb hängen sie an der Bushaltestelle rum.",
            "Das Jugendhaus hat zu selten geöffnet.",
        ),
        ("Das Jugendzentrum macht eine tolle Arbeit.",),
    ),
    "musikschule_vhs": (
        ("Die Kurse der Musikschule sind für viele Familien zu teuer.",),
        ("Die Stadtbücherei ist ein toller Ort für Kinder.",),
    ),
    "sprachfoerderung": (
        ("Es fehlt Sprachförderung für Kinder, die zu Hause kein Deutsch sprechen.",),
        ("Die Sprachkurse für Mütter mit Kinderbetreuung sind super.",),
    ),
    "familienbuero": (
        ("Das Familienbüro kennt kaum jemand.",),
        (
            "Das Familienbüro hat mir sehr geholfen, dort wird man ernst genommen.",
            "Im Familienbüro bekommt man schnell und unkompliziert Hilfe.",
            "Gut, dass es jetzt das Familienbüro als Anlaufstelle gibt.",
        ),
    ),
    "beratungsstellen": (
        ("Die Beratungsstellen sind schwer erreichbar, telefonisch kommt man nie durch.",),
        ("Die Erziehungsberatung war eine große Hilfe für uns.",),
    ),
    "fruehe_hilfen": (
        ("Als junge Mutter hätte ich mir mehr Unterstützung gewünscht.",),
        ("Die Familienhebamme war ein Segen für uns.",),
    ),
    "pflegeberatung": (
        ("Bei der Pflege meines Mannes musste ich mir alles selbst zusammensuchen.",),
        ("Der Pflegestützpunkt hat uns gut beraten.",),
    ),
    "wartezeiten": (
        (
            "Auf einen Termin bei der Beratungsstelle wartet man Monate.",
            "Die Wartezeiten in der Erziehungsberatung sind viel zu lang.",
        ),
        ("Ich habe schnell einen Termin bekommen.",),
    ),
    "beratung_mehrsprachig": (
        ("Viele Familien verstehen die Formulare nicht, es fehlt Beratung in anderen Sprachen.",),
        ("Dass es Beratung auch auf Türkisch und Arabisch gibt, ist sehr gut.",),
    ),
    "wohnraum_bezahlbar": (
        (
            "Bezahlbare Wohnungen für Familien mit mehreren Kindern gibt es kaum.",
            "Die Mieten sind in den letzten Jahren stark gestiegen.",
            "Wir suchen seit zwei Jahren eine größere Wohnung und finden nichts Bezahlbares.",
            "Mit drei Kindern bekommt man keine Wohnung.",
        ),
        ("Wir haben zum Glück eine bezahlbare Wohnung gefunden.",),
    ),
    "spielplaetze": (
        (
            "Die Spielplätze sind oft verdreckt und die Geräte kaputt.",
            "Auf dem Spielplatz liegen Scherben und Zigarettenkippen.",
        ),
        ("Der neue Spielplatz im Stadtteil ist sehr schön geworden.",),
    ),
    "radwege": (
        (
            "Die Radwege sind zu schmal und voller Schlaglöcher.",
            "Mit Kindern auf dem Rad fühlt man sich auf der Straße nicht sicher.",
        ),
        ("Die neuen Radwege sind eine echte Verbesserung.",),
    ),
    "oepnv": (
        (
            "Abends und am Wochenende fährt kaum ein Bus.",
            "Ohne Auto kommt man aus unserem Stadtteil schlecht weg.",
        ),
        ("Die Busverbindung in die Innenstadt ist gut.",),
    ),
    "gruenflaechen": (
        ("Es werden immer mehr Grünflächen bebaut.",),
        (
            "Die Graft ist wunderschön, dort sind wir oft.",
            "Die Parks sind ein großes Plus von Delmenhorst.",
        ),
    ),
    "sicherheit": (
        (
            "Abends fühle ich mich in der Innenstadt nicht mehr sicher.",
            "Am Bahnhof ist es abends unangenehm.",
        ),
        ("In unserem Stadtteil fühle ich mich sicher.",),
    ),
    "barrierefreiheit": (
        (
            "Mit dem Rollator kommt man über die hohen Bordsteine nicht drüber.",
            "Mit dem Kinderwagen ist die Innenstadt eine Zumutung.",
        ),
        ("Viele Bordsteine wurden abgesenkt, das hilft sehr.",),
    ),
    "seniorentreffs": (
        ("Der Seniorentreff in unserem Stadtteil wurde geschlossen.",),
        (
            "Im Seniorentreff fühle ich mich sehr wohl.",
            "Die Nachmittage im Seniorentreff sind für mich sehr wichtig.",
        ),
    ),
    "nachbarschaftshilfe": (
        ("Die Nachbarn kennen sich kaum noch.",),
        ("Die Nachbarschaftshilfe funktioniert bei uns sehr gut.",),
    ),
    "generationen": (
        ("Es gibt kaum Orte, an denen sich Jung und Alt begegnen.",),
        ("Das Lesepaten-Projekt mit der Grundschule macht mir viel Freude.",),
    ),
    "pflege_entlastung": (
        (
            "Es gibt keinen ambulanten Pflegedienst, der noch neue Patienten annimmt.",
            "Tagespflegeplätze sind kaum zu bekommen.",
        ),
        ("Die Tagespflege entlastet uns sehr.",),
    ),
    "nahversorgung": (
        (
            "Seit der Supermarkt geschlossen hat, muss ich für jeden Einkauf mit dem Bus fahren.",
            "Es fehlen Hausärzte, man bekommt keinen Termin.",
        ),
        ("Zum Einkaufen ist alles gut zu Fuß erreichbar.",),
    ),
    "digitale_hilfe": (
        ("Alles geht nur noch online, aber niemand zeigt einem, wie das geht.",),
        ("Die Handy-Sprechstunde in der Bücherei ist sehr hilfreich.",),
    ),
}

#: Words that mark praise of a change since 2019; such praise is not used in 2019.
CHANGE_MARKERS: tuple[str, ...] = ("neu", "geworden", "endlich", "inzwischen", "jetzt")

#: Wishes per Handlungsfeld.
WISHES: dict[str, tuple[str, ...]] = {
    "steuerung": (
        "Ich wünsche mir eine Übersicht aller Angebote an einer Stelle.",
        "Bitte auch Familien fragen, bevor entschieden wird.",
        "Informationen sollten auch in einfacher Sprache verfügbar sein.",
    ),
    "arbeitswelt": (
        "Mehr Betreuung in den Randzeiten wäre eine große Hilfe.",
        "Die Stadt sollte als Arbeitgeber mit gutem Beispiel vorangehen.",
        "Betriebe sollten bei Belegplätzen in Kitas unterstützt werden.",
    ),
    "bildung": (
        "Mehr Kitaplätze und mehr Erzieherinnen und Erzieher!",
        "Längere Öffnungszeiten der Kitas wären wichtig.",
        "Die Schulen müssen dringend saniert werden.",
        "Ein Treffpunkt für Jugendliche in jedem Stadtteil wäre schön.",
    ),
    "beratung": (
        "Beratung sollte auch abends oder online möglich sein.",
        "Eine Anlaufstelle für alles wäre ideal.",
        "Mehr Personal in den Beratungsstellen, damit die Wartezeiten kürzer werden.",
    ),
    "wohnumfeld": (
        "Die Stadt muss mehr bezahlbaren Wohnraum schaffen.",
        "Mehr sichere Radwege zu den Schulen.",
        "Mehr Bänke und öffentliche Toiletten, gerade für Ältere.",
        "Die Spielplätze sollten öfter kontrolliert und repariert werden.",
    ),
    "senioren": (
        "Ein Fahrdienst für ältere Menschen wäre wichtig.",
        "Mehr Angebote, bei denen Kinder und Senioren etwas zusammen machen.",
        "Mehr Hilfe für pflegende Angehörige.",
        "Ein Mittagstisch für Senioren im Stadtteil wäre schön.",
    ),
}

#: Sentence starters by target group ("" = none, so most comments start directly).
OPENERS: dict[str, tuple[str, ...]] = {
    "familien": (
        "",
        "",
        "",
        "",
        "Ehrlich gesagt: ",
        "Bei uns ist es so: ",
        "Als alleinerziehender Vater: ",
        "Aus Sicht einer jungen Familie: ",
    ),
    "senioren": (
        "",
        "",
        "",
        "",
        "Ehrlich gesagt: ",
        "Als Rentnerin: ",
        "Mit 78 Jahren: ",
        "Aus meiner Sicht als älterer Mensch: ",
    ),
    "akteure": (
        "",
        "",
        "",
        "Aus Sicht unserer Einrichtung: ",
        "Aus unserer Praxis: ",
        "Als Träger erleben wir: ",
    ),
}

CLOSERS: tuple[str, ...] = (
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    " Danke für die Umfrage!",
    " Hoffentlich ändert sich was.",
    " Vielen Dank, dass Sie fragen.",
)

#: "Sonstiges" texts of multiple-choice questions, by question key.
OTHER_TEXTS: dict[str, tuple[str, ...]] = {
    "informationswege": ("Elternbrief", "Kirchengemeinde", "Aushang im Supermarkt", "Radio"),
    "netzwerke": ("Arbeitskreis Integration", "Runder Tisch Pflege", "Schulsozialarbeit"),
    "arbeitgeber_massnahmen": ("Jobrad", "Notfallbetreuung", "Zuschuss zur Kita"),
    "ganztag_gruende": ("Oma betreut", "Kind möchte nicht", "zu lange Wege"),
    "beratung_genutzt": ("Rentenberatung", "Mieterverein", "Jugendamt", "Hebamme"),
    "seniorentreff_hindernisse": ("keine Zeit, ich pflege meinen Mann", "Treppe", "zu laut"),
}

#: Common German spelling slips applied now and then (correct -> slip).
SLIPS: tuple[tuple[str, str], ...] = (
    ("ä", "ae"),
    ("ü", "ue"),
    ("ö", "oe"),
    ("ß", "ss"),
    ("Kita", "KiTa"),
    ("wäre", "währe"),
    ("viel", "fiel"),
    ("seit", "seid"),
    ("Dass", "Das"),
    ("dass", "das"),
)
