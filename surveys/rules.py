"""Questionnaire rules: what makes a survey, a section and a question well-formed."""

from __future__ import annotations

import re
from collections import Counter

from surveys.conditions import validate_condition
from surveys.errors import FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import Question, Survey
from surveys.question_types import spec_for

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,79}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
#: The return address fills the address field of a window envelope (DIN 5008: 6 lines).
MAX_RETURN_ADDRESS_LINES = 6
MAX_RETURN_ADDRESS_LINE = 60


def question_errors(
    question: Question, earlier: list[Question], survey: Survey
) -> list[FieldError]:
    """Return every problem of one question, given the questions before it."""
    errors: list[FieldError] = []
    if not KEY_PATTERN.match(question.key or ""):
        errors.append(
            FieldError(
                "key",
                N_(
                    "Der Schlüssel darf nur Kleinbuchstaben, Ziffern und _ "
                    "enthalten und muss mit einem Buchstaben beginnen."
                ),
            )
        )
    if not (question.text or "").strip():
        errors.append(FieldError("text", N_("Bitte geben Sie den Fragetext ein.")))
    if not question.target_groups:
        errors.append(
            FieldError("target_groups", N_("Bitte wählen Sie mindestens eine Zielgruppe."))
        )
    survey_groups = {tg.key for tg in survey.target_groups}
    if survey_groups and any(tg.key not in survey_groups for tg in question.target_groups):
        errors.append(
            FieldError(
                "target_groups",
                N_("Die Frage richtet sich an eine Zielgruppe, die die Umfrage nicht befragt."),
            )
        )
    errors += spec_for(question.type).validate_definition(question)
    errors += validate_condition(question, earlier)
    return errors


def return_errors(survey: Survey) -> list[FieldError]:
    """Return the problems of the paper sheet's return address and deadline."""
    errors: list[FieldError] = []
    address = survey.return_address or ""
    lines = address.splitlines()
    if len(lines) > MAX_RETURN_ADDRESS_LINES or any(
        len(line) > MAX_RETURN_ADDRESS_LINE for line in lines
    ):
        errors.append(
            FieldError(
                "return_address",
                N_(
                    "Die Rücksendeadresse darf höchstens %(lines)s Zeilen mit je höchstens "
                    "%(chars)s Zeichen haben."
                ),
                {"lines": MAX_RETURN_ADDRESS_LINES, "chars": MAX_RETURN_ADDRESS_LINE},
            )
        )
    if survey.return_by and survey.opens_on and survey.return_by < survey.opens_on:
        errors.append(
            FieldError(
                "return_by", N_("Die Rücksendefrist darf nicht vor dem Beginn der Umfrage liegen.")
            )
        )
    return errors


def survey_errors(survey: Survey) -> list[FieldError]:
    """Return the problems of the survey's metadata and of every question.

    Question errors are prefixed with the question key (``"<key>.<field>"``).
    """
    errors: list[FieldError] = []
    if not SLUG_PATTERN.match(survey.slug or ""):
        errors.append(
            FieldError(
                "slug",
                N_(
                    "Die Kurzadresse darf nur Kleinbuchstaben, Ziffern "
                    "und Bindestriche enthalten (2 bis 80 Zeichen)."
                ),
            )
        )
    if not (survey.title or "").strip():
        errors.append(FieldError("title", N_("Bitte geben Sie einen Titel ein.")))
    if survey.opens_on and survey.closes_on and survey.closes_on < survey.opens_on:
        errors.append(
            FieldError("closes_on", N_("Das Enddatum darf nicht vor dem Startdatum liegen."))
        )
    errors += return_errors(survey)
    if survey.baseline_id is not None and survey.baseline_id == survey.id:
        errors.append(
            FieldError(
                "baseline_id", N_("Eine Umfrage kann nicht ihre eigene Vergleichsbasis sein.")
            )
        )
    questions = survey.questions()
    counts = Counter(q.key for q in questions)
    for key, count in counts.items():
        if count > 1:
            errors.append(
                FieldError(
                    f"{key}.key", N_("Der Schlüssel „%(key)s“ kommt mehrfach vor."), {"key": key}
                )
            )
    for index, question in enumerate(questions):
        for error in question_errors(question, questions[:index], survey):
            errors.append(FieldError(f"{question.key}.{error.field}", error.message, error.params))
    return errors


def check_survey(survey: Survey) -> None:
    """Raise :class:`ValidationError` if the survey is not well-formed."""
    errors = survey_errors(survey)
    if errors:
        raise ValidationError(errors)


#: Words left out of a suggested key: articles, pronouns and the question's framing.
_KEY_FILLERS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "wie",
        "was",
        "wer",
        "wo",
        "wann",
        "welche",
        "welcher",
        "welches",
        "welchem",
        "welchen",
        "sind",
        "sie",
        "ihr",
        "ihre",
        "ihren",
        "ihrem",
        "ist",
        "es",
        "mit",
        "und",
        "oder",
        "in",
        "im",
        "am",
        "an",
        "auf",
        "zu",
        "zum",
        "zur",
        "fur",
        "fuer",
        "von",
        "vom",
        "bei",
        "uber",
        "ueber",
        "sehr",
    ]
)
_KEY_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def suggest_key(text: str, taken: set[str] | frozenset[str] = frozenset(), words: int = 3) -> str:
    """A question key from its text ("Wie zufrieden sind Sie mit den Spielplätzen?" ->
    ``zufrieden_spielplaetzen``): lower case, umlauts spelled out, fillers left out, at most
    ``words`` words; ``_2``, ``_3`` … when the key is ``taken``. Always matches KEY_PATTERN."""
    plain = text.lower().translate(_KEY_UMLAUTS)
    tokens = [t for t in re.findall(r"[a-z0-9]+", plain) if t not in _KEY_FILLERS]
    base = "_".join(tokens[:words])[:60].strip("_") or "frage"
    if not base[0].isalpha():
        base = f"frage_{base}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key
