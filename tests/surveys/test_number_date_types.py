"""The types Datum, Mehrfache Zahleneingabe and Zahlen-Matrix: settings, parsing with German
messages, storage and reading back, display, export columns and codebook."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from surveys.conditions import OPERATORS_BY_TYPE
from surveys.exports import codebook_rows, response_rows
from surveys.models import QuestionType
from surveys.queries import target_group_by_key
from surveys.question_types import spec_for
from surveys.redisplay import redisplay_value
from surveys.responses import store_response
from tests.surveys.builders import question
from tests.surveys.number_date_survey import number_date_survey

DATE = spec_for(QuestionType.DATE)
MULTI = spec_for(QuestionType.MULTINUMBER)
GRID = spec_for(QuestionType.NUMBERMATRIX)


def rendered(errors: list) -> list[tuple[str, str]]:
    """(field, German message) of each error."""
    return [(e.field, e.render()) for e in errors]


def typed(**parts: str) -> dict[str, list[str]]:
    """Raw input of the date question ``d``."""
    return {f"q-d-{name}": [value] for name, value in parts.items()}


class Stored:
    """A stored answer row as the database gives it back."""

    def __init__(self, row: dict) -> None:
        self.item_id = row["item_id"]
        self.option_id = row["option_id"]
        self.num = row["num"]
        self.text = row["text"]
        self.dont_know = row["dont_know"]


def roundtrip(spec, q, value):  # type: ignore[no-untyped-def]
    return spec.from_rows(q, [Stored(r) for r in spec.to_rows(q, value)])


# --- Datum -----------------------------------------------------------------------------------


def date_question(**settings: str):  # type: ignore[no-untyped-def]
    return question(QuestionType.DATE, "d", settings=settings)


def test_date_reads_day_month_and_year() -> None:
    assert DATE.parse(date_question(), typed(day="3", month="10", year="2022")) == (
        "2022-10-03",
        [],
    )
    assert DATE.parse(date_question(), typed(day=" 03 ", month="1", year="1987"))[0] == (
        "1987-01-03"
    )
    assert DATE.parse(date_question(), typed(day="", month="", year="")) == (None, [])


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"day": "31", "month": "2", "year": "2024"}, "Das Datum muss ein echtes Datum sein."),
        ({"day": "0", "month": "5", "year": "2024"}, "Das Datum muss ein echtes Datum sein."),
        ({"day": "1", "month": "13", "year": "2024"}, "Das Datum muss ein echtes Datum sein."),
        ({"day": "", "month": "5", "year": "2024"}, "Das Datum muss einen Tag enthalten."),
        (
            {"day": "", "month": "", "year": "2024"},
            "Das Datum muss einen Tag und einen Monat enthalten.",
        ),
        ({"day": "1", "month": "5", "year": ""}, "Das Datum muss ein Jahr enthalten."),
        ({"day": "1", "month": "Mai", "year": "2024"}, "Das Datum darf nur aus Ziffern bestehen."),
        ({"day": "1", "month": "5", "year": "24"}, "Das Jahr muss vier Ziffern haben, z. B. 2026."),
    ],
)
def test_date_says_what_is_wrong(parts: dict[str, str], message: str) -> None:
    value, errors = DATE.parse(date_question(), typed(**parts))
    assert value is None
    assert rendered(errors) == [("q-d", message)]


def test_date_bounds_name_the_day_in_german() -> None:
    q = date_question(min_date="2020-01-01", max_date="2026-12-31")
    early = DATE.parse(q, typed(day="31", month="12", year="2019"))
    late = DATE.parse(q, typed(day="1", month="1", year="2027"))
    assert rendered(early[1]) == [("q-d", "Das Datum muss am oder nach dem 01.01.2020 liegen.")]
    assert rendered(late[1]) == [("q-d", "Das Datum muss am oder vor dem 31.12.2026 liegen.")]
    assert DATE.parse(q, typed(day="1", month="1", year="2020")) == ("2020-01-01", [])
    assert DATE.parse(q, typed(day="31", month="12", year="2026")) == ("2026-12-31", [])


def test_date_keeps_what_was_typed() -> None:
    raw = typed(day="31", month="2", year="2024x")
    assert redisplay_value(date_question(), raw) == {"day": "31", "month": "2", "year": "2024x"}


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_date_is_stored_as_iso_text_and_unix_day(day: date) -> None:
    q = date_question()
    (row,) = DATE.to_rows(q, day.isoformat())
    # Independently: the proleptic Gregorian ordinals of the day and of 1970-01-01.
    assert row["num"] == day.toordinal() - 719163
    assert row["text"] == day.isoformat()
    assert roundtrip(DATE, q, day.isoformat()) == day.isoformat()
    assert DATE.display(q, day.isoformat()) == f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def test_date_from_a_row_without_text_uses_the_day_number() -> None:
    row = Stored({"item_id": None, "option_id": None, "num": 0.0, "text": None, "dont_know": False})
    assert DATE.from_rows(date_question(), [row]) == "1970-01-01"
    row.num = float((date(2024, 2, 29) - date(1970, 1, 1)).days)
    assert DATE.from_rows(date_question(), [row]) == "2024-02-29"


def test_date_settings_from_the_designer() -> None:
    errors: list = []
    settings = DATE.settings_from_form({"min_date": "1.1.2020", "max_date": "2026-12-31"}, errors)
    assert settings == {"min_date": "2020-01-01", "max_date": "2026-12-31"} and errors == []
    assert DATE.settings_form_values(date_question(**settings)) == {
        "min_date": "01.01.2020",
        "max_date": "31.12.2026",
    }
    DATE.settings_from_form({"min_date": "32.13.2020"}, errors)
    assert rendered(errors) == [
        ("setting_date_min_date", "Bitte geben Sie ein Datum wie 31.12.2026 ein.")
    ]
    wrong_way = DATE.validate_definition(
        date_question(min_date="2026-01-01", max_date="2020-01-01")
    )
    assert rendered(wrong_way) == [
        ("setting_date_max_date", "Das späteste Datum darf nicht vor dem frühesten liegen.")
    ]


# --- Mehrfache Zahleneingabe ------------------------------------------------------------------


def bands(**settings: object):  # type: ignore[no-untyped-def]
    return question(
        QuestionType.MULTINUMBER,
        "k",
        items=["a0_2", "a3_5", "a6_9"],
        settings={"integer": True, "min": 0, "max": 9, **settings},
    )


def numbers(**values: str) -> dict[str, list[str]]:
    return {f"q-k-{key}": [value] for key, value in values.items()}


def test_multinumber_reads_each_field() -> None:
    assert MULTI.parse(bands(), numbers(a0_2="1", a3_5="", a6_9="2")) == (
        {"a0_2": 1, "a6_9": 2},
        [],
    )
    assert MULTI.parse(bands(), numbers(a0_2="", a3_5=" ")) == (None, [])


def test_multinumber_errors_stay_at_their_field() -> None:
    value, errors = MULTI.parse(bands(), numbers(a0_2="1,5", a3_5="12", a6_9="zwei"))
    assert value is None
    assert rendered(errors) == [
        ("q-k-a0_2", "Bitte geben Sie eine ganze Zahl ein."),
        ("q-k-a3_5", "Die Zahl darf höchstens 9 sein."),
        ("q-k-a6_9", "Bitte geben Sie eine Zahl ein, z. B. 3."),
    ]
    assert redisplay_value(bands(), numbers(a0_2="1,5", a6_9="zwei")) == {
        "a0_2": "1,5",
        "a6_9": "zwei",
    }


@pytest.mark.parametrize(
    ("settings", "typed_values", "message"),
    [
        ({"sum_max": 10}, ("9", "3", ""), "Die Summe darf höchstens 10 sein; sie ist jetzt 12."),
        ({"sum_min": 2}, ("1", "", ""), "Die Summe muss mindestens 2 sein; sie ist jetzt 1."),
        ({"sum_equals": 4}, ("1", "1", "1"), "Die Summe muss 4 sein; sie ist jetzt 3."),
    ],
)
def test_multinumber_checks_the_sum(
    settings: dict[str, int], typed_values: tuple[str, str, str], message: str
) -> None:
    raw = numbers(**dict(zip(("a0_2", "a3_5", "a6_9"), typed_values, strict=True)))
    value, errors = MULTI.parse(bands(**settings), raw)
    assert value is None and rendered(errors) == [("q-k", message)]


def test_multinumber_sum_within_bounds_passes() -> None:
    value, errors = MULTI.parse(bands(sum_equals=4), numbers(a0_2="2", a6_9="2"))
    assert (value, errors) == ({"a0_2": 2, "a6_9": 2}, [])


def test_required_multinumber_asks_for_every_field() -> None:
    q = bands()
    errors = MULTI.required_errors(q, {"a3_5": 0})
    assert rendered(errors) == [
        ("q-k-a0_2", "Bitte geben Sie bei „Aussage a0_2“ eine Zahl ein (0, wenn keine)."),
        ("q-k-a6_9", "Bitte geben Sie bei „Aussage a6_9“ eine Zahl ein (0, wenn keine)."),
    ]
    assert MULTI.required_errors(q, {"a0_2": 0, "a3_5": 0, "a6_9": 1}) == []


@given(st.dictionaries(st.sampled_from(["a0_2", "a3_5", "a6_9"]), st.integers(0, 9), min_size=1))
def test_multinumber_rows_read_back(value: dict[str, int]) -> None:
    q = bands()
    rows = MULTI.to_rows(q, value)
    assert len(rows) == len(value)
    ordered = {k: value[k] for k in ("a0_2", "a3_5", "a6_9") if k in value}
    assert roundtrip(MULTI, q, value) == ordered


def test_multinumber_display_lists_fields_and_sum() -> None:
    assert MULTI.display(bands(), {"a0_2": 1, "a6_9": 2}) == (
        "Aussage a0_2: 1\nAussage a6_9: 2\nSumme: 3"
    )


def test_multinumber_definition_rules() -> None:
    empty = question(QuestionType.MULTINUMBER, "k")
    assert ("items", "Eine Mehrfache Zahleneingabe braucht mindestens ein Feld.") in rendered(
        MULTI.validate_definition(empty)
    )
    both = bands(sum_equals=3, sum_max=5)
    assert (
        "setting_multinumber_sum_equals",
        "Geben Sie entweder eine feste Summe oder Grenzen der Summe an.",
    ) in rendered(MULTI.validate_definition(both))
    upside_down = bands(min=5, max=1)
    assert (
        "setting_multinumber_max",
        "Der Höchstwert muss über dem Mindestwert liegen.",
    ) in rendered(MULTI.validate_definition(upside_down))


def test_multinumber_settings_from_the_designer() -> None:
    errors: list = []
    raw = {"min": "0", "max": "9", "integer": "1", "sum_max": "10", "sum_min": "", "x": "y"}
    settings = MULTI.settings_from_form(raw, errors)
    assert settings == {"integer": True, "min": 0, "max": 9, "sum_max": 10} and errors == []
    assert MULTI.settings_form_values(question(QuestionType.MULTINUMBER, settings=settings)) == {
        "min": "0",
        "max": "9",
        "sum_max": "10",
        "integer": "1",
    }
    MULTI.settings_from_form({"sum_max": "zehn"}, errors)
    assert rendered(errors) == [("setting_multinumber_sum_max", "Bitte geben Sie eine Zahl ein.")]


# --- Zahlen-Matrix ----------------------------------------------------------------------------


def grid(**settings: object):  # type: ignore[no-untyped-def]
    return question(
        QuestionType.NUMBERMATRIX,
        "m",
        items=["kita", "schule"],
        options=["kinder", "stunden"],
        settings={"integer": True, "min": 0, **settings},
    )


def cells(**values: str) -> dict[str, list[str]]:
    return {f"q-m-{key.replace('__', '-')}": [value] for key, value in values.items()}


def test_numbermatrix_reads_each_cell() -> None:
    raw = cells(kita__kinder="1", kita__stunden="35", schule__kinder="2")
    assert GRID.parse(grid(), raw) == (
        {"kita": {"kinder": 1, "stunden": 35}, "schule": {"kinder": 2}},
        [],
    )


def test_numbermatrix_errors_stay_at_their_cell() -> None:
    value, errors = GRID.parse(grid(max=60), cells(kita__kinder="-1", schule__stunden="61"))
    assert value is None
    assert rendered(errors) == [
        ("q-m-kita-kinder", "Die Zahl muss mindestens 0 sein."),
        ("q-m-schule-stunden", "Die Zahl darf höchstens 60 sein."),
    ]
    assert redisplay_value(grid(), cells(kita__kinder="-1")) == {"kita": {"kinder": "-1"}}


def test_required_numbermatrix_asks_for_each_incomplete_row() -> None:
    errors = GRID.required_errors(grid(), {"kita": {"kinder": 1}})
    assert [e.field for e in errors] == ["q-m-kita", "q-m-schule"]
    assert errors[0].render() == (
        "Bitte füllen Sie die Zeile „Aussage kita“ ganz aus (0, wenn keine)."
    )
    full = {"kita": {"kinder": 1, "stunden": 0}, "schule": {"kinder": 0, "stunden": 0}}
    assert GRID.required_errors(grid(), full) == []


def test_numbermatrix_error_anchors_lead_to_a_cell() -> None:
    q = grid()
    assert GRID.error_anchor(q, "q-m") == "q-m-kita-kinder"
    assert GRID.error_anchor(q, "q-m-schule") == "q-m-schule-kinder"
    assert GRID.error_anchor(q, "q-m-schule-stunden") == "q-m-schule-stunden"  # its own id
    assert MULTI.error_anchor(bands(), "q-k") == "q-k-a0_2"


@given(
    st.dictionaries(
        st.sampled_from(["kita", "schule"]),
        st.dictionaries(st.sampled_from(["kinder", "stunden"]), st.integers(0, 60), min_size=1),
        min_size=1,
    )
)
def test_numbermatrix_rows_read_back(value: dict[str, dict[str, int]]) -> None:
    q = grid()
    rows = GRID.to_rows(q, value)
    assert len(rows) == sum(len(r) for r in value.values())
    assert all(r["item_id"] is not None and r["option_id"] is not None for r in rows)
    back = roundtrip(GRID, q, value)
    assert back == value
    assert list(back) == [k for k in ("kita", "schule") if k in value]


def test_numbermatrix_display_one_line_per_row() -> None:
    value = {"kita": {"kinder": 1, "stunden": 35}, "schule": {"kinder": 2}}
    assert GRID.display(grid(), value) == (
        "Aussage kita: Antwort kinder 1, Antwort stunden 35\nAussage schule: Antwort kinder 2"
    )


def test_numbermatrix_needs_rows_and_columns() -> None:
    bare = question(QuestionType.NUMBERMATRIX, "m")
    messages = [m for _, m in rendered(GRID.validate_definition(bare))]
    assert "Eine Zahlen-Matrix braucht mindestens eine Zeile." in messages
    assert "Eine Zahlen-Matrix braucht mindestens eine Spalte." in messages


# --- conditions, export and codebook ----------------------------------------------------------


def test_new_types_offer_only_answered_as_condition() -> None:
    for qtype in (QuestionType.DATE, QuestionType.MULTINUMBER, QuestionType.NUMBERMATRIX):
        assert qtype not in OPERATORS_BY_TYPE  # "answered" only
        assert spec_for(qtype).condition_operators == ("answered",)
    assert OPERATORS_BY_TYPE[QuestionType.NUMBER][-1] == "answered"


def test_export_and_codebook(session: Session) -> None:
    survey = number_date_survey(session)
    families = target_group_by_key(session, "familien")
    assert families
    answers = {
        "zuzug": "2022-03-15",
        "kinder": {"a0_2": 1, "a6_9": 2},
        "betreuung": {"kita": {"kinder": 1, "stunden": 35}, "schule": {"stunden": 0}},
    }
    store_response(session, survey, families, answers, today=date(2026, 5, 6))
    store_response(session, survey, families, {"zuzug": "2020-01-01"}, today=date(2026, 5, 7))
    session.flush()
    header, first, second = list(response_rows(session, survey))
    assert header[5:] == [
        "zuzug",
        "kinder.a0_2",
        "kinder.a3_5",
        "kinder.a6_9",
        "kinder.a10_13",
        "kinder.a14_17",
        "betreuung.kita.kinder",
        "betreuung.kita.stunden",
        "betreuung.schule.kinder",
        "betreuung.schule.stunden",
    ]
    assert first[5:] == ["2022-03-15", 1, "", 2, "", "", 1, 35, "", 0]
    assert second[5:] == ["2020-01-01", *[""] * 9]
    book = list(codebook_rows(survey))
    text = "Seit wann wohnen Sie in Delmenhorst?"
    assert [
        "zuzug",
        "zuzug",
        text,
        "date",
        "",
        "Datum (JJJJ-MM-TT), von 01.01.2020 bis 31.12.2026",
    ] in book
    assert [
        "kinder.a3_5",
        "kinder",
        "Wie viele Kinder leben in Ihrem Haushalt? – 3 bis 5 Jahre",
        "multinumber",
        "",
        "ganze Zahl von 0 bis 9",
    ] in book
    grid_rows = [row for row in book if row[1] == "betreuung"]
    assert [row[0] for row in grid_rows] == header[11:]
    assert grid_rows[1][2].endswith("– Kita – Stunden pro Woche")
    assert grid_rows[1][5] == "ganze Zahl von 0 bis 60"


def test_stored_rows_match_the_value_types(session: Session) -> None:
    """The rows in the database: one per filled number, the date with its day number."""
    from sqlalchemy import select

    from surveys.models import Answer, Question

    survey = number_date_survey(session)
    families = target_group_by_key(session, "familien")
    assert families
    store_response(
        session,
        survey,
        families,
        {"zuzug": "2024-02-29", "kinder": {"a14_17": 3}, "betreuung": {"schule": {"kinder": 2}}},
        today=date(2026, 5, 6),
    )
    session.flush()
    rows = session.execute(
        select(Question.key, Answer.item_id, Answer.option_id, Answer.num, Answer.text)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.survey_id == survey.id)
        .order_by(Question.position)
    ).all()
    by_key = {key: (item, option, num, text) for key, item, option, num, text in rows}
    assert by_key["zuzug"] == (
        None,
        None,
        float((date(2024, 2, 29) - date(1970, 1, 1)).days),
        "2024-02-29",
    )
    assert by_key["kinder"][2:] == (3.0, None) and by_key["kinder"][1] is None
    assert by_key["betreuung"][2:] == (2.0, None)
    assert date(1970, 1, 1) + timedelta(days=int(by_key["zuzug"][2])) == date(2024, 2, 29)


def test_the_workbook_holds_dates_as_date_cells_and_numbers_as_numbers(session: Session) -> None:
    """Read back with openpyxl (an independent reader): the CSV's ISO text is a date cell."""
    import io
    from datetime import datetime

    from openpyxl import load_workbook

    from surveys.exports import to_xlsx

    survey = number_date_survey(session)
    families = target_group_by_key(session, "familien")
    store_response(
        session,
        survey,
        families,
        {"zuzug": "2022-03-15", "kinder": {"a0_2": 1}},
        today=date(2026, 5, 6),
    )
    store_response(session, survey, families, {"kinder": {"a0_2": 2}}, today=date(2026, 5, 7))
    session.flush()
    sheet = load_workbook(io.BytesIO(to_xlsx(session, survey)))["Antworten"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][5:7] == ("zuzug", "kinder.a0_2")
    assert rows[1][5] == datetime(2022, 3, 15) and rows[1][6] == 1
    assert rows[2][5] in (None, "") and rows[2][6] == 2
    assert sheet.cell(row=2, column=6).is_date
