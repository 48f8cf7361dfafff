"""A long section split over several online pages: numbering, Weiter/Zurück, conditions, the
check page's "Ändern" links and the staff's section form that sets the page breaks."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from surveys.models import Question, Role, Survey
from tests.app.citizen_flow import BASE, page_url, post_page
from tests.app.staff_helpers import login, make_user
from tests.factories import PAGES

KITA = {"q-kita": "4"}
ANGEBOTE = {k: v for k, v in PAGES["familien"][0].items() if k.startswith("q-angebote")}


def split(survey: Survey, *keys: str) -> None:
    """Let the questions with these keys start a new page (and commit)."""
    for question in db.session.scalars(select(Question).where(Question.key.in_(keys))):
        question.page_break = True
    db.session.commit()


def text(client: FlaskClient, url: str) -> str:
    return client.get(url).get_data(as_text=True)


def test_a_split_section_becomes_numbered_parts_of_the_steps(
    client: FlaskClient, survey: Survey
) -> None:
    split(survey, "angebote", "stelle")
    # familien: [kita] [angebote] [beratung] [stelle, themen] [prioritaeten, kinder, ...]
    first = text(client, page_url("familien", 1))
    assert "<title>Schritt 1 von 5 – Bildung und Erziehung (Teil 1 von 2) –" in first
    assert '<span class="h1-part">(Teil 1 von 2)</span>' in first
    assert 'id="frage-kita"' in first and 'id="frage-angebote"' not in first
    assert 'max="6" value="1"' in first  # the check page is the last step of the bar
    second = text(client, page_url("familien", 2))
    assert "Schritt 2 von 5 – Bildung und Erziehung" in second and "(Teil 2 von 2)" in second
    assert 'id="frage-angebote"' in second and 'id="frage-kita"' not in second
    fifth = text(client, page_url("familien", 5))
    assert "<title>Schritt 5 von 5 – Wohnumfeld und Lebensqualität –" in fifth
    assert client.get(page_url("familien", 6)).status_code == 404
    # senioren are not asked "kita": the section is one page for them, without "Teil"
    seniors = text(client, page_url("senioren", 1))
    assert "Schritt 1 von 4 – Bildung und Erziehung –" in seniors and "Teil 1" not in seniors


def test_weiter_and_zurueck_walk_the_parts_and_keep_the_answers(
    client: FlaskClient, survey: Survey
) -> None:
    split(survey, "angebote")
    response = post_page(client, "familien", 1, KITA)
    assert response.headers["Location"].endswith(page_url("familien", 2))
    back = post_page(client, "familien", 2, ANGEBOTE, aktion="zurueck")
    assert back.headers["Location"].endswith(page_url("familien", 1))
    assert 'value="4" checked' in text(client, page_url("familien", 1))
    assert 'value="5" checked' in text(client, page_url("familien", 2))  # kept on "Zurück"
    onward = post_page(client, "familien", 2, ANGEBOTE)
    assert onward.headers["Location"].endswith(page_url("familien", 3))
    # a required question of the second part is checked on its own page only
    empty = post_page(client, "familien", 2, {})
    assert empty.status_code == 422 or "error-summary" in empty.get_data(as_text=True)


def test_a_part_whose_questions_a_condition_hides_is_skipped(
    client: FlaskClient, survey: Survey
) -> None:
    split(survey, "stelle", "themen")
    # familien: [kita, angebote] [beratung] [stelle] [themen] [prioritaeten, ...]
    post_page(client, "familien", 1, PAGES["familien"][0])
    no = post_page(client, "familien", 2, {"q-beratung": "nein"})
    assert no.headers["Location"].endswith(page_url("familien", 4))
    assert (
        post_page(client, "familien", 4, {}, aktion="zurueck")
        .headers["Location"]
        .endswith(page_url("familien", 2))
    )
    yes = post_page(client, "familien", 2, {"q-beratung": "ja"})
    assert yes.headers["Location"].endswith(page_url("familien", 3))
    page = text(client, page_url("familien", 3))
    assert "Welche Beratungsstelle haben Sie zuletzt genutzt?" in page
    # its trigger is on an earlier page: the server decides, no live condition in the page
    assert "data-condition=" not in page
    assert post_page(client, "familien", 3, {}).status_code != 302  # required once shown


def test_the_check_page_links_every_answer_to_its_own_page_and_comes_back(
    client: FlaskClient, survey: Survey
) -> None:
    split(survey, "angebote")
    post_page(client, "familien", 1, KITA)
    post_page(client, "familien", 2, ANGEBOTE)
    post_page(client, "familien", 3, PAGES["familien"][1])
    post_page(client, "familien", 4, PAGES["familien"][2])
    html = text(client, f"{BASE}/familien/pruefen")
    assert "Es fehlen noch Antworten" not in html
    links = re.findall(r'<a href="([^"]+)">Ändern<span class="visually-hidden"> ([^<]*<bdi>)', html)
    targets = [href for href, _hidden in links]
    assert f"{page_url('familien', 1)}?von=pruefen#frage-kita" in targets
    assert f"{page_url('familien', 2)}?von=pruefen#frage-angebote" in targets
    assert f"{page_url('familien', 3)}?von=pruefen#frage-stelle" in targets
    assert f"{page_url('familien', 4)}?von=pruefen#frage-anmerkungen" in targets
    assert all(hidden == "Antwort auf „<bdi>" for _href, hidden in links)
    # one heading per section, not per page
    assert html.count('<h2 id="abschnitt-') == 3
    change = text(client, f"{page_url('familien', 2)}?von=pruefen")
    assert 'name="von" value="pruefen"' in change and "Zurück zur Übersicht" in change
    changed = dict(ANGEBOTE, **{"q-angebote-schule": "1"})
    back = post_page(client, "familien", 2, changed, von="pruefen")
    assert back.headers["Location"].endswith(f"{BASE}/familien/pruefen")
    assert "Schulen: sehr unzufrieden" in text(client, f"{BASE}/familien/pruefen")


def test_a_missing_answer_on_a_later_part_links_to_that_part(
    client: FlaskClient, survey: Survey
) -> None:
    split(survey, "angebote")
    post_page(client, "familien", 1, KITA)
    html = text(client, f"{BASE}/familien/pruefen")
    assert f'href="{page_url("familien", 2)}?von=pruefen#frage-angebote">Bitte beantworten' in html


def test_resuming_a_finished_draft_goes_to_the_check_page_with_more_pages(
    client: FlaskClient, survey: Survey
) -> None:
    split(survey, "angebote")
    for step, data in enumerate([KITA, ANGEBOTE, *PAGES["familien"][1:]], start=1):
        assert post_page(client, "familien", step, data).status_code == 302
    saved = post_page(client, "familien", 4, PAGES["familien"][2], aktion="speichern")
    assert saved.headers["Location"].endswith(f"{BASE}/gespeichert")
    assert f"{BASE}/familien/pruefen" in text(client, f"{BASE}/gespeichert")


def test_staff_set_page_breaks_in_the_section_form(client: FlaskClient, survey: Survey) -> None:
    make_user(Role.STAFF)
    login(client, Role.STAFF)
    section = survey.sections[1]  # beratung, stelle, themen
    url = f"/verwaltung/umfragen/{survey.id}/abschnitte/{section.id}"
    form = text(client, url)
    assert "Neue Seite online ab" in form
    assert 'name="page_breaks" value="stelle"' in form
    assert 'name="page_breaks" value="themen"' in form
    assert 'name="page_breaks" value="beratung"' not in form  # the first starts the page
    response = client.post(
        url,
        data={
            "title": section.title,
            "handlungsfeld": "beratung",
            "page_breaks": ["themen", "beratung"],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    breaks = {q.key: q.page_break for q in db.session.get(Survey, survey.id).sections[1].questions}
    assert breaks == {"beratung": False, "stelle": False, "themen": True}
    detail = text(client, f"/verwaltung/umfragen/{survey.id}")
    assert '<span class="status status--draft">Neue Seite</span> Zu welchen Themen' in detail
    assert "Schritt 3 von 4 – Beratung und Unterstützung (Teil 2 von 2)" in text(
        client, page_url("familien", 3)
    )
    form = text(client, url)
    assert 'name="page_breaks" value="themen" checked' in form
    # unchecking every box removes the breaks again
    client.post(url, data={"title": section.title, "handlungsfeld": "beratung"})
    db.session.expire_all()
    assert not any(q.page_break for q in db.session.get(Survey, survey.id).questions())
