"""JSON export/import of whole questionnaires: property-based round trip and refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from surveys.designer_form import MAX_BREAKDOWNS
from surveys.errors import ValidationError
from surveys.exchange import json_format
from surveys.models import AuditEvent

GROUPS = ["familien", "senioren", "akteure"]
FIELDS = [None, "steuerung", "arbeitswelt", "bildung", "beratung", "wohnumfeld", "senioren"]

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=25
).filter(lambda s: s.strip() == s and s != "")
optional_texts = st.one_of(st.just(""), texts)


def _unique(values: list[str]) -> bool:
    folded = [v.casefold() for v in values]
    return len(folded) == len(set(folded))


labels = st.lists(texts, min_size=2, max_size=6).filter(_unique)
#: A return address: at most six lines (no line or paragraph separators within a line).
address_lines = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=25
).filter(lambda s: s.strip() == s and s != "")
addresses = st.lists(address_lines, max_size=6).map("\n".join)


@st.composite
def questions(
    draw: st.DrawFn, key: str, earlier: list[dict[str, Any]], groups: list[str]
) -> dict[str, Any]:
    """One valid question definition of a random type."""
    qtype = draw(
        st.sampled_from(
            ["likert", "matrix", "single", "multi", "ranking", "text", "number", "yesno"]
        )
    )
    settings_: dict[str, Any] = {}
    options: list[dict[str, str]] = []
    items: list[dict[str, Any]] = []
    if qtype in ("likert", "matrix"):
        settings_ = {"scale": draw(labels), "dont_know": draw(st.booleans())}
    if qtype == "matrix":
        items = [
            {"key": f"i{n}", "text": t, "reversed": draw(st.booleans())}
            for n, t in enumerate(draw(labels))
        ]
    if qtype in ("single", "multi", "ranking"):
        options = [{"code": f"o{n}", "label": t} for n, t in enumerate(draw(labels))]
    if qtype in ("single", "multi"):
        settings_ = {"other": draw(st.booleans())}
    if qtype == "number":
        low = draw(st.integers(-100, 100))
        settings_ = {
            "min": low,
            "max": low + draw(st.integers(0, 100)),
            "integer": draw(st.booleans()),
        }
    if qtype == "text":
        settings_ = {"multiline": draw(st.booleans()), "max_length": draw(st.integers(1, 5000))}
    condition = None
    triggers = [q for q in earlier if q["type"] in ("single", "multi", "number")]
    if triggers and draw(st.booleans()):
        rules = []
        for trigger in draw(st.lists(st.sampled_from(triggers), min_size=1, max_size=3)):
            if trigger["type"] == "number":
                op = draw(st.sampled_from(["equals", "not_equals", "gt", "ge", "lt", "le"]))
                value: Any = draw(st.integers(-100, 100))
            else:
                ops = ["equals", "not_equals"] if trigger["type"] == "single" else ["contains"]
                op = draw(st.sampled_from(ops))
                value = draw(st.sampled_from([o["code"] for o in trigger["options"]]))
            rules.append({"question": trigger["key"], "op": op, "value": value})
        condition = {"match": draw(st.sampled_from(["all", "any"])), "rules": rules}
    return {
        "key": key,
        "type": qtype,
        "role": draw(st.sampled_from([None, "satisfaction", "importance", "priority", "comment"])),
        "text": draw(texts),
        "help_text": draw(optional_texts),
        "required": draw(st.booleans()),
        "reversed": draw(st.booleans()) if qtype in ("likert", "matrix") else False,
        "breakdown": qtype == "single"
        and sum(q["breakdown"] for q in earlier) < MAX_BREAKDOWNS
        and draw(st.booleans()),
        "target_groups": draw(
            st.lists(st.sampled_from(groups), min_size=1, unique=True).map(
                lambda chosen: [g for g in groups if g in chosen]
            )
        ),
        "settings": settings_,
        "condition": condition,
        "options": options,
        "items": items,
        "page_break": draw(st.booleans()),
    }


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid questionnaire document."""
    groups = draw(
        st.lists(st.sampled_from(GROUPS), min_size=1, unique=True).map(
            lambda chosen: [g for g in GROUPS if g in chosen]
        )
    )
    sections = []
    earlier: list[dict[str, Any]] = []
    for s_index in range(draw(st.integers(0, 3))):
        built = []
        for _ in range(draw(st.integers(0, 4))):
            question = draw(questions(f"q{len(earlier)}", earlier, groups))
            earlier.append(question)
            built.append(question)
        sections.append(
            {
                "title": draw(texts),
                "description": draw(optional_texts),
                "handlungsfeld": draw(st.sampled_from(FIELDS)),
                "questions": built,
            }
        )
        del s_index
    opens = draw(st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
    return {
        "format": json_format.FORMAT,
        "version": json_format.VERSION,
        "survey": {
            "slug": "rundreise",
            "title": draw(texts),
            "intro": draw(optional_texts),
            "intro_easy": draw(optional_texts),
            "purpose": draw(optional_texts),
            "next_steps": draw(optional_texts),
            "privacy_notice": draw(optional_texts),
            "return_address": draw(addresses),
            "return_by": opens,
            "opens_on": opens,
            "closes_on": opens,
            "access_mode": draw(st.sampled_from(["public", "code"])),
            "target_groups": groups,
            "baseline": None,
            "sections": sections,
        },
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=documents())
def test_export_import_round_trip_is_lossless(session: Session, document: dict[str, Any]) -> None:
    savepoint = session.begin_nested()
    try:
        raw = json_format.dumps(document).encode()
        survey = json_format.import_survey(session, json_format.loads(raw), actor=None)
        session.flush()
        session.expire_all()
        assert json_format.export_survey(survey) == document
    finally:
        savepoint.rollback()


def test_reversed_questions_and_items_survive_the_round_trip(session: Session) -> None:
    question = {
        "key": "lage",
        "type": "matrix",
        "text": "Wie erleben Sie …",
        "target_groups": ["senioren"],
        "settings": {"scale": ["gar nicht", "wenig", "ziemlich", "sehr"]},
        "reversed": False,
        "items": [
            {"key": "hilfe", "text": "Ich bekomme Hilfe.", "reversed": False},
            {"key": "allein", "text": "Ich fühle mich oft allein.", "reversed": True},
        ],
    }
    alone = {
        "key": "sorge",
        "type": "likert",
        "text": "Ich mache mir Sorgen um meine Wohnung.",
        "target_groups": ["senioren"],
        "settings": {"scale": ["stimme nicht zu", "stimme zu"]},
        "reversed": True,
    }
    legacy = {"key": "alt", "type": "likert", "text": "Alt", "target_groups": ["senioren"]}
    legacy["settings"] = {"scale": ["nein", "ja"]}
    document = {
        "format": json_format.FORMAT,
        "version": json_format.VERSION,
        "survey": {
            "slug": "polung",
            "title": "Polung",
            "target_groups": ["senioren"],
            "sections": [
                {"title": "A", "handlungsfeld": "senioren", "questions": [question, alone, legacy]}
            ],
        },
    }
    survey = json_format.import_survey(session, document, actor=None)
    session.flush()
    session.expire_all()
    exported = json_format.export_survey(survey)["survey"]["sections"][0]["questions"]
    assert [q["reversed"] for q in exported] == [False, True, False]  # legacy: not reversed
    assert [i["reversed"] for i in exported[0]["items"]] == [False, True]
    again = json_format.import_survey(
        session,
        {**document, "survey": {**document["survey"], "slug": "polung-2"}},
        actor=None,
    )
    assert (
        json_format.export_survey(again)["survey"]["sections"]
        == json_format.export_survey(survey)["survey"]["sections"]
    )


def _single(key: str, breakdown: bool | None) -> dict[str, Any]:
    question: dict[str, Any] = {
        "key": key,
        "type": "single",
        "text": f"{key}?",
        "target_groups": ["familien"],
        "options": [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}],
    }
    if breakdown is not None:
        question["breakdown"] = breakdown
    return question


def _breakdown_document(slug: str, questions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": json_format.FORMAT,
        "version": json_format.VERSION,
        "survey": {
            "slug": slug,
            "title": "Merkmale",
            "target_groups": ["familien"],
            "sections": [{"title": "Über Sie", "questions": questions}],
        },
    }


def test_breakdowns_survive_the_round_trip(session: Session) -> None:
    multi = {**_single("hobby", True), "type": "multi"}  # only single choice breaks down
    legacy = _single("alt", None)  # files before the flag: no breakdown
    document = _breakdown_document(
        "merkmale", [_single("stadtteil", True), _single("alter", False), multi, legacy]
    )
    survey = json_format.import_survey(session, document, actor=None)
    session.flush()
    session.expire_all()
    exported = json_format.export_survey(survey)["survey"]["sections"][0]["questions"]
    assert [q["breakdown"] for q in exported] == [True, False, False, False]
    whole = json_format.export_survey(survey)
    again = json_format.import_survey(
        session, {**whole, "survey": {**whole["survey"], "slug": "merkmale-2"}}, actor=None
    )
    assert json_format.export_survey(again)["survey"]["sections"] == whole["survey"]["sections"]


def test_more_than_three_breakdowns_are_refused(session: Session) -> None:
    document = _breakdown_document("zu-viele", [_single(f"m{n}", True) for n in range(4)])
    with pytest.raises(ValidationError) as refused:
        json_format.import_survey(session, document, actor=None)
    assert "mehr als 3 Fragen als Auswertungsmerkmal" in str(
        [e.render() for e in refused.value.errors]
    )


def test_import_is_audited_and_keeps_keys(session: Session) -> None:
    document = {
        "format": json_format.FORMAT,
        "version": 1,
        "survey": {
            "slug": "eins",
            "title": "Eins",
            "target_groups": ["familien"],
            "sections": [
                {
                    "title": "A",
                    "handlungsfeld": "bildung",
                    "questions": [
                        {
                            "key": "kita",
                            "type": "yesno",
                            "text": "Kita?",
                            "target_groups": ["familien"],
                        }
                    ],
                }
            ],
        },
    }
    survey = json_format.import_survey(session, document, actor=None)
    assert [q.key for q in survey.questions()] == ["kita"]
    assert session.query(AuditEvent).filter_by(action="survey.import").count() == 1
    with pytest.raises(ValidationError) as exc:
        json_format.import_survey(session, document, actor=None)
    assert exc.value.errors[0].field == "slug"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"{not json", "kein gültiges JSON"),
        (b"\xff\xfe", "kein gültiges JSON"),
        (b"[]", "kein Fragebogen"),
        (json.dumps({"format": "x"}).encode(), "kein Fragebogen"),
        (json.dumps({"format": json_format.FORMAT, "version": 99}).encode(), "Version"),
        (b" " * (json_format.MAX_BYTES + 1), "zu groß"),
        (b"[" * 100_000 + b"]" * 100_000, "kein gültiges JSON"),
    ],
)
def test_bad_files_are_refused(raw: bytes, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        json_format.loads(raw)
    assert fragment in exc.value.errors[0].render()


def test_invalid_content_is_refused_with_paths(session: Session) -> None:
    document = {
        "format": json_format.FORMAT,
        "version": 1,
        "survey": {
            "slug": "zwei",
            "title": "Zwei",
            "target_groups": ["familien", "martians"],
            "sections": [{"title": "A", "questions": [{"key": "x", "type": "bogus"}, "nope"]}],
        },
    }
    with pytest.raises(ValidationError) as exc:
        json_format.import_survey(session, document, actor=None)
    messages = " ".join(e.render() for e in exc.value.errors)
    assert "martians" in messages
    assert "sections[0].questions[0]: unbekannte Fragenart" in messages
    assert "sections[0].questions[1]: Objekt erwartet" in messages
