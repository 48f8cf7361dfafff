"""Online pages: sections cut at page breaks, parts per target group, the designer's setting,
the return address rules and that a copy keeps both."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from surveys.designer import SurveyValues, save_section, update_survey
from surveys.errors import ValidationError
from surveys.lifecycle import duplicate_survey
from surveys.pages import page_number_of, pages_for, section_parts
from surveys.queries import target_group_by_key
from surveys.responses import store_response
from tests.factories import build_survey


def keys(questions: tuple[object, ...]) -> list[str]:
    return [q.key for q in questions]  # type: ignore[attr-defined]


def test_without_page_breaks_every_section_is_one_page(session: Session) -> None:
    survey = build_survey(session)
    pages = pages_for(survey, "familien")
    assert [(p.section.title, p.part, p.parts) for p in pages] == [
        ("Bildung und Erziehung", 1, 1),
        ("Beratung und Unterstützung", 1, 1),
        ("Wohnumfeld und Lebensqualität", 1, 1),
    ]


def test_page_breaks_cut_sections_and_parts_count_per_group(session: Session) -> None:
    survey = build_survey(session)
    bildung, beratung = survey.sections[0], survey.sections[1]
    bildung.questions[1].page_break = True  # angebote (familien, senioren)
    beratung.questions[0].page_break = True  # the first question: no empty part before it
    beratung.questions[2].page_break = True  # themen
    assert [keys(p) for p in section_parts(beratung)] == [["beratung", "stelle"], ["themen"]]
    families = pages_for(survey, "familien")
    assert [(keys(p.questions), p.part, p.parts) for p in families[:4]] == [
        (["kita"], 1, 2),
        (["angebote"], 2, 2),
        (["beratung", "stelle"], 1, 2),
        (["themen"], 2, 2),
    ]
    # "kita" is for families only: for seniors the first part is dropped, no "Teil 1 von 1"
    seniors = pages_for(survey, "senioren")
    assert (keys(seniors[0].questions), seniors[0].part, seniors[0].parts) == (["angebote"], 1, 1)
    assert page_number_of(families, "themen") == 4
    assert page_number_of(seniors, "kita") is None


def test_page_breaks_may_change_after_the_first_response(session: Session) -> None:
    survey = build_survey(session)
    group = target_group_by_key(session, "senioren")
    assert group is not None
    answers = {"angebote": {"spielplatz": 3, "schule": 3, "bibliothek": 5}, "beratung": False}
    store_response(session, survey, group, answers, today=date(2026, 10, 1))
    beratung = survey.sections[1]
    save_section(
        session,
        survey,
        beratung,
        title=beratung.title,
        handlungsfeld="beratung",
        page_breaks=["themen", "beratung", "unbekannt"],
    )
    assert [q.page_break for q in beratung.questions] == [False, False, True]
    save_section(session, survey, beratung, title="Beratung", handlungsfeld="beratung")
    assert beratung.questions[2].page_break  # None: left as it was


def test_a_copy_keeps_page_breaks_and_the_return_address_but_not_the_deadline(
    session: Session,
) -> None:
    survey = build_survey(session)
    survey.sections[0].questions[1].page_break = True
    survey.return_address = "Stadt Delmenhorst\nRathausplatz 1\n27749 Delmenhorst"
    survey.return_by = date(2026, 12, 18)
    copy = duplicate_survey(session, survey, slug="kopie", title="Kopie", actor=None)
    assert [q.page_break for q in copy.questions()] == [q.page_break for q in survey.questions()]
    assert copy.return_address == survey.return_address and copy.return_by is None


def values_of(survey: object, **changes: str) -> SurveyValues:
    base = SurveyValues(title="Familienumfrage", slug="familienumfrage", target_groups=["familien"])
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def test_the_return_address_is_cleaned_and_checked(session: Session) -> None:
    survey = build_survey(session)
    update_survey(
        session,
        survey,
        values_of(
            survey,
            return_address="  Stadt Delmenhorst \n\n Rathausplatz 1\r\n27749 Delmenhorst  ",
            return_by="2026-12-18",
        ),
        None,
    )
    assert survey.return_address == "Stadt Delmenhorst\nRathausplatz 1\n27749 Delmenhorst"
    assert survey.return_by == date(2026, 12, 18)
    with pytest.raises(ValidationError) as too_long:
        update_survey(session, survey, values_of(survey, return_address="\n".join("abcdefg")), None)
    assert {e.field for e in too_long.value.errors} == {"return_address"}
    with pytest.raises(ValidationError) as early:
        update_survey(
            session,
            survey,
            values_of(survey, opens_on="2026-11-01", return_by="2026-10-31"),
            None,
        )
    assert {e.field for e in early.value.errors} == {"return_by"}


def test_the_demo_splits_each_handlungsfeld_into_three_pages() -> None:
    from demo.content import CURRENT, SECTIONS
    from demo.spec import BASELINE_YEAR, CURRENT_YEAR

    assert not any(q.page_break for q in SECTIONS[0].questions)  # "Über Sie": one page
    for section in SECTIONS[1:]:
        for year in (BASELINE_YEAR, CURRENT_YEAR):
            asked = section.questions_for(year)
            starts = [n for n, q in enumerate(asked) if q.page_break]
            # 2019 may have one more: a break is per question, not per year (Beratung)
            assert len(starts) == 2 or (year == BASELINE_YEAR and len(starts) == 3)
            assert asked[starts[0]].key.endswith("_wichtigkeit")
            assert starts[1] == starts[0] + 1  # the importance matrix has a page of its own
    assert CURRENT.return_address.splitlines()[-1] == "27749 Delmenhorst"
    assert CURRENT.return_by is None  # open without an end: no date that would run out
