"""Datum, Mehrfache Zahleneingabe and Zahlen-Matrix end to end in headless Chromium.

Staff build a survey with one question of each type in the designer (the settings follow the
type through JavaScript) and open it; a citizen answers on a 360 px phone, meets a date out of
range, a failing sum check and "zwei" in a number, each said in German at its field with the
typed values kept, corrects them and submits; staff type in a paper sheet, look at the
printable questionnaire and download the export as CSV and XLSX (a date as a real date cell);
then, with more responses made through the domain, a moderator reads the dashboard's figures
of the three types under the disclosure control (no figure of fewer than five people).
Axe on every new page state; set ``FK_SCREENSHOTS=/dir`` to keep screenshots.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.workshop.dashboard.data import clear_cache
from surveys.accounts import create_user
from surveys.models import Survey, TargetGroup
from surveys.responses import store_response
from tests.browser.screens import no_horizontal_scroll, shot

pytestmark = pytest.mark.browser

PASSWORD = "Neue-Fragearten 2026"
SLUG = "familien-zahlen-2026"
DATE_TEXT = "Seit wann wohnt Ihre Familie in Ihrer jetzigen Wohnung?"
CHILDREN_TEXT = "Wie viele Kinder leben in Ihrem Haushalt?"
CARE_TEXT = "Wie viele Ihrer Kinder gehen in diese Einrichtungen, und wie lange?"
MIN_CELL = 5  # analysis.privacy.MIN_CELL: no figure of fewer people is shown


def check(page: Any, axe: Any, name: str) -> None:
    """Optional screenshot, axe and no sideways scrolling of the current page state."""
    shot(page, name)
    axe(page, name)
    assert no_horizontal_scroll(page), name


def save(page: Any) -> None:
    """Press the form's own submit button (not the logout button in the header)."""
    page.locator("main button[type=submit]").last.click()


def login(page: Any, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def question_form(page: Any) -> Any:
    """The open question form (its own page, or the designer's inline editor)."""
    return page.locator("form").filter(has=page.get_by_label("Fragetext"))


def add_question(page: Any, key: str, text: str, qtype: str) -> Any:
    """Open a new question (of the default type), switch it to ``qtype`` in the form and
    fill in key and text; returns the form."""
    page.get_by_role("button", name="Frage hinzufügen").click()
    expect(page.get_by_role("heading", name=re.compile("^Neue Frage"))).to_be_visible()
    form = question_form(page)
    form.get_by_label("Art der Frage").select_option(qtype)  # settings follow (designer.js)
    expect(form.get_by_role("button", name="Art übernehmen")).to_be_hidden()
    form.get_by_label("Schlüssel").fill(key)
    form.get_by_label("Fragetext").fill(text)
    return form


def save_question(page: Any, form: Any, text: str) -> None:
    """Save the question; the survey's list of questions then shows it."""
    form.get_by_role("button", name="Speichern", exact=True).click()
    expect(question_form(page)).to_have_count(0)
    expect(page.locator("main table").get_by_text(text, exact=True)).to_be_visible()


def build_survey_in_designer(page: Any, axe: Any, live_server: str) -> str:
    """Staff create the survey with the three questions and open it; returns its page URL."""
    page.get_by_role("link", name="Neue Umfrage anlegen").click()
    page.get_by_label("Titel").fill("Familien in Zahlen 2026")
    page.get_by_label("Kurzadresse").fill(SLUG)
    page.get_by_label("Akteurinnen und Akteure").uncheck()
    save(page)
    expect(page.get_by_role("heading", name="Familien in Zahlen 2026")).to_be_visible()
    page.get_by_role("link", name="Abschnitt hinzufügen").click()
    page.get_by_label("Überschrift").fill("Familie und Betreuung")
    page.get_by_label("Handlungsfeld").select_option("bildung")
    save(page)

    form = add_question(page, "zuzug", DATE_TEXT, "date")
    expect(form.get_by_label("Antwortmöglichkeiten")).to_be_hidden()
    form.get_by_label("Frühestes Datum").fill("01.01.2015")
    form.get_by_label("Spätestes Datum").fill("31.12.2026")
    check(page, axe, "designer-date")
    save_question(page, form, DATE_TEXT)

    form = add_question(page, "kinder", CHILDREN_TEXT, "multinumber")
    expect(form.get_by_label("Frühestes Datum")).to_be_hidden()
    form.get_by_label("Zahlenfelder (eins pro Zeile)").fill(
        "u6: unter 6 Jahre\nab6: 6 bis 17 Jahre"
    )
    block = form.locator('[data-types="multinumber"]')
    block.get_by_label("Kleinster Wert jeder Zahl").fill("0")
    block.get_by_label("Größter Wert jeder Zahl").fill("9")
    block.get_by_label("Nur ganze Zahlen").check()
    expect(form.get_by_role("group", name="Prüfung der Summe")).to_be_visible()
    form.get_by_label("Die Summe darf höchstens sein").fill("8")
    check(page, axe, "designer-multinumber")
    save_question(page, form, CHILDREN_TEXT)

    form = add_question(page, "betreuung", CARE_TEXT, "numbermatrix")
    expect(form.get_by_role("group", name="Prüfung der Summe")).to_be_hidden()
    form.get_by_label("Zeilen der Zahlen-Matrix").fill("kita: Kita\nhort: Hort")
    form.get_by_label("Spalten der Zahlen-Matrix").fill(
        "kinder: Kinder\nstunden: Stunden pro Woche"
    )
    block = form.locator('[data-types="numbermatrix"]')
    block.get_by_label("Kleinster Wert jeder Zahl").fill("0")
    block.get_by_label("Größter Wert jeder Zahl").fill("60")
    block.get_by_label("Nur ganze Zahlen").check()
    check(page, axe, "designer-numbermatrix")
    save_question(page, form, CARE_TEXT)

    main = page.locator("main")
    for text in (DATE_TEXT, CHILDREN_TEXT, CARE_TEXT):
        expect(main).to_contain_text(text)
    check(page, axe, "survey")
    page.get_by_role("button", name="Umfrage öffnen").click()
    expect(page.get_by_text("Die Umfrage ist geöffnet")).to_be_visible()
    return str(page.url)


def citizen_answers(page: Any, axe: Any, live_server: str) -> None:
    """A family on a phone: three wrong entries, kept and said at the field; then valid ones."""
    page.goto(f"{live_server}/s/{SLUG}")
    page.get_by_label("Familie", exact=True).check()
    page.get_by_role("button", name="Fragebogen beginnen").click()
    moved = page.get_by_role("group", name=re.compile(DATE_TEXT))
    children = page.get_by_role("group", name=re.compile(CHILDREN_TEXT))
    care = page.get_by_role("group", name=re.compile(CARE_TEXT))
    kita = care.get_by_role("group", name="Kita")
    check(page, axe, "citizen-page")
    moved.get_by_label("Tag").fill("15")
    moved.get_by_label("Monat").fill("3")
    moved.get_by_label("Jahr").fill("2010")  # before 01.01.2015
    children.get_by_label("unter 6 Jahre").fill("5")
    children.get_by_label("6 bis 17 Jahre").fill("7")  # 12 > 8
    kita.get_by_label("Kinder").fill("zwei")
    kita.get_by_label("Stunden pro Woche").fill("35")
    page.get_by_role("button", name="Weiter", exact=True).click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    too_early = "Das Datum muss am oder nach dem 01.01.2015 liegen."
    too_many = "Die Summe darf höchstens 8 sein; sie ist jetzt 12."
    not_a_number = "Bitte geben Sie eine Zahl ein, z. B. 3."
    for message in (too_early, too_many, not_a_number):
        expect(summary).to_contain_text(message)
    # each message at its field, the field marked and what was typed kept
    expect(moved).to_contain_text(too_early)
    expect(children).to_contain_text(too_many)
    expect(kita).to_contain_text(not_a_number)
    expect(moved.get_by_label("Jahr")).to_have_value("2010")
    expect(moved.get_by_label("Jahr")).to_have_attribute("aria-invalid", "true")
    expect(children.get_by_label("6 bis 17 Jahre")).to_have_value("7")
    expect(children.get_by_label("6 bis 17 Jahre")).to_have_attribute("aria-invalid", "true")
    expect(kita.get_by_label("Kinder")).to_have_value("zwei")
    expect(kita.get_by_label("Kinder")).to_have_attribute("aria-invalid", "true")
    expect(kita.get_by_label("Stunden pro Woche")).to_have_value("35")
    check(page, axe, "citizen-errors")
    summary.get_by_role("link", name=not_a_number).click()
    expect(kita.get_by_label("Kinder")).to_be_focused()

    moved.get_by_label("Jahr").fill("2021")
    children.get_by_label("unter 6 Jahre").fill("1")
    children.get_by_label("6 bis 17 Jahre").fill("2")
    kita.get_by_label("Kinder").fill("1")
    page.get_by_role("button", name="Weiter", exact=True).click()
    expect(page.get_by_role("button", name="Antworten absenden")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("15.03.2021")
    expect(main).to_contain_text("unter 6 Jahre: 1")
    expect(main).to_contain_text("6 bis 17 Jahre: 2")
    expect(main).to_contain_text("Summe: 3")
    expect(main).to_contain_text("Kita: Kinder 1, Stunden pro Woche 35")
    check(page, axe, "citizen-check")
    page.get_by_role("button", name="Antworten absenden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vielen Dank")


def paper_entry_and_sheet(page: Any, axe: Any, live_server: str, survey_url: str) -> None:
    """Staff type in one sheet of a family and look at the printable questionnaire."""
    page.goto(survey_url)
    page.get_by_role("link", name="Papierbögen erfassen").click()
    page.get_by_role("link", name="Bogen für Familien erfassen").click()
    moved = page.get_by_role("group", name=re.compile(DATE_TEXT))
    children = page.get_by_role("group", name=re.compile(CHILDREN_TEXT))
    care = page.get_by_role("group", name=re.compile(CARE_TEXT))
    check(page, axe, "paper-entry")
    moved.get_by_label("Tag").fill("1")
    moved.get_by_label("Monat").fill("6")
    moved.get_by_label("Jahr").fill("2022")
    children.get_by_label("unter 6 Jahre").fill("0")
    children.get_by_label("6 bis 17 Jahre").fill("2")
    care.get_by_role("group", name="Hort").get_by_label("Kinder").fill("2")
    care.get_by_role("group", name="Hort").get_by_label("Stunden pro Woche").fill("12,5")
    page.get_by_role("button", name="Bogen speichern und nächsten erfassen").click()
    # whole numbers only: the half hour is refused at its cell and kept
    hours = care.get_by_role("group", name="Hort").get_by_label("Stunden pro Woche")
    expect(page.locator(".error-summary")).to_contain_text("Bitte geben Sie eine ganze Zahl ein.")
    expect(hours).to_have_value("12,5")
    expect(moved.get_by_label("Tag")).to_have_value("1")  # the valid date as typed, too
    expect(moved.get_by_label("Monat")).to_have_value("6")
    check(page, axe, "paper-entry-error")
    hours.fill("12")
    page.get_by_role("button", name="Bogen speichern und nächsten erfassen").click()
    expect(page.get_by_text("Erfasst: 1 Bogen insgesamt, 1 in dieser Sitzung.")).to_be_visible()

    page.goto(f"{live_server}/s/{SLUG}/druck?gruppe=familien")
    main = page.locator("main")
    for text in (DATE_TEXT, CHILDREN_TEXT, CARE_TEXT):
        expect(main).to_contain_text(text)
    # a section of its own title is not called "Handlungsfeld 3: Familie und Betreuung"
    expect(main.get_by_role("heading", level=2, name="Familie und Betreuung")).to_be_visible()
    expect(main.locator(".paper-date")).to_contain_text("Tag")
    expect(main.locator(".paper-date")).to_contain_text("Jahr")
    expect(main).to_contain_text("01.01.2015")  # the date's range as a hint
    expect(main.locator("table.paper-numbers")).to_contain_text("6 bis 17 Jahre")
    matrix = main.locator("table.paper-matrix--numbers")
    expect(matrix.get_by_role("columnheader", name="Stunden pro Woche")).to_be_visible()
    expect(matrix.get_by_role("rowheader", name="Hort")).to_be_visible()
    check(page, axe, "paper-sheet")
    page.emulate_media(media="print")
    shot(page, "paper-sheet-print")
    page.emulate_media(media="screen")


def download(page: Any, link: str) -> Path:
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    return Path(info.value.path())


def exports(page: Any, axe: Any, survey_url: str) -> None:
    """The CSV and the XLSX have a column per date, per field and per matrix cell."""
    page.goto(survey_url)
    page.get_by_role("link", name="Rücklauf und Export").click()
    check(page, axe, "run")
    content = download(page, "CSV herunterladen").read_text(encoding="utf-8-sig")
    rows = {r["channel"]: r for r in csv.DictReader(io.StringIO(content), delimiter=";")}
    assert set(rows) == {"online", "paper"}
    online, paper = rows["online"], rows["paper"]
    assert online["zuzug"] == "2021-03-15" and paper["zuzug"] == "2022-06-01"
    assert (online["kinder.u6"], online["kinder.ab6"]) == ("1", "2")
    assert (paper["kinder.u6"], paper["kinder.ab6"]) == ("0", "2")
    assert (online["betreuung.kita.kinder"], online["betreuung.kita.stunden"]) == ("1", "35")
    assert online["betreuung.hort.kinder"] == online["betreuung.hort.stunden"] == ""
    assert (paper["betreuung.hort.kinder"], paper["betreuung.hort.stunden"]) == ("2", "12")
    assert paper["betreuung.kita.kinder"] == ""

    workbook = download(page, "Excel (XLSX) herunterladen").read_bytes()
    book = load_workbook(io.BytesIO(workbook), read_only=True)
    sheet = list(book["Antworten"].iter_rows(values_only=True))
    header = list(sheet[0])
    # a row ends at its last filled cell (empty cells are not written)
    cells = {r[header.index("channel")]: dict(zip(header, r, strict=False)) for r in sheet[1:]}
    assert cells["online"]["zuzug"] == datetime(2021, 3, 15)  # a date cell, not text
    assert cells["paper"]["zuzug"] == datetime(2022, 6, 1)
    assert cells["online"]["kinder.ab6"] == 2 and cells["paper"]["kinder.ab6"] == 2
    assert cells["online"]["betreuung.kita.stunden"] == 35
    assert cells["paper"]["betreuung.hort.stunden"] == 12
    assert cells["online"].get("betreuung.hort.kinder") in (None, "")
    codebook = [r for r in book["Codebuch"].iter_rows(values_only=True) if r and r[0]]
    variables = {str(r[0]) for r in codebook}
    assert {"zuzug", "kinder.u6", "kinder.ab6", "betreuung.kita.stunden"} <= variables
    book.close()


#: What the domain adds for the analysis: (date, children under 6 and 6–17, Kita children
#: and hours, Hort children and hours; None where left empty). With the citizen's and the
#: paper sheet's answers: 14 families, of whom 7 gave the Hort's children but only 4 its
#: hours; 3 seniors (fewer than five: never shown, nor what the total would give away).
FAMILIES = [(date(2021, 3, d), 1, 1, 1, 30 + d, None, None) for d in range(1, 7)] + [
    (date(2022, 6, d), 0, 2, None, None, 1, 10 if d < 5 else None) for d in range(2, 8)
]
SENIORS = [(date(2015, 5, 5), 0, 0, None, None, None, None)] * 3


def answers_of(entry: tuple[Any, ...]) -> dict[str, Any]:
    moved, u6, ab6, kita_n, kita_h, hort_n, hort_h = entry
    care: dict[str, dict[str, int]] = {}
    for row, n, h in (("kita", kita_n, kita_h), ("hort", hort_n, hort_h)):
        cells = {k: v for k, v in (("kinder", n), ("stunden", h)) if v is not None}
        if cells:
            care[row] = cells
    answers: dict[str, Any] = {"zuzug": moved.isoformat(), "kinder": {"u6": u6, "ab6": ab6}}
    if care:
        answers["betreuung"] = care
    return answers


def more_responses() -> None:
    survey = db.session.scalars(select(Survey).where(Survey.slug == SLUG)).one()
    groups = {g.key: g for g in db.session.scalars(select(TargetGroup))}
    for key, entries in (("familien", FAMILIES), ("senioren", SENIORS)):
        for entry in entries:
            answers = answers_of(entry)
            store_response(db.session, survey, groups[key], answers, today=date(2026, 5, 6))
    db.session.commit()


def table_rows(table: Any) -> list[list[str]]:
    """Each body row of ``table`` as its header cell and data cells' text."""
    return [
        [c.strip() for c in row.locator("th, td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]


def dashboard(page: Any, axe: Any, live_server: str) -> None:
    """Too few responses: no figures; enough: n, mean, median and sum, months – and no figure
    of fewer than five people (the three seniors, a cell only two families filled)."""
    field = f"{live_server}/workshop/{SLUG}/dashboard/feld/bildung"
    page.goto(field)
    expect(page.get_by_role("status")).to_contain_text("Zu wenige Antworten")
    expect(page.locator("#zahlen-daten")).to_have_count(0)
    check(page, axe, "dashboard-too-few")

    more_responses()
    clear_cache()
    page.goto(field)
    expect(page.locator("#zahlen-daten")).to_have_text("Angegebene Zahlen und Daten")
    section = page.locator("#zahlen-daten ~ .table-wrap")
    numbers = section.filter(has_text="Angegebene Zahlen zu").filter(has_text=CHILDREN_TEXT)
    matrix = section.filter(has_text="Angegebene Zahlen zu").filter(has_text=CARE_TEXT)
    months = section.filter(has_text="je Monat")
    expect(numbers).to_have_count(1)
    expect(matrix).to_have_count(1)
    expect(months).to_have_count(1)
    check(page, axe, "dashboard-figures")

    # the families' figures, computed here from what was stored (citizen, paper sheet, domain)
    families = [*FAMILIES, (date(2021, 3, 15), 1, 2, 1, 35, None, None)]
    families.append((date(2022, 6, 1), 0, 2, None, None, 2, 12))

    def figures(values: list[int]) -> list[str]:
        mean = f"{statistics.mean(values):.1f}".replace(".", ",")
        median = f"{statistics.median(values):.1f}".replace(".", ",")
        return [str(len(values)), mean, median, str(sum(values))]

    by_group = _grouped(table_rows(numbers.locator("table")))
    assert by_group["Familien"]["unter 6 Jahre"] == figures([e[1] for e in families])
    assert by_group["Familien"]["6 bis 17 Jahre"] == figures([e[2] for e in families])
    hidden = "•"
    assert all(v.startswith(hidden) for v in by_group["Seniorinnen und Senioren"]["unter 6 Jahre"])

    # the seniors are too few, and the total would give them away (total minus families)
    assert all(v.startswith(hidden) for v in by_group["Alle Befragten"]["unter 6 Jahre"])

    by_group = _grouped(table_rows(matrix.locator("table")))
    kita_hours = [e[4] for e in families if e[4] is not None]
    assert by_group["Familien"]["Kita – Stunden pro Woche"] == figures(kita_hours)
    hort_children = [e[5] for e in families if e[5] is not None]
    assert by_group["Familien"]["Hort – Kinder"] == figures(hort_children)
    hort_hours = [e[6] for e in families if e[6] is not None]
    assert len(hort_hours) == 4 < MIN_CELL
    assert all(v.startswith(hidden) for v in by_group["Familien"]["Hort – Stunden pro Woche"])
    assert "Seniorinnen und Senioren" not in by_group  # they left the matrix empty

    # the months: counts per group, none of 1 to 4 people shown
    rows = table_rows(months.locator("table"))
    header = [h.strip() for h in months.locator("thead th").all_inner_texts()][1:]
    counted = Counter(f"{e[0].month:02d}/{e[0].year}" for e in families)
    shown = {r[0]: r[1 + header.index("Familien")] for r in rows}
    for month, n in counted.items():
        assert shown[month].startswith(f"{n} ("), (month, shown)
    assert "05/2015" not in shown  # only the hidden seniors answered it: no row at all
    column = 1 + header.index("Seniorinnen und Senioren")
    assert all(r[column].startswith(hidden) for r in rows), rows
    for row in rows:
        for cell in row[1:]:
            number = re.match(r"\d+", cell)
            assert cell.startswith(hidden) or (
                number is not None and (int(number.group()) == 0 or int(number.group()) >= MIN_CELL)
            ), row

    # a filter to the seniors alone leaves too few to show anything
    page.locator("#f-gruppe").select_option("senioren")
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page.get_by_role("status")).to_contain_text("Zu wenige Antworten")
    expect(page.locator("#zahlen-daten")).to_have_count(0)
    check(page, axe, "dashboard-seniors-too-few")


def _grouped(rows: list[list[str]]) -> dict[str, dict[str, list[str]]]:
    """Table rows under their group's row (``rowgroup`` header) by label."""
    out: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for row in rows:
        if len(row) == 1:
            current = out.setdefault(row[0], {})
        else:
            current[row[0]] = row[1:]
    return out


def test_new_types_designer_answer_paper_export_dashboard(
    page: Any, mobile_page: Any, axe: Any, live_server: str, db_app: Flask
) -> None:
    clear_cache()
    create_user(db.session, "staff@example.org", PASSWORD, "staff")
    create_user(db.session, "moderation@example.org", PASSWORD, "moderator")
    db.session.commit()

    login(page, live_server, "staff@example.org")
    page.goto(f"{live_server}/verwaltung/")
    survey_url = build_survey_in_designer(page, axe, live_server)
    citizen_answers(mobile_page, axe, live_server)
    paper_entry_and_sheet(page, axe, live_server, survey_url)
    exports(page, axe, survey_url)

    moderator = page.context.browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="de-DE"
    )
    try:
        mpage = moderator.new_page()
        mpage.set_default_timeout(20_000)
        login(mpage, live_server, "moderation@example.org")
        dashboard(mpage, axe, live_server)
    finally:
        moderator.close()
