"""Import of LimeSurvey survey structure files (``.lss``) into a draft survey.

Supported question types: L/! (list, radio or dropdown), M/P (multiple choice), A/B (array
5/10 point), F/H (array with own scale), C/E (array yes-uncertain-no, more-same-less),
S/T/U (free text), N (numerical), R (ranking), Y (yes/no), 5 (5 point choice), G (gender).
Everything else is skipped and reported with the reason. Texts lose HTML and scripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from surveys.audit import Action, record
from surveys.db import SessionLike
from surveys.errors import FieldError
from surveys.exchange import json_format
from surveys.exchange.json_reading import question_from_dict
from surveys.exchange.lss_reader import MAX_BYTES, LssSurvey, Row, load
from surveys.exchange.text_clean import clean_text
from surveys.lines import slugify_key
from surveys.models import Item, Question, QuestionType, Survey, TargetGroup, User
from surveys.question_types import spec_for

__all__ = [
    "MAX_BYTES",
    "LssImport",
    "PolarityCandidate",
    "apply_polarity",
    "import_lss",
    "negative_cue",
    "polarity_candidates",
]

ARRAY_SCALES = {
    "A": ["1", "2", "3", "4", "5"],
    "B": [str(n) for n in range(1, 11)],
    "C": ["Nein", "Unsicher", "Ja"],
    "E": ["Weniger", "Gleich", "Mehr"],
}
TYPE_NAMES = {
    "D": "Datum",
    "K": "Mehrfache Zahleneingabe",
    "Q": "Mehrfache kurze Texte",
    ":": "Array (Zahlen)",
    ";": "Array (Texte)",
    "1": "Array mit zwei Skalen",
    "|": "Datei-Upload",
    "*": "Gleichung",
    "I": "Sprachumschalter",
    "O": "Liste mit Kommentar",
}
_SIMPLE_CONDITION = re.compile(
    r"^\(?\s*(?:\{)?\s*([A-Za-z][A-Za-z0-9_]*)(?:\.NAOK)?\s*(==|eq)\s*[\"']?([A-Za-z0-9_-]+)[\"']?\s*(?:\})?\s*\)?$"
)


@dataclass
class Skipped:
    """One element that was not imported, and why."""

    element: str
    reason: str

    def message(self) -> str:
        """German text for the report."""
        return f"{self.element}: {self.reason}"


@dataclass
class LssImport:
    """The imported draft survey and what was left out."""

    survey: Survey
    skipped: list[Skipped] = field(default_factory=list)

    def skipped_messages(self) -> list[str]:
        """Report lines, one per skipped element."""
        return [s.message() for s in self.skipped]

    def polarity_candidates(self) -> list[PolarityCandidate]:
        """Scale statements that look negatively worded (staff confirm them)."""
        return polarity_candidates(self.survey)


#: Words that suggest a negatively worded statement ("Ich fühle mich oft allein."). LimeSurvey
#: has no polarity flag, so the import only *suggests*; staff confirm each statement.
_NEGATIVE_CUES = re.compile(
    r"\b(nicht|nie|niemals?|kein\w*|allein|einsam\w*|schlecht\w*|angst\w*|ängst\w*|sorgen?"
    r"|besorg\w*|fehl\w*|zu wenig\w*|schwierig\w*|probleme?|belast\w*|überfordert\w*)\b",
    re.IGNORECASE,
)


def negative_cue(text: str) -> str | None:
    """Return the word that makes ``text`` look negatively worded, or ``None``."""
    match = _NEGATIVE_CUES.search(text)
    return match.group(0) if match else None


@dataclass(frozen=True)
class PolarityCandidate:
    """A scale question (``item_id`` None) or matrix item that may be negatively worded."""

    question_id: int
    item_id: int | None
    question_key: str
    text: str
    cue: str

    @property
    def field_value(self) -> str:
        """Value of the confirmation checkbox: ``q<id>`` or ``i<id>``."""
        return f"i{self.item_id}" if self.item_id is not None else f"q{self.question_id}"


def polarity_candidates(survey: Survey) -> list[PolarityCandidate]:
    """Return the not yet reversed scale statements whose wording contains a negative cue.

    Single Likert questions are judged by their text, matrix questions by each item.
    """
    out = []
    for question in survey.questions():
        if question.type == QuestionType.LIKERT and not question.reversed:
            cue = negative_cue(question.text)
            if cue:
                out.append(PolarityCandidate(question.id, None, question.key, question.text, cue))
        elif question.type == QuestionType.MATRIX and not question.reversed:
            for item in question.items:
                cue = negative_cue(item.text)
                if cue and not item.reversed:
                    out.append(
                        PolarityCandidate(question.id, item.id, question.key, item.text, cue)
                    )
    return out


def apply_polarity(
    session: SessionLike, survey: Survey, confirmed: set[str], actor: User | None
) -> int:
    """Mark the confirmed candidates (checkbox values ``q<id>``/``i<id>``) as reversed.

    Only candidates of this survey count, so a forged id changes nothing. Polarity is how
    the analysis reads answers, so (as in the designer) it may be set at any time. Returns
    how many statements were marked; flushes.
    """
    marked = []
    for candidate in polarity_candidates(survey):
        if candidate.field_value not in confirmed:
            continue
        if candidate.item_id is None:
            question = session.get(Question, candidate.question_id)
            assert question is not None
            question.reversed = True
        else:
            item = session.get(Item, candidate.item_id)
            assert item is not None
            item.reversed = True
        marked.append(candidate.question_key)
    if marked:
        record(
            session,
            actor,
            Action.SURVEY_CHANGE,
            survey=survey,
            details="Umgepolt: " + ", ".join(marked),
        )
    session.flush()
    return len(marked)


def _key(code: str, taken: set[str]) -> str:
    base = slugify_key(code, "q")
    base = base if base[0].isalpha() else f"q_{base}"
    key, n = base[:70], 2
    while key in taken:
        key, n = f"{base[:70]}_{n}", n + 1
    taken.add(key)
    return key


class _Mapper:
    """Turns joined LimeSurvey rows into questions of our JSON format."""

    def __init__(self, lss: LssSurvey, groups: list[str]) -> None:
        self.lss = lss
        self.groups = groups
        self.skipped: list[Skipped] = []
        self.keys: set[str] = set()
        self.by_code: dict[str, dict[str, Any]] = {}

    def text(self, raw: str | None, where: str) -> str:
        cleaned, dropped = clean_text(raw)
        if dropped:
            self.skipped.append(
                Skipped(where, "Aktive Inhalte entfernt (" + ", ".join(sorted(dropped)) + ")")
            )
        return cleaned

    def question(self, row: Row) -> dict[str, Any] | None:
        code = row.get("title", "").strip() or f"q{row.get('qid', '')}"
        where = f"Frage {code}"
        qtype = row.get("type", "")
        subs = self.lss.subquestions.get(row.get("qid", ""), [])
        answers = [
            a
            for a in self.lss.answers.get(row.get("qid", ""), [])
            if (a.get("scale_id") or "0") == "0"
        ]
        data: dict[str, Any] = {
            "key": "",
            "type": "",
            "role": None,
            "text": self.text(row.get("question"), where),
            "help_text": self.text(row.get("help"), where),
            "required": row.get("mandatory") in ("Y", "S"),
            "target_groups": list(self.groups),
            "settings": {},
            "condition": None,
            "options": [],
            "items": [],
        }
        options = [
            {"code": a.get("code", "").strip(), "label": self.text(a.get("answer"), where)}
            for a in answers
        ]
        items = [
            {"key": "", "text": self.text(s.get("question"), where), "code": s.get("title", "")}
            for s in subs
            if (s.get("scale_id") or "0") == "0"
        ]
        if qtype in ("L", "!"):
            data.update(type="single", options=options)
            if row.get("other") == "Y":
                self.skipped.append(
                    Skipped(where, "Feld „Sonstiges“ bei Einfachauswahl nicht übernommen")
                )
        elif qtype in ("M", "P"):
            data.update(
                type="multi",
                options=[{"code": i["code"].strip(), "label": i["text"]} for i in items],
            )
            data["settings"] = {"other": row.get("other") == "Y"}
            if qtype == "P":
                self.skipped.append(Skipped(where, "Kommentarfelder je Antwort nicht übernommen"))
        elif qtype in ("A", "B", "C", "E", "F", "H"):
            scale = ARRAY_SCALES.get(qtype) or [o["label"] for o in options]
            data.update(type="matrix", settings={"scale": scale, "dont_know": False})
            item_keys: set[str] = set()
            data["items"] = [
                {"key": _key(i["code"] or "item", item_keys), "text": i["text"]} for i in items
            ]
            if qtype == "H":
                self.skipped.append(
                    Skipped(where, "Array „nach Spalte“ wird als Zeilen-Matrix übernommen")
                )
        elif qtype in ("S", "T", "U"):
            data.update(type="text", settings={"multiline": qtype != "S"})
        elif qtype == "N":
            data.update(type="number", settings={"integer": False})
        elif qtype == "R":
            data.update(type="ranking", options=options)
        elif qtype == "Y":
            data.update(type="yesno")
        elif qtype == "5":
            data.update(type="likert", settings={"scale": ARRAY_SCALES["A"], "dont_know": False})
        elif qtype == "G":
            data.update(
                type="single",
                options=[{"code": "F", "label": "Weiblich"}, {"code": "M", "label": "Männlich"}],
            )
        else:
            name = TYPE_NAMES.get(qtype, f"Typ „{qtype}“")
            self.skipped.append(Skipped(where, f"Fragetyp {name} wird nicht unterstützt"))
            return None
        data["key"] = _key(code, self.keys)
        self._condition(row, data, where)
        if not self._valid(data, where):
            self.keys.discard(data["key"])
            return None
        self.by_code[code.lower()] = data
        return data

    def _condition(self, row: Row, data: dict[str, Any], where: str) -> None:
        relevance = (row.get("relevance") or "1").strip()
        if relevance in ("", "1"):
            return
        match = _SIMPLE_CONDITION.match(relevance)
        trigger = self.by_code.get(match.group(1).lower()) if match else None
        if match and trigger and trigger["type"] in ("single", "yesno", "multi"):
            value = match.group(3)
            if trigger["type"] == "yesno":
                value = {"Y": "ja", "N": "nein"}.get(value, value)
            codes = {o["code"] for o in trigger["options"]}
            if trigger["type"] != "yesno" and value not in codes:
                self.skipped.append(
                    Skipped(where, f"Bedingung „{relevance[:120]}“: Wert „{value}“ unbekannt")
                )
                return
            data["condition"] = {"question": trigger["key"], "op": "equals", "value": value}
            return
        self.skipped.append(
            Skipped(where, f"Bedingung „{relevance[:120]}“ nicht übernommen (zu komplex)")
        )

    def _valid(self, data: dict[str, Any], where: str) -> bool:
        errors: list[FieldError] = []
        known = {g: TargetGroup(key=g, label=g) for g in self.groups}
        question = question_from_dict(data, known, where, errors)
        if question is not None and not errors:
            errors = spec_for(question.type).validate_definition(question)
        if errors:
            reason = "; ".join(e.render() for e in errors)
            self.skipped.append(Skipped(where, f"ungültig ({reason})"))
            return False
        return True


def _unique_slug(session: SessionLike, wanted: str) -> str:
    base = (
        re.sub(
            r"[^a-z0-9]+", "-", slugify_key(wanted, "limesurvey-import").replace("_", "-")
        ).strip("-")[:70]
        or "limesurvey-import"
    )
    slug, n = base, 2
    while session.scalar(select(Survey.id).where(Survey.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def import_lss(
    session: SessionLike, raw: bytes, *, actor: User | None, slug: str | None = None
) -> LssImport:
    """Import the file as a draft survey for all built-in target groups; flush, no commit."""
    lss = load(raw)
    groups = [
        g.key
        for g in session.scalars(
            select(TargetGroup).where(TargetGroup.builtin.is_(True)).order_by(TargetGroup.position)
        )
    ]
    mapper = _Mapper(lss, groups)
    settings = lss.settings
    title = mapper.text(settings.get("surveyls_title"), "Titel") or "LimeSurvey-Import"
    intro_parts = [
        mapper.text(settings.get(n), "Einleitung")
        for n in ("surveyls_description", "surveyls_welcometext")
    ]
    sections = []
    for group in lss.groups:
        name = mapper.text(group.get("group_name"), "Gruppe") or "Abschnitt"
        questions = []
        description = [mapper.text(group.get("description"), f"Gruppe {name}")]
        for row in [q for q in lss.questions if q.get("gid") == group.get("gid")]:
            if row.get("type") == "X":  # text display: becomes part of the section text
                description.append(mapper.text(row.get("question"), "Textanzeige"))
                continue
            converted = mapper.question(row)
            if converted is not None:
                questions.append(converted)
        sections.append(
            {
                "title": name[:300],
                "description": "\n\n".join(d for d in description if d),
                "handlungsfeld": None,
                "questions": questions,
            }
        )
    for row in lss.questions:
        if not any(row.get("gid") == g.get("gid") for g in lss.groups):
            mapper.skipped.append(
                Skipped(f"Frage {row.get('title', '')}", "gehört zu keiner Gruppe")
            )
    document = {
        "format": json_format.FORMAT,
        "version": json_format.VERSION,
        "survey": {
            "slug": slug or _unique_slug(session, title),
            "title": title[:300],
            "intro": "\n\n".join(p for p in intro_parts if p),
            "intro_easy": "",
            "privacy_notice": mapper.text(
                settings.get("surveyls_policy_notice"), "Datenschutzhinweis"
            ),
            "opens_on": None,
            "closes_on": None,
            "access_mode": "public",
            "target_groups": groups,
            "baseline": None,
            "sections": sections,
        },
    }
    survey = json_format.import_survey(
        session, document, actor=actor, slug=slug, details="LimeSurvey (.lss)"
    )
    return LssImport(survey, mapper.skipped)
