"""Reading a LimeSurvey survey structure file (``.lss``) safely into plain tables.

Uses defusedxml with DTDs, entities and external references forbidden, so entity
expansion ("billion laughs") and external entities (XXE) are refused before parsing.
Both layouts are read: LimeSurvey 3 (texts inline, one row per language) and
LimeSurvey 4–6 (texts in ``*_l10ns`` tables).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from surveys.errors import FieldError, ValidationError
from surveys.i18n import N_

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 50_000

Row = dict[str, str]


def _refuse(message: str) -> ValidationError:
    return ValidationError([FieldError("file", message)])


def parse_document(raw: bytes) -> Element:
    """Parse the bytes or raise :class:`ValidationError` with a German reason."""
    if len(raw) > MAX_BYTES:
        return _raise(N_("Die Datei ist zu groß (höchstens 2 MB)."))
    if not raw.strip():
        return _raise(N_("Die Datei ist leer."))
    if raw.startswith(b"PK\x03\x04"):
        # .lsa/.zip archives are never unpacked (no zip slip, no zip bombs)
        return _raise(
            N_(
                "Archive (.lsa oder .zip) werden nicht entpackt. Bitte exportieren Sie in "
                "LimeSurvey die Umfragestruktur als .lss-Datei."
            )
        )
    try:
        root: Element = fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        return _raise(
            N_(
                "Die Datei enthält XML-Konstrukte (DTD, Entitäten oder externe Verweise), "
                "die aus Sicherheitsgründen nicht verarbeitet werden."
            )
        )
    except (ParseError, ValueError):
        return _raise(N_("Die Datei ist kein gültiges XML und keine LimeSurvey-Datei."))
    doc_type = (root.findtext("LimeSurveyDocType") or "").strip()
    if root.tag != "document" or doc_type != "Survey":
        return _raise(
            N_("Die Datei ist keine LimeSurvey-Umfragestruktur (.lss mit „Survey“-Dokumenttyp).")
        )
    return root


def _raise(message: str) -> Element:
    raise _refuse(message)


def read_tables(root: Element) -> dict[str, list[Row]]:
    """Return every ``<table><rows><row>`` block as a list of ``{column: text}`` rows."""
    tables: dict[str, list[Row]] = {}
    count = 0
    for table in root:
        rows = table.find("rows")
        if rows is None:
            continue
        parsed = []
        for row in rows.findall("row"):
            count += 1
            if count > MAX_ROWS:
                raise _refuse(N_("Die Datei enthält zu viele Einträge."))
            parsed.append({cell.tag: (cell.text or "") for cell in row})
        tables[table.tag] = parsed
    return tables


@dataclass
class LssSurvey:
    """The parts of an ``.lss`` file the importer needs, in one language."""

    language: str
    db_version: int
    settings: Row
    groups: list[Row]
    questions: list[Row]
    subquestions: dict[str, list[Row]]
    answers: dict[str, list[Row]]
    attributes: dict[str, dict[str, str]]
    #: Every language of the file, the one read first (``language`` is one of them).
    languages: tuple[str, ...] = ()


def _in_language(rows: list[Row], language: str) -> list[Row]:
    return [r for r in rows if r.get("language", language) in (language, "")]


def _languages(root: Element, tables: dict[str, list[Row]]) -> tuple[str, ...]:
    """The file's languages: base language first, then ``<languages>`` and additional ones."""
    survey = (tables.get("surveys") or [{}])[0]
    found = [survey.get("language", "").strip()]
    listed = root.find("languages")
    if listed is not None:
        found += [(el.text or "").strip() for el in listed.findall("language")]
    found += survey.get("additional_languages", "").split()
    return tuple(dict.fromkeys(code for code in found if code))


def load(raw: bytes) -> LssSurvey:
    """Parse ``raw`` and join the tables in the survey's German (else base) language."""
    return load_all(raw)[0]


def load_all(raw: bytes) -> list[LssSurvey]:
    """Parse ``raw`` once and join the tables in each of its languages, German (else the
    base language) first."""
    root = parse_document(raw)
    tables = read_tables(root)
    db_version = int((root.findtext("DBVersion") or "0").strip() or 0)
    languages = _languages(root, tables) or ("de",)
    first = "de" if "de" in languages else languages[0]
    ordered = (first, *(code for code in languages if code != first))
    return [_join(tables, db_version, code, ordered) for code in ordered]


def _join(
    tables: dict[str, list[Row]], db_version: int, language: str, languages: tuple[str, ...]
) -> LssSurvey:
    settings_rows = (
        [
            r
            for r in tables.get("surveys_languagesettings", [])
            if r.get("surveyls_language") == language
        ]
        or tables.get("surveys_languagesettings", [])
        or [{}]
    )

    def l10n(table: str, key: str) -> dict[str, Row]:
        return {r.get(key, ""): r for r in _in_language(tables.get(table, []), language)}

    group_texts = l10n("group_l10ns", "gid")
    question_texts = l10n("question_l10ns", "qid")
    answer_texts = l10n("answer_l10ns", "aid")
    groups = []
    for g in _in_language(tables.get("groups", []), language):
        groups.append({**g, **group_texts.get(g.get("gid", ""), {})})
    groups.sort(key=lambda g: int(g.get("group_order") or 0))
    all_questions = [
        {**q, **question_texts.get(q.get("qid", ""), {})}
        for q in _in_language(
            tables.get("questions", []) + tables.get("subquestions", []), language
        )
    ]
    top = [q for q in all_questions if (q.get("parent_qid") or "0") == "0"]
    subquestions: dict[str, list[Row]] = {}
    for q in all_questions:
        if (q.get("parent_qid") or "0") != "0":
            subquestions.setdefault(q["parent_qid"], []).append(q)
    for rows in subquestions.values():
        rows.sort(key=lambda q: int(q.get("question_order") or 0))
    answers: dict[str, list[Row]] = {}
    for a in _in_language(tables.get("answers", []), language):
        merged = {**a, **answer_texts.get(a.get("aid", ""), {})}
        answers.setdefault(merged.get("qid", ""), []).append(merged)
    for rows in answers.values():
        rows.sort(key=lambda a: int(a.get("sortorder") or 0))
    attributes: dict[str, dict[str, str]] = {}
    for attr in tables.get("question_attributes", []):
        if attr.get("language") in (None, "", language):
            attributes.setdefault(attr.get("qid", ""), {})[attr.get("attribute", "")] = attr.get(
                "value", ""
            )
    return LssSurvey(
        language,
        db_version,
        settings_rows[0],
        groups,
        top,
        subquestions,
        answers,
        attributes,
        languages,
    )
