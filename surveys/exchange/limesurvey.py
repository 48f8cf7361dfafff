"""Import of LimeSurvey survey structure files (``.lss``) into a draft survey.

Supported question types: L/! (list, radio or dropdown), M/P (multiple choice), A/B (array
5/10 point), F/H (array with own scale), C/E (array yes-uncertain-no, more-same-less),
S/T/U (free text), N (numerical), R (ranking), Y (yes/no), 5 (5 point choice), G (gender),
D (date), K (multiple numerical input), ``:`` (array of numbers) and 1 (dual-scale array,
as two matrices; :mod:`surveys.exchange.lss_numbers`). Everything else is skipped and
reported with the reason; how a type was converted is reported too. Texts lose HTML and
scripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from surveys.audit import Action, record
from surveys.conditions import MAX_RULES
from surveys.db import SessionLike
from surveys.designer_lists import slugify_key
from surveys.errors import FieldError
from surveys.exchange import json_format
from surveys.exchange.duplicates import free_slug, same_surveys
from surveys.exchange.json_reading import question_from_dict
from surveys.exchange.lss_numbers import dual_scale, number_types
from surveys.exchange.lss_reader import MAX_BYTES, LssSurvey, Row, load_all
from surveys.exchange.text_clean import clean_text, strip_expressions
from surveys.models import Item, Question, QuestionType, Survey, TargetGroup, User
from surveys.question_types import spec_for
from surveys.translations import TARGET_LANGUAGES, save_translations

__all__ = [
    "MAX_BYTES",
    "LssImport",
    "PolarityCandidate",
    "apply_polarity",
    "import_lss",
    "negative_cue",
    "polarity_candidates",
    "same_surveys",
]

ARRAY_SCALES = {
    "A": ["1", "2", "3", "4", "5"],
    "B": [str(n) for n in range(1, 11)],
    "C": ["Nein", "Unsicher", "Ja"],
    "E": ["Weniger", "Gleich", "Mehr"],
}
TYPE_NAMES = {
    "Q": "Mehrfache kurze Texte",
    ";": "Array (Texte)",
    "|": "Datei-Upload",
    "*": "Gleichung",
    "I": "Sprachumschalter",
    "O": "Liste mit Kommentar",
}
#: One comparison of a relevance equation: ``Q1 == "A1"``, ``Q1.NAOK != 'Y'``, ``Q2 >= 3``.
_COMPARISON = re.compile(
    r"^([A-Za-z][A-Za-z0-9_]*)(?:\.(?:NAOK|value|code))?\s*"
    r"(==|!=|>=|<=|>|<|eq|ne|ge|le|gt|lt)\s*"
    r"(?:\"([^\"]*)\"|'([^']*)'|(-?[0-9]+(?:\.[0-9]+)?))$"
)
#: ``!is_empty(Q3)`` (answered) – ``is_empty`` alone has no counterpart.
_ANSWERED = re.compile(r"^!\s*is_empty\(\s*([A-Za-z][A-Za-z0-9_]*)(?:\.NAOK)?\s*\)$")
_OPERATOR_NAMES = {
    "==": "equals",
    "eq": "equals",
    "!=": "not_equals",
    "ne": "not_equals",
    ">": "gt",
    "gt": "gt",
    ">=": "ge",
    "ge": "ge",
    "<": "lt",
    "lt": "lt",
    "<=": "le",
    "le": "le",
}
_CONNECTIVES = {"and": "all", "&&": "all", "or": "any", "||": "any"}
_CONNECTIVE = re.compile(r"(&&|\|\||and(?![A-Za-z0-9_])|or(?![A-Za-z0-9_]))")


def _word_char(char: str) -> bool:
    return char.isalnum() or char in "_."


class TooComplex(Exception):
    """A relevance equation the importer cannot express as a condition."""


class UnknownValue(Exception):
    """A comparison with a value the trigger question does not have."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def _outer_parens(expression: str) -> str:
    """Strip braces and parentheses that enclose the whole expression."""
    text = expression.strip()
    while True:
        if text.startswith("{") and text.endswith("}"):
            text = text[1:-1].strip()
            continue
        if not (text.startswith("(") and text.endswith(")")):
            return text
        depth, quote = 0, ""
        for index, char in enumerate(text):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0 and index < len(text) - 1:
                    return text  # "(a) and (b)": the first group closes early
        text = text[1:-1].strip()


def _split(expression: str) -> tuple[str, list[str]]:
    """Split at top-level ``and``/``&&`` or ``or``/``||``; raise when both are mixed."""
    parts: list[str] = []
    kinds: set[str] = set()
    depth, quote, start, index = 0, "", 0, 0
    while index < len(expression):
        char = expression[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            found = _CONNECTIVE.match(expression, index)
            before = expression[index - 1] if index else " "
            if found and (found.group(1) in ("&&", "||") or not _word_char(before)):
                kinds.add(_CONNECTIVES[found.group(1)])
                parts.append(expression[start:index])
                index += len(found.group(1))
                start = index
                continue
        index += 1
    parts.append(expression[start:])
    if len(kinds) > 1 or depth != 0 or quote:
        raise TooComplex
    return (kinds.pop() if kinds else "all"), [p.strip() for p in parts]


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
    #: Further languages of the file stored as translations (our codes, e.g. "en").
    languages: list[str] = field(default_factory=list)
    #: Questions taken in another shape (a date, numbers, a dual scale as two matrices).
    converted: list[Skipped] = field(default_factory=list)

    def skipped_messages(self) -> list[str]:
        """Report lines, one per skipped element."""
        return [s.message() for s in self.skipped]

    def converted_messages(self) -> list[str]:
        """Report lines, one per question taken in another shape."""
        return [c.message() for c in self.converted]

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
        #: Questions taken in another shape than LimeSurvey's (e.g. a dual scale as two).
        self.converted: list[Skipped] = []
        self.keys: set[str] = set()
        self.by_code: dict[str, dict[str, Any]] = {}
        #: LimeSurvey question id -> imported key, and matrix subquestion code -> item key
        self.key_by_qid: dict[str, str] = {}
        self.item_keys: dict[str, dict[str, str]] = {}
        #: LimeSurvey group id -> position of its section (1, 2, ...)
        self.sections: dict[str, int] = {}
        #: LimeSurvey question id of a dual-scale array -> the keys of its two matrices
        self.dual_keys: dict[str, list[str]] = {}

    def text(self, raw: str | None, where: str) -> str:
        cleaned, dropped = clean_text(raw)
        if dropped:
            self.skipped.append(
                Skipped(where, "Aktive Inhalte entfernt (" + ", ".join(sorted(dropped)) + ")")
            )
        cleaned, expressions = strip_expressions(cleaned)
        for expression in expressions:
            shown = expression if len(expression) <= 80 else expression[:79] + "…"
            self.skipped.append(Skipped(where, f"Ausdruck „{shown}“ entfernt"))
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
            self.item_keys[row.get("qid", "")] = {
                i["code"]: item["key"] for i, item in zip(items, data["items"], strict=True)
            }
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
        elif qtype in ("D", "K", ":"):
            attributes = self.lss.attributes.get(row.get("qid", ""), {})
            converted, dropped = number_types(
                qtype, data, items, subs, attributes, self.text, where
            )
            self.converted += [Skipped(where, note) for note in converted]
            self.skipped += [Skipped(where, note) for note in dropped]
            if qtype in ("K", ":"):
                self.item_keys[row.get("qid", "")] = {
                    i["code"]: item["key"] for i, item in zip(items, data["items"], strict=True)
                }
        else:
            name = TYPE_NAMES.get(qtype, f"Typ „{qtype}“")
            self.skipped.append(Skipped(where, f"Fragetyp {name} wird nicht unterstützt"))
            return None
        if not data["text"]:
            self.skipped.append(Skipped(where, "ohne Fragetext, nicht übernommen"))
            return None
        data["key"] = _key(code, self.keys)
        self._condition(row, data, where)
        if not self._valid(data, where):
            self.keys.discard(data["key"])
            return None
        self.by_code[code.lower()] = data
        self.key_by_qid[row.get("qid", "")] = data["key"]
        return data

    def dual_scale(self, row: Row) -> list[dict[str, Any]]:
        """A dual-scale array (``1``) as two matrices, one per scale, each imported like any
        question (key, validity); reported as converted."""
        first = self.question({**row, "type": "F"})
        if first is None:
            return []
        code = row.get("title", "").strip() or f"q{row.get('qid', '')}"
        where = f"Frage {code}"
        self.keys.discard(first["key"])
        attributes = self.lss.attributes.get(row.get("qid", ""), {})
        second_scale = [
            self.text(a.get("answer"), where)
            for a in self.lss.answers.get(row.get("qid", ""), [])
            if (a.get("scale_id") or "0") == "1"
        ]
        pair = dual_scale(first, second_scale, attributes, self.text, where)
        made = []
        for data in pair:
            data["key"] = _key(data["key"], self.keys)
            if not self._valid(data, where):
                self.keys.discard(data["key"])
                continue
            made.append(data)
        self.by_code.pop(code.lower(), None)  # a relevance on the pair names neither matrix
        self.key_by_qid.pop(row.get("qid", ""), None)
        if made:
            self.dual_keys[row.get("qid", "")] = [m["key"] for m in made]
            keys = " und ".join(f"„{m['key']}“" for m in made)
            self.converted.append(
                Skipped(
                    where, f"Array mit zwei Skalen als {len(made)} Matrizen übernommen ({keys})"
                )
            )
        return made

    def _condition(self, row: Row, data: dict[str, Any], where: str) -> None:
        relevance = (row.get("relevance") or "1").strip()
        if _outer_parens(relevance) in ("", "1"):
            return
        shown = relevance[:120]
        try:
            match, parts = _split(_outer_parens(relevance))
            if len(parts) > MAX_RULES:
                raise TooComplex
            rules = [self._rule(_outer_parens(part)) for part in parts]
        except UnknownValue as exc:
            self.skipped.append(
                Skipped(where, f"Bedingung „{shown}“: Wert „{exc.value}“ unbekannt")
            )
            return
        except TooComplex:
            self.skipped.append(
                Skipped(where, f"Bedingung „{shown}“ nicht übernommen (zu komplex)")
            )
            return
        data["condition"] = {"match": match, "rules": rules}

    def _rule(self, part: str) -> dict[str, Any]:
        """One simple comparison as a rule; raise :class:`TooComplex` for anything else."""
        answered = _ANSWERED.match(part)
        if answered:
            trigger = self._trigger(answered.group(1))
            return {"question": trigger["key"], "op": "answered", "value": None}
        found = _COMPARISON.match(part)
        if not found:
            raise TooComplex
        name, symbol = found.group(1), found.group(2)
        quoted = found.group(3) if found.group(3) is not None else found.group(4)
        value = quoted if quoted is not None else found.group(5)
        op = _OPERATOR_NAMES[symbol]
        if name.lower() not in self.by_code and "_" in name:
            # a multiple-choice answer: Q1_SQ001 == "Y" (chosen) or != "Y" (not chosen)
            base, _, sub = name.rpartition("_")
            trigger = self._trigger(base)
            if trigger["type"] != "multi" or op not in ("equals", "not_equals") or value != "Y":
                raise TooComplex
            codes = {o["code"] for o in trigger["options"]}
            if sub not in codes:
                raise UnknownValue(sub)
            op = "contains" if op == "equals" else "not_equals"
            return {"question": trigger["key"], "op": op, "value": sub}
        trigger = self._trigger(name)
        kind = trigger["type"]
        if kind in ("number", "likert"):
            if quoted is not None and not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", quoted):
                raise TooComplex
            number = float(value)
            points = len(trigger["settings"].get("scale") or [])
            if kind == "likert" and not 1 <= number <= points:
                raise UnknownValue(value)
            return {
                "question": trigger["key"],
                "op": op,
                "value": int(number) if number.is_integer() else number,
            }
        if op not in ("equals", "not_equals") or quoted is None:
            raise TooComplex  # numeric comparisons only on numbers and scales
        if kind == "yesno":
            if value not in ("Y", "N"):
                raise UnknownValue(value)
            return {"question": trigger["key"], "op": op, "value": "ja" if value == "Y" else "nein"}
        if kind in ("single", "multi"):
            if value not in {o["code"] for o in trigger["options"]}:
                raise UnknownValue(value)
            if kind == "multi":
                op = "contains" if op == "equals" else "not_equals"
            return {"question": trigger["key"], "op": op, "value": value}
        raise TooComplex

    def _trigger(self, name: str) -> dict[str, Any]:
        """The earlier imported question with LimeSurvey code ``name``."""
        trigger = self.by_code.get(name.lower())
        if trigger is None:
            raise TooComplex
        return trigger

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


#: LimeSurvey language codes that differ from ours.
_LANGUAGE_CODES = {"de-easy": "de-LS"}


def _translation(lss: LssSurvey, mapper: _Mapper) -> tuple[dict[str, str], int]:
    """The texts of one further language by text path, and how many expressions went."""
    texts: dict[str, str] = {}
    removed = 0

    def put(path: str, *raws: str | None) -> None:
        nonlocal removed
        parts = []
        for raw in raws:
            cleaned, _dropped = clean_text(raw)
            cleaned, expressions = strip_expressions(cleaned)
            removed += len(expressions)
            if cleaned:
                parts.append(cleaned)
        if parts:
            texts[path] = "\n\n".join(parts)

    settings = lss.settings
    if settings.get("surveyls_language") == lss.language:
        put("title", settings.get("surveyls_title"))
        put("intro", settings.get("surveyls_description"), settings.get("surveyls_welcometext"))
        put("privacy_notice", settings.get("surveyls_policy_notice"))
    for group in lss.groups:
        position = mapper.sections.get(group.get("gid", ""))
        if position is None:
            continue
        rows = [q for q in lss.questions if q.get("gid") == group.get("gid")]
        put(f"section/{position}/title", group.get("group_name"))
        put(
            f"section/{position}/description",
            group.get("description"),
            *(q.get("question") for q in rows if q.get("type") == "X"),
        )
        for row in rows:
            qid = row.get("qid", "")
            key = mapper.key_by_qid.get(qid)
            if key is None:
                continue
            put(f"q/{key}/text", row.get("question"))
            put(f"q/{key}/help_text", row.get("help"))
            answers = [a for a in lss.answers.get(qid, []) if (a.get("scale_id") or "0") == "0"]
            subs = [s for s in lss.subquestions.get(qid, []) if (s.get("scale_id") or "0") == "0"]
            qtype = row.get("type", "")
            if qtype in ("L", "!", "R"):
                for answer in answers:
                    put(f"q/{key}/option/{answer.get('code', '').strip()}", answer.get("answer"))
            elif qtype in ("M", "P"):
                for sub in subs:
                    put(f"q/{key}/option/{sub.get('title', '').strip()}", sub.get("question"))
            elif qtype in ("A", "B", "C", "E", "F", "H", "K", ":"):
                items = mapper.item_keys.get(qid, {})
                for sub in subs:
                    if sub.get("title", "") in items:
                        put(f"q/{key}/item/{items[sub.get('title', '')]}", sub.get("question"))
                if qtype in ("F", "H"):
                    for n, answer in enumerate(answers, start=1):
                        put(f"q/{key}/scale/{n}", answer.get("answer"))
                if qtype == ":":  # the columns are the options of a number matrix
                    for sub in lss.subquestions.get(qid, []):
                        if (sub.get("scale_id") or "0") == "1":
                            put(
                                f"q/{key}/option/{sub.get('title', '').strip()}",
                                sub.get("question"),
                            )
    return texts, removed


def _import_languages(
    session: SessionLike, survey: Survey, further: list[LssSurvey], mapper: _Mapper
) -> list[str]:
    """Store each further language we support as a translation; return those stored."""
    stored = []
    for lss in further:
        code = _LANGUAGE_CODES.get(lss.language, lss.language)
        where = f"Sprache „{lss.language}“"
        if code not in TARGET_LANGUAGES:
            mapper.skipped.append(Skipped(where, "wird nicht unterstützt, nicht übernommen"))
            continue
        texts, removed = _translation(lss, mapper)
        if not texts:
            mapper.skipped.append(Skipped(where, "enthält keine Texte, nicht übernommen"))
            continue
        save_translations(session, survey, code, texts)
        stored.append(code)
        if removed:
            mapper.skipped.append(
                Skipped(where, f"Ausdrücke aus der Übersetzung entfernt ({removed})")
            )
    return stored


def import_lss(
    session: SessionLike, raw: bytes, *, actor: User | None, slug: str | None = None
) -> LssImport:
    """Import the file as a draft survey for all built-in target groups; flush, no commit.

    Further languages of the file become translations where we support the language.
    """
    lss, *further = load_all(raw)
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
    sections: list[dict[str, Any]] = []
    for group in lss.groups:
        name = mapper.text(group.get("group_name"), "Gruppe") or "Abschnitt"
        questions = []
        description = [mapper.text(group.get("description"), f"Gruppe {name}")]
        for row in [q for q in lss.questions if q.get("gid") == group.get("gid")]:
            if row.get("type") == "X":  # text display: becomes part of the section text
                description.append(mapper.text(row.get("question"), "Textanzeige"))
                continue
            if row.get("type") == "1":
                questions += mapper.dual_scale(row)
                continue
            converted = mapper.question(row)
            if converted is not None:
                questions.append(converted)
        mapper.sections[group.get("gid", "")] = len(sections) + 1
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
            "slug": slug or free_slug(session, title, "limesurvey-import"),
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
    languages = _import_languages(session, survey, further, mapper)
    return LssImport(survey, mapper.skipped, languages, mapper.converted)
