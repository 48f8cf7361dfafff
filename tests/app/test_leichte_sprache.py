"""The demo survey walked in Leichte Sprache: every interface text comes from the de@ls catalogue.

A citizen who chooses Leichte Sprache sees the landing page, the question pages with their
hints and error messages, the check page, the save and resume pages, the thank-you page, the
paper sheet and the privacy page without one sentence of the standard German interface: every
German msgid of a citizen source whose Leichte-Sprache wording differs must be absent. The
page stays ``lang="de"`` with German dates; staff pages stay in standard German.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from surveys.models import Survey
from surveys.queries import survey_by_slug
from tests.i18n.catalogues import (
    CITIZEN_SOURCES,
    EASY_READ,
    POT,
    TRANSLATIONS,
    compile_catalogues,
)

GROUP = "familien"
#: A placeholder in a msgid (``%(q)s``): the German text around it is checked piece by piece.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


@pytest.fixture(scope="module", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


@pytest.fixture(name="demo")
def demo_fixture(app: Flask) -> Survey:
    """The 2026 demo survey, seeded without responses."""
    demo = pytest.importorskip("demo")
    demo.seed_demo(db.session, responses=0)
    db.session.commit()
    survey = survey_by_slug(db.session, demo.CURRENT.slug)
    assert survey is not None
    return survey


def standard_german_only() -> list[str]:
    """Return German interface sentences of citizen sources that Leichte Sprache rewrites.

    A msgid with placeholders yields the pieces between them; only pieces of at least three
    words count (punctuation kept), so that short shared words ("Ja", "Schritt") cannot
    match by chance.
    """
    with POT.open("rb") as handle:
        template = read_po(handle)
    wanted = {
        m.id
        for m in template
        if m.id and any(CITIZEN_SOURCES.match(name) for name, _line in m.locations)
    }
    path = TRANSLATIONS / EASY_READ / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        easy = read_po(handle, locale=EASY_READ)
    needles: set[str] = set()
    for message in easy:
        if message.id not in wanted:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), message.id  # the catalogue test says which
        for german, simple in zip(ids, strings, strict=False):
            if german == simple:
                continue
            for piece in PLACEHOLDER.split(german.replace("%%", "%")):
                piece = " ".join(piece.split())
                if sum(any(c.isalpha() for c in word) for word in piece.split()) >= 3:
                    needles.add(piece)
    assert len(needles) > 100
    return sorted(needles)


def page_text(markup: str) -> str:
    """Return what a reader meets: text, title and the texts of aria-label and friends."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    attributes = re.findall(r'(?:aria-label|title|placeholder|data-prefix)="([^"]*)"', markup)
    text = re.sub(r"<[^>]+>", " ", markup)
    return " ".join(html_lib.unescape(" ".join([text, *attributes])).split())


def hidden_value(markup: str, name: str) -> str:
    """Return the value of a hidden input."""
    match = re.search(rf'name="{name}" value="([^"]*)"', markup)
    return match.group(1) if match else ""


def walk(client: FlaskClient, survey: Survey) -> Iterator[tuple[str, str]]:
    """Answer the demo as a family in Leichte Sprache; yield (what, html) of every page."""
    base = f"/s/{survey.slug}"
    landing = client.get(f"{base}?lang=de-LS")
    yield "landing", landing.get_data(as_text=True)
    yield "no group chosen", client.get(f"{base}/start").get_data(as_text=True)
    url = client.get(f"{base}/start?gruppe={GROUP}").headers["Location"]
    saved = False
    for _ in range(40):
        page = client.get(url).get_data(as_text=True)
        yield url, page
        form = {"aktion": "weiter", "angezeigt": hidden_value(page, "angezeigt")}
        if 'name="q-kinder_anzahl"' in page:
            missing = client.post(url, data=form)  # a required question left empty
            assert missing.status_code == 200
            yield "required answer missing", missing.get_data(as_text=True)
            wrong = client.post(url, data={**form, "q-kinder_anzahl": "zwei"})
            assert wrong.status_code == 200
            yield "not a number", wrong.get_data(as_text=True)
            form["q-kinder_anzahl"] = "2"
        if not saved:
            later = client.post(url, data={**form, "aktion": "speichern"})
            assert later.status_code == 302, later.get_data(as_text=True)[-2000:]
            yield "saved", client.get(later.headers["Location"]).get_data(as_text=True)
            saved = True
        moved = client.post(url, data=form)
        assert moved.status_code == 302, moved.get_data(as_text=True)[-2000:]
        url = moved.headers["Location"]
        if url.endswith("/pruefen"):
            break
    check = client.get(url).get_data(as_text=True)
    yield "check", check
    yield "resume", client.get(f"{base}/weiter").get_data(as_text=True)
    yield (
        "wrong code",
        client.post(f"{base}/weiter", data={"code": "FALSCH"}).get_data(as_text=True),
    )
    yield "paper", client.get(f"{base}/druck?gruppe={GROUP}").get_data(as_text=True)
    yield "privacy", client.get("/datenschutz").get_data(as_text=True)
    yield "not found", client.get(f"{base}/keine-gruppe").get_data(as_text=True)
    sent = client.post(url, data={"submission_id": hidden_value(check, "submission_id")})
    assert sent.status_code == 303, sent.get_data(as_text=True)[-2000:]
    yield "thanks", client.get(sent.headers["Location"]).get_data(as_text=True)


@pytest.fixture(name="citizen")
def citizen_fixture(app_with: Any) -> FlaskClient:
    """A client of an app of its own: each request has its own app context, as in production.

    (Flask-Babel caches the locale on the app context, which the outer ``app`` fixture's
    context would share between requests.)
    """
    client: FlaskClient = app_with().test_client()
    return client


def test_the_demo_in_leichte_sprache_shows_no_standard_german_interface(
    citizen: FlaskClient, demo: Survey
) -> None:
    needles = standard_german_only()
    pages = dict(walk(citizen, demo))
    assert len(pages) >= 15
    found = {what: [n for n in needles if n in page_text(markup)] for what, markup in pages.items()}
    assert {what: hits for what, hits in found.items() if hits} == {}
    for what, markup in pages.items():
        assert '<html lang="de" dir="ltr">' in markup, what


def test_leichte_sprache_pages_say_it_simply(citizen: FlaskClient, demo: Survey) -> None:
    pages = {what: page_text(markup) for what, markup in walk(citizen, demo)}
    assert "Darum fragen wir Sie" in pages["landing"]  # "Warum wir fragen"
    assert "Daten·schutz: Das Wichtigste" in pages["landing"]
    assert "Bitte sagen Sie uns: Wer sind Sie?" in pages["no group chosen"]
    assert "Bitte beantworten Sie diese Frage." in pages["required answer missing"]
    assert "Bitte schreiben Sie eine Zahl. Zum Beispiel: 3." in pages["not a number"]
    assert "Bitte prüfen Sie Ihre Antworten" in pages["not a number"]  # the error summary
    assert "Antworten abschicken" in pages["check"]
    assert "Sie sind bei Schritt 1 von" in next(t for w, t in pages.items() if "/seite/1" in w)
    # German dates on the save page (e.g. 03.01.2027), the German plural of days
    assert re.search(r"bis zum \d{2}\.\d{2}\.\d{4}\. Das sind \d+ Tage", pages["saved"])
    assert "Wir finden keine Antworten zu diesem Code." in pages["wrong code"]
    assert "So füllen Sie den Frage·bogen aus" in pages["paper"]
    assert "Erklärung zum Daten·schutz" in pages["privacy"]
    assert "Wir finden diese Seite nicht" in pages["not found"]
    assert "Wir haben Ihre Antworten gespeichert. Ihr Name ist nicht dabei." in pages["thanks"]


def test_staff_pages_stay_standard_german(citizen: FlaskClient, demo: Survey) -> None:
    citizen.get(f"/s/{demo.slug}?lang=de-LS")
    login = citizen.get("/anmelden").get_data(as_text=True)
    assert "Anmeldung für Mitarbeitende" in login and "Datenschutz" in login
    assert "Daten·schutz" not in login
    # ... while the citizen pages of the same session keep Leichte Sprache
    assert "Daten·schutz" in citizen.get(f"/s/{demo.slug}").get_data(as_text=True)


def test_home_page_shows_the_survey_intro_in_leichte_sprache(
    citizen: FlaskClient, demo: Survey
) -> None:
    german = citizen.get("/?lang=de").get_data(as_text=True)
    easy = citizen.get("/?lang=de-LS").get_data(as_text=True)
    assert "Umfragen zum Mitmachen" in easy and "Laufende Umfragen" not in easy
    assert "Delmenhorst will gut für Familien sein." in easy  # the survey's de-LS intro
    assert "Delmenhorst will gut für Familien sein." not in german


def test_easy_read_page_links_the_statement_in_leichte_sprache(citizen: FlaskClient) -> None:
    page = citizen.get("/leichte-sprache").get_data(as_text=True)
    assert 'href="/barrierefreiheit?lang=de-LS">Leichter Sprache</a>' in page
    statement = citizen.get("/barrierefreiheit?lang=de-LS").get_data(as_text=True)
    assert "Erklärung zur Barriere·freiheit" in statement
    assert "Sie sind mit unserer Antwort nicht zufrieden?" in statement
    again = citizen.get("/leichte-sprache").get_data(as_text=True)
    assert "Darum ist die Erklärung auch in Leichter Sprache." in again
