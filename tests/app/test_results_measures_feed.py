"""Public measures page, Atom feed, and inert stored-XSS payloads everywhere."""

from __future__ import annotations

import re
from datetime import datetime

import defusedxml.ElementTree as DET
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from surveys.models import AgreementVersion, ResultPublication
from surveys.publication import PublicationInput, publish, save_publication
from tests.app.results_support import COMMENT_PAYLOAD, SECRET_NOTE, XSS, arrange

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _published_with_comment(app: Flask) -> None:
    from app.results.content import analysis_for, public_results
    from app.results.helpers import policy

    arranged = arrange()
    with app.test_request_context():
        result = analysis_for(db.engine, arranged.survey.id, None, policy())
    key = next(c.key for c in public_results(result).comments if c.text == COMMENT_PAYLOAD)
    data = PublicationInput(True, ("wohnumfeld",), (key,), "dl-de/by-2-0")
    save_publication(db.session, arranged.survey, data, None)
    publish(db.session, arranged.survey, None)
    db.session.commit()


def test_measures_page_shows_adopted_measures_with_public_status(
    app: Flask, client: FlaskClient
) -> None:
    arranged = arrange()
    html = client.get("/massnahmen").get_data(as_text=True)
    assert "begonnen" in html and "01.09.2026" in html
    assert "Erste Bänke" in html
    assert SECRET_NOTE not in html
    assert "Spielplätze" in html  # the finding's item text, not its key
    assert "zufr_wohnen" not in html
    assert "DS 26/0815" in html
    detail = client.get(f"/massnahmen/{arranged.measure.id}")
    assert detail.status_code == 200
    assert SECRET_NOTE not in detail.get_data(as_text=True)


def test_measures_filters_work_without_javascript(app: Flask, client: FlaskClient) -> None:
    arrange()
    assert "1 von 1 Maßnahmen" in client.get("/massnahmen?feld=wohnumfeld").get_data(as_text=True)
    none = client.get("/massnahmen?feld=bildung").get_data(as_text=True)
    assert "0 von 1 Maßnahmen" in none and "Keine Maßnahme passt" in none
    assert "0 von 1" in client.get("/massnahmen?status=umgesetzt").get_data(as_text=True)
    assert "1 von 1" in client.get("/massnahmen?status=begonnen").get_data(as_text=True)
    assert "1 von 1" in client.get("/massnahmen?feld=%3Cx%3E&status=x").get_data(as_text=True)


def test_draft_agreements_are_not_public(app: Flask, client: FlaskClient) -> None:
    arrange()
    version = db.session.scalar(select(AgreementVersion))
    assert version is not None
    version.state = version.state.DRAFT
    db.session.commit()
    html = client.get("/massnahmen").get_data(as_text=True)
    assert "Es sind noch keine Maßnahmen beschlossen." in html


def test_feed_is_valid_atom(app: Flask, client: FlaskClient) -> None:
    _published_with_comment(app)
    response = client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    root = DET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}author/{ATOM}name").text
    self_links = [x for x in root.findall(f"{ATOM}link") if x.get("rel") == "self"]
    assert self_links and self_links[0].get("href", "").endswith("/feed.atom")
    assert RFC3339.match(root.findtext(f"{ATOM}updated") or "")
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2  # one public status update, one published result
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i and i.startswith("tag:") for i in ids)
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{name}"), name
        updated = entry.findtext(f"{ATOM}updated") or ""
        assert RFC3339.match(updated)
        datetime.fromisoformat(updated.replace("Z", "+00:00"))
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href", "").startswith("http")
    newest = max(e.findtext(f"{ATOM}updated") or "" for e in entries)
    assert root.findtext(f"{ATOM}updated") == newest
    text = response.get_data(as_text=True)
    assert SECRET_NOTE not in text
    assert "<script>" not in text and "&lt;script&gt;" in text  # escaped, not markup
    titles = [e.findtext(f"{ATOM}title") or "" for e in entries]
    assert any(XSS in t for t in titles)  # the text survives, as text


def test_stored_xss_renders_inert_on_pages(app: Flask, client: FlaskClient) -> None:
    _published_with_comment(app)
    assert db.session.scalar(select(ResultPublication.published)) is True
    for url in ("/massnahmen", "/s/befragung-2026/ergebnisse", "/"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
    results = client.get("/s/befragung-2026/ergebnisse").get_data(as_text=True)
    assert "Mehr Bänke bitte &lt;script&gt;" in results
    measures = client.get("/massnahmen").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in measures
    json_text = client.get("/opendata/massnahmen.json").get_data(as_text=True)
    assert client.get("/opendata/massnahmen.json").mimetype == "application/json"
    assert "<script>" in json_text  # data stays data in JSON, served as application/json


def test_measures_page_shows_one_period_by_default_with_a_summary(app: Flask) -> None:
    import re

    from demo import seed_demo
    from surveys.models import GoalAgreement

    seed_demo(db.session, responses=0)
    db.session.commit()
    agreements = sorted(
        db.session.query(GoalAgreement).all(), key=lambda a: a.period_start, reverse=True
    )
    newest, older = agreements[0], agreements[-1]
    if not newest.current.is_frozen:  # the demo's 2027-2029 agreement is still a draft
        from surveys.workshop.agreements import freeze_version

        freeze_version(db.session, newest.current, "01.12.2026", "DS 26/1234", "test")
        db.session.commit()
    client = app.test_client()
    page = client.get("/massnahmen").get_data(as_text=True)
    assert f'<option value="{newest.id}" selected>' in page
    assert f"{older.period_start.year}–{older.period_end.year}" in page  # offered, not shown
    everything = client.get("/massnahmen?zeitraum=alle").get_data(as_text=True)
    shown = int(re.search(r"(\d+) von (\d+) Maßnahmen", page)[1])
    total_all = int(re.search(r"(\d+) von (\d+) Maßnahmen", everything)[2])
    old_only = client.get(f"/massnahmen?zeitraum={older.id}").get_data(as_text=True)
    shown_old = int(re.search(r"(\d+) von (\d+) Maßnahmen", old_only)[1])
    assert 0 < shown < total_all and shown + shown_old == total_all
    # The summary adds up: every field row sums to its total, the fields to the last row.
    table = page.split('id="stand"', 1)[1].split("</table>", 1)[0]
    rows = [
        [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', r)]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
    ]
    for row in rows:  # the status counts, then the total (the share done is not a count)
        assert sum(row[:-1]) == row[-1]
    assert [sum(col) for col in zip(*rows[:-1], strict=True)] == rows[-1]
    assert rows[-1][-1] == shown
    assert "Filter zurücksetzen" not in page and "Filter zurücksetzen" in old_only
