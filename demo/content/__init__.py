"""Content of the Delmenhorst demo: the two surveys, their texts and their sections.

Each Handlungsfeld lives in its own module; this module assembles them and holds the
survey-level texts (intro, Leichte-Sprache intro, why we ask, what happens with the answers,
privacy notice) of both years.
"""

from __future__ import annotations

from dataclasses import replace

from demo.content import (
    about,
    arbeitswelt,
    beratung,
    bildung,
    senioren,
    steuerung,
    wohnumfeld,
)
from demo.spec import (
    AKTEURE,
    BASELINE_YEAR,
    CURRENT_YEAR,
    FAMILIEN,
    SENIOREN,
    SectionSpec,
    SurveySpec,
)
from surveys.models import QuestionRole


def paged(section: SectionSpec) -> SectionSpec:
    """Split a Handlungsfeld over three online pages: how satisfied, how important, the rest.

    On one page a field's two six- or seven-item matrices and its follow-up questions are
    some 6,000 px on a phone; the importance matrix and the question after it each start a
    new page.
    """
    questions = []
    after_importance: set[int] = set()  # years whose question after the matrix is not seen yet
    for question in section.questions:
        importance = question.role == QuestionRole.IMPORTANCE
        first_after = bool(after_importance & set(question.years))
        questions.append(replace(question, page_break=importance or first_after))
        after_importance = (
            set(question.years) if importance else after_importance - set(question.years)
        )
    return replace(section, questions=tuple(questions))


#: Questionnaire sections in order: "Über Sie", then the six Handlungsfelder by number.
SECTIONS: tuple[SectionSpec, ...] = (
    about.ABOUT,
    *(
        paged(field.SECTION)
        for field in (steuerung, arbeitswelt, bildung, beratung, wohnumfeld, senioren)
    ),
)

#: "Bitte zurücksenden an" on the paper questionnaire of the audit.
RETURN_ADDRESS = (
    "Stadt Delmenhorst\n"
    "Fachdienst Controlling und Allgemeines\n"
    "Stichwort „Bilanzierungs-Audit“\n"
    "Rathausplatz 1\n"
    "27749 Delmenhorst"
)

PRIVACY_NOTICE = (
    "Ihre Teilnahme ist freiwillig und anonym. Wir speichern nur Ihre Antworten und den "
    "Tag, an dem Sie sie abschicken – keinen Namen, keine E-Mail-Adresse und keine "
    "IP-Adresse. Niemand kann Ihre Antworten Ihnen zuordnen.\n\n"
    "Wir werten die Antworten nur zusammengefasst aus. Ergebnisse zeigen wir erst, wenn "
    "mindestens fünf Personen geantwortet haben. So kann niemand auf einzelne Personen "
    "schließen.\n\n"
    "Bitte schreiben Sie in die Textfelder keine Namen oder andere Angaben, an denen man "
    "Sie oder andere Menschen erkennen kann.\n\n"
    "Verantwortlich ist die Stadt Delmenhorst, Fachdienst Familie und Soziales. Die Antworten "
    "werden gelöscht, wenn die Auswertung für das Audit abgeschlossen ist."
)

#: The audit's "Warum wir fragen" (before migration 0015 fixed text of every survey).
PURPOSE_2026 = (
    "Die Stadt Delmenhorst ist als familiengerechte Kommune zertifiziert. Für die Erneuerung "
    "des Zertifikats prüfen wir gemeinsam, was seit dem letzten Audit erreicht wurde und was "
    "Familien, Seniorinnen und Senioren und die Akteure vor Ort jetzt brauchen."
)
#: What happens with the answers of an audit: one step per paragraph.
NEXT_STEPS = (
    "Wir werten alle Antworten gemeinsam aus, getrennt nach den sechs Handlungsfeldern. "
    "Gruppen mit weniger als fünf Antworten zeigen wir nie.\n\n"
    "Die Ergebnisse sind die Grundlage des Strategie- und Zielvereinbarungsworkshops. Dort "
    "werden Ziele und Maßnahmen für die nächsten drei Jahre vereinbart.\n\n"
    "Der Rat der Stadt beschließt diese Ziele. Über den Stand berichten wir öffentlich."
)
INTRO_2019 = (
    "Delmenhorst möchte eine familiengerechte Kommune werden. Mit dieser Bestandsanalyse "
    "fragen wir Familien, Seniorinnen und Senioren sowie Akteurinnen und Akteure aus "
    "Einrichtungen, Vereinen und Unternehmen, wie familienfreundlich unsere Stadt heute ist. "
    "Die Ergebnisse fließen in den Workshop ein, in "
    "dem Verwaltung, Politik und Fachleute die Ziele für die nächsten drei Jahre festlegen."
)

INTRO_EASY_2019 = (
    "Wir wollen wissen: Wie gut ist Delmenhorst für Familien und für ältere Menschen?\n"
    "Sie können uns helfen. Beantworten Sie unsere Fragen.\n"
    "Das dauert ungefähr eine halbe Stunde. Sie können auch eine Pause machen.\n"
    "Ihr Name wird nicht gespeichert. Niemand weiß, was Sie geantwortet haben."
)

INTRO_2026 = (
    "Seit 2019 ist Delmenhorst als familiengerechte Kommune zertifiziert. Jetzt ziehen wir "
    "Bilanz: Was hat sich seit der Befragung 2019 verbessert, und wo gibt es noch viel zu "
    "tun? Ihre Antworten vergleichen wir mit den Ergebnissen von damals. Sie sind die "
    "Grundlage für den Strategie- und Zielvereinbarungsworkshop und die Ziele der nächsten "
    "drei Jahre."
)

INTRO_EASY_2026 = (
    "Im Jahr 2019 haben wir schon einmal gefragt: Wie gut ist Delmenhorst für Familien?\n"
    "Jetzt fragen wir noch einmal. Wir wollen wissen: Was ist besser geworden? "
    "Was muss noch besser werden?\n"
    "Beantworten Sie unsere Fragen. Das dauert ungefähr eine halbe Stunde.\n"
    "Ihr Name wird nicht gespeichert. Niemand weiß, was Sie geantwortet haben."
)

BASELINE = SurveySpec(
    year=BASELINE_YEAR,
    slug="bestandsanalyse-2019",
    title="Bestandsanalyse 2019: Wie familiengerecht ist Delmenhorst?",
    intro=INTRO_2019,
    intro_easy=INTRO_EASY_2019,
    privacy_notice=PRIVACY_NOTICE,
    opens_on="2019-03-11",
    closes_on="2019-05-31",
    collected_until="2019-05-31",
    group_shares={FAMILIEN: 0.58, SENIOREN: 0.3, AKTEURE: 0.12},
    paper_shares={FAMILIEN: 0.1, SENIOREN: 0.38, AKTEURE: 0.06},
    comment_rate=0.22,
    reminder_on="2019-04-29",
    next_steps=NEXT_STEPS,
)

#: The current survey stays open without an end date (the demo must work on any day);
#: its synthetic responses cover a fixed window so that the data is deterministic.
CURRENT = SurveySpec(
    year=CURRENT_YEAR,
    slug="bilanzierungs-audit-2026",
    title="Bilanzierungs-Audit 2026: Was hat sich für Familien verändert?",
    intro=INTRO_2026,
    intro_easy=INTRO_EASY_2026,
    privacy_notice=PRIVACY_NOTICE,
    opens_on="2026-09-07",
    closes_on=None,
    collected_until="2026-11-20",
    group_shares={FAMILIEN: 0.55, SENIOREN: 0.3, AKTEURE: 0.15},
    paper_shares={FAMILIEN: 0.06, SENIOREN: 0.32, AKTEURE: 0.04},
    comment_rate=0.27,
    reminder_on="2026-10-19",
    purpose=PURPOSE_2026,
    next_steps=NEXT_STEPS,
    # No deadline: the survey stays open (the demo must work on any day).
    return_address=RETURN_ADDRESS,
)

SURVEYS: tuple[SurveySpec, ...] = (BASELINE, CURRENT)

__all__ = ["BASELINE", "CURRENT", "SECTIONS", "SURVEYS"]
