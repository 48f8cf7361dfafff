"""Answering pages: each question type valid and invalid, back/next/save keep answers,
conditions without JavaScript, the check page and its "ändern" links."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from surveys.models import Draft, Survey
from tests.app.citizen_flow import (
    BASE,
    answer_all,
    page_url,
    post_page,
    response_count,
    submission_id,
    submit,
)
from tests.factories import PAGES

VALID_PAGE1 = {
    "q-kita": "4",
    "q-angebote-spielplatz": "5",
    "q-angebote-schule": "3",
    "q-angebote-bibliothek": "1",
}


# (group, step, posted fields, expected message, anchor of the summary link, kept input)
INVALID: list[tuple[str, int, dict[str, Any], str, str, str]] = [
    (
        "familien",
        1,
        {**VALID_PAGE1, "q-kita": "9"},
        "Bitte wählen Sie eine der angebotenen Stufen.",
        "q-kita--1",
        "",
    ),
    (
        "familien",
        1,
        {**VALID_PAGE1, "q-angebote-schule": "0"},
        "Bitte wählen Sie eine der angebotenen Stufen.",
        "q-angebote-schule--1",
        "",
    ),
    (
        "familien",
        2,
        {"q-beratung": "vielleicht"},
        "Bitte wählen Sie „Ja“ oder „Nein“.",
        "q-beratung--ja",
        "",
    ),
    (
        "familien",
        2,
        {"q-beratung": "ja", "q-stelle": "rathaus"},
        "Bitte wählen Sie eine der angebotenen Antworten.",
        "q-stelle--1",
        "",
    ),
    (
        "familien",
        2,
        {"q-beratung": "nein", "q-themen": ["erziehung", "pflege", "finanzen"]},
        "Bitte wählen Sie höchstens 2 Antworten.",
        "q-themen--1",
        'value="pflege" checked',
    ),
    (
        "familien",
        2,
        {"q-beratung": "nein", "q-themen-other": "x" * 501},
        "Bitte kürzen Sie Ihre Angabe auf 500 Zeichen.",
        "q-themen-other",
        "x" * 501,
    ),
    (
        "familien",
        3,
        {"q-prioritaeten-wege": "1", "q-prioritaeten-gruen": "1"},
        "Jeder Platz darf nur einmal vergeben werden.",
        "q-prioritaeten-wege",
        "",
    ),
    (
        "familien",
        3,
        {"q-prioritaeten-wege": "2"},
        "Bitte vergeben Sie die Plätze ohne Lücke, beginnend mit 1.",
        "q-prioritaeten-wege",
        "",
    ),
    (
        "familien",
        3,
        {"q-prioritaeten-wege": "7"},
        "Bitte wählen Sie einen Platz von 1 bis 2.",
        "q-prioritaeten-wege",
        "",
    ),
    (
        "familien",
        3,
        {"q-kinder": "zwei"},
        "Bitte geben Sie eine Zahl ein, z. B. 3.",
        "q-kinder",
        'value="zwei"',
    ),
    (
        "familien",
        3,
        {"q-kinder": "2,5"},
        "Bitte geben Sie eine ganze Zahl ein.",
        "q-kinder",
        'value="2,5"',
    ),
    (
        "familien",
        3,
        {"q-kinder": "16"},
        "Die Zahl darf höchstens 15 sein.",
        "q-kinder",
        'value="16"',
    ),
    (
        "familien",
        3,
        {"q-anmerkungen": "Zu lang! " * 30},
        "Bitte kürzen Sie Ihren Text auf 200 Zeichen (jetzt 269).",
        "q-anmerkungen",
        "Zu lang! ",
    ),
    (
        "akteure",
        3,
        {"q-vernetzung": ""},
        "Bitte beantworten Sie diese Frage.",
        "q-vernetzung--1",
        "",
    ),
]


@pytest.mark.parametrize(("group", "step", "data", "message", "anchor", "kept"), INVALID)
def test_invalid_answers_get_a_german_message_at_the_field_and_keep_the_input(
    client: FlaskClient,
    survey: Survey,
    group: str,
    step: int,
    data: dict[str, Any],
    message: str,
    anchor: str,
    kept: str,
) -> None:
    response = post_page(client, group, step, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Fehler:" in html
    # the summary links the field and names the question
    assert re.search(
        rf'<li><a href="#{re.escape(anchor)}"><bdi>[^<]+</bdi> – {re.escape(message)}</a></li>',
        html,
    )
    assert f'id="{anchor}"' in html
    assert f"</span> {message}</p>" in html  # the message at the field
    assert 'aria-invalid="true"' in html
    if kept:
        assert kept in html
    # nothing was saved: the page is still empty when opened again
    assert client.get(page_url(group, step)).get_data(as_text=True).count("checked") == 0


def test_required_matrix_items_each_get_their_own_error(
    client: FlaskClient, survey: Survey
) -> None:
    html = post_page(client, "familien", 1, {"q-kita": "3", "q-angebote-schule": "2"}).get_data(
        as_text=True
    )
    # the item is quoted once, isolated (<bdi>) for right-to-left pages
    assert 'href="#q-angebote-spielplatz--1">Bitte bewerten Sie „<bdi>Spielplätze</bdi>“.' in html
    assert (
        'href="#q-angebote-bibliothek--1">Bitte bewerten Sie „<bdi>Stadtbibliothek</bdi>“.' in html
    )
    assert 'aria-describedby="q-angebote-spielplatz-error"' in html
    assert 'value="2" checked' in html  # the answered item stays checked
    assert 'id="q-kita--3" name="q-kita" value="3" checked' in html


@pytest.mark.parametrize(
    ("group", "step", "data"),
    [
        ("familien", 1, VALID_PAGE1),
        ("familien", 2, {"q-beratung": "nein", "q-themen": ["pflege"], "q-themen-other": "Wohnen"}),
        ("familien", 3, {"q-prioritaeten-gruen": "1", "q-kinder": "0", "q-anmerkungen": "Gut"}),
        ("akteure", 3, {"q-vernetzung": "5"}),
    ],
)
def test_valid_answers_move_on_and_are_shown_again(
    client: FlaskClient, survey: Survey, group: str, step: int, data: dict[str, Any]
) -> None:
    response = post_page(client, group, step, data)
    assert response.status_code == 302
    html = client.get(page_url(group, step)).get_data(as_text=True)
    for name, value in data.items():
        for v in value if isinstance(value, list) else [value]:
            if name in ("q-themen-other", "q-kinder"):
                assert f'value="{v}"' in html
            elif name == "q-anmerkungen":
                assert f">{v}</textarea>" in html
            elif name.startswith("q-prioritaeten"):
                assert f'<option value="{v}" selected>' in html
            else:
                assert f'name="{name}" value="{v}" checked' in html


def test_back_and_save_skip_required_checks_and_keep_answers(
    client: FlaskClient, survey: Survey
) -> None:
    post_page(client, "familien", 1, VALID_PAGE1)
    back = post_page(client, "familien", 2, {"q-themen": ["pflege"]}, aktion="zurueck")
    assert back.status_code == 302 and back.headers["Location"].endswith(page_url("familien", 1))
    assert 'value="pflege" checked' in client.get(page_url("familien", 2)).get_data(as_text=True)
    first = client.get(page_url("familien", 1)).get_data(as_text=True)
    assert 'name="q-kita" value="4" checked' in first
    # "Zurück" from the first page leads to the group's landing page
    again = post_page(client, "familien", 1, VALID_PAGE1, aktion="zurueck")
    assert again.headers["Location"].endswith(f"{BASE}/familien")


@pytest.mark.parametrize("action", ["zurueck", "speichern"])
def test_back_and_save_keep_invalid_input_as_typed_and_check_it_only_on_weiter(
    client: FlaskClient, survey: Survey, action: str
) -> None:
    answer_all(client, "familien")  # "kinder" is answered with 2, typed over below
    page3 = {**PAGES["familien"][2], "q-kinder": "zwei", "q-anmerkungen": "Mehr Bänke"}
    moved = post_page(client, "familien", 3, page3, aktion=action)
    assert moved.status_code == 302, moved.get_data(as_text=True)[-1500:]
    draft = db.session.scalars(select(Draft)).one()
    assert draft.data["answers"]["anmerkungen"] == "Mehr Bänke"  # the valid ones are saved
    assert "kinder" not in draft.data["answers"]  # "zwei" is no answer ...
    assert draft.data["typed"] == {"kinder": "zwei"}  # ... but kept as typed
    back = client.get(page_url("familien", 3)).get_data(as_text=True)
    assert 'value="zwei"' in back and "Mehr Bänke" in back
    assert "error-summary" not in back and 'aria-invalid="true"' not in back
    # the check page says what needs correcting and refuses to send
    check = client.get(f"{BASE}/familien/pruefen").get_data(as_text=True)
    assert "Es fehlen noch Antworten" not in check  # nothing else is missing
    assert "Bitte korrigieren Sie Ihre Eingabe: <bdi>Wie viele Kinder" in check
    assert "Eingabe ungültig – bitte korrigieren" in check
    token = submission_id(client, "familien")
    assert submit(client, "familien", token).status_code == 200
    assert response_count() == 0
    assert submit(client, "familien", token).status_code == 200  # and again: still not
    # "Weiter" checks it
    checked = post_page(client, "familien", 3, page3)
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "error-summary" in html and 'value="zwei"' in html
    # a corrected page drops what was kept as typed
    post_page(client, "familien", 3, {**page3, "q-kinder": "3"}, aktion=action)
    db.session.expire_all()
    draft = db.session.scalars(select(Draft)).one()
    assert draft.data["answers"]["kinder"] == 3 and "typed" not in draft.data
    assert "Bitte korrigieren" not in client.get(f"{BASE}/familien/pruefen").get_data(as_text=True)


def test_condition_without_javascript_shows_the_follow_up_after_weiter(
    client: FlaskClient, survey: Survey
) -> None:
    # the page was rendered without "stelle" (beratung unanswered)
    response = client.post(
        page_url("familien", 2), data={"q-beratung": "ja", "angezeigt": "beratung,themen"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Aufgrund Ihrer Antwort gibt es auf dieser Seite weitere Fragen." in html
    assert "error-summary" not in html  # no error for a question the person has not seen
    assert 'id="frage-stelle"' in html and 'id="frage-stelle" data-key="stelle" ' in html
    assert 'id="frage-stelle" data-key="stelle" data-condition' in html
    assert 'name="angezeigt" value="beratung,stelle,themen"' in html
    # now it was shown: it is required
    missing = client.post(
        page_url("familien", 2), data={"q-beratung": "ja", "angezeigt": "beratung,stelle,themen"}
    ).get_data(as_text=True)
    assert (
        'href="#q-stelle--1"><bdi>Welche Beratungsstelle haben Sie zuletzt genutzt?</bdi> – '
        "Bitte beantworten Sie diese Frage." in missing
    )
    ok = client.post(
        page_url("familien", 2),
        data={"q-beratung": "ja", "q-stelle": "andere", "angezeigt": "beratung,stelle,themen"},
    )
    assert ok.status_code == 302


def test_answer_to_a_hidden_follow_up_is_dropped(client: FlaskClient, survey: Survey) -> None:
    post_page(client, "familien", 1, VALID_PAGE1)
    post_page(client, "familien", 2, {"q-beratung": "ja", "q-stelle": "familienbuero"})
    post_page(client, "familien", 2, {"q-beratung": "nein", "q-stelle": "familienbuero"})
    html = client.get(f"{BASE}/familien/pruefen").get_data(as_text=True)
    assert "Welche Beratungsstelle" not in html
    page2 = client.get(page_url("familien", 2)).get_data(as_text=True)
    assert 'value="familienbuero" checked' not in page2


def test_check_page_lists_answers_with_change_links_and_missing_questions(
    client: FlaskClient, survey: Survey
) -> None:
    post_page(client, "familien", 1, VALID_PAGE1)
    html = client.get(f"{BASE}/familien/pruefen").get_data(as_text=True)
    assert "<title>Fehler: Antworten prüfen" in html
    assert "Spielplätze: sehr zufrieden" in html and "Stadtbibliothek: sehr unzufrieden" in html
    assert f'href="{page_url("familien", 1)}?von=pruefen#frage-kita"' in html
    assert 'Ändern<span class="visually-hidden"> Antwort auf „<bdi>' in html
    assert (
        f'href="{page_url("familien", 2)}?von=pruefen#frage-beratung">Bitte beantworten Sie: '
        in html
    )
    # after changing a page from the check page, "Weiter" returns to the check page
    change = client.get(f"{page_url('familien', 1)}?von=pruefen").get_data(as_text=True)
    assert 'name="von" value="pruefen"' in change and "Zurück zur Übersicht" in change
    back = post_page(client, "familien", 1, VALID_PAGE1, von="pruefen")
    assert back.headers["Location"].endswith(f"{BASE}/familien/pruefen")
    # ... and so does "Zurück", even from the second page and with an entry not yet valid
    # (kept as typed, not checked).
    left = post_page(client, "familien", 2, {"q-beratung": "vielleicht"}, von="pruefen",
                     aktion="zurueck")  # fmt: skip
    assert left.headers["Location"].endswith(f"{BASE}/familien/pruefen")


def test_submit_is_refused_while_required_answers_are_missing(
    client: FlaskClient, survey: Survey
) -> None:
    from tests.app.citizen_flow import response_count, submission_id, submit

    post_page(client, "familien", 1, VALID_PAGE1)
    response = submit(client, "familien", submission_id(client, "familien"))
    assert response.status_code == 200
    assert "Es fehlen noch Antworten" in response.get_data(as_text=True)
    assert response_count() == 0
