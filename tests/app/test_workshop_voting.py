"""Live prioritisation over HTTP: moderator starts, two phones vote, results and QR code."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from surveys.models import Role, VoteSession, VoteSet
from tests.app.workshop_support import login, make_user, seeded_agreement


def start(app: Flask) -> tuple[FlaskClient, VoteSession]:
    seeded_agreement(measures=3)
    client = app.test_client()
    login(client, make_user(Role.MODERATOR))
    page = client.get("/workshop/bilanz-2026/feld/bildung").get_data(as_text=True)
    assert "Abstimmung starten" in page
    response = client.post("/workshop/bilanz-2026/feld/bildung/abstimmung", data={"budget": "5"})
    assert response.status_code == 302
    vote = db.session.query(VoteSession).one()
    assert response.headers["Location"].endswith(f"/workshop/abstimmung/{vote.code}")
    return client, vote


def test_two_phones_vote_and_results_appear(wapp: Flask) -> None:
    moderator, vote = start(wapp)
    m1, m2, m3 = (f"m_{m.id}" for m in vote.measures)
    phone, tablet = wapp.test_client(), wapp.test_client()

    ballot = phone.get(f"/v/{vote.code.lower()}")
    html = ballot.get_data(as_text=True)
    assert ballot.status_code == 200 and html.count('type="number"') == 3
    assert 'for="' + m1 + '"' in html and "höchstens 5" in html

    too_many = phone.post(f"/v/{vote.code}", data={m1: "4", m2: "3"})
    assert too_many.status_code == 422
    html = too_many.get_data(as_text=True)
    assert "Sie haben 7 Punkte verteilt, erlaubt sind höchstens 5." in html
    assert 'value="4"' in html and 'value="3"' in html  # input kept
    assert "fk_vote_" not in too_many.headers.get("Set-Cookie", "")

    saved = phone.post(f"/v/{vote.code}", data={m1: "5"})
    assert saved.status_code == 200 and "gespeichert" in saved.get_data(as_text=True)
    cookie = saved.headers["Set-Cookie"]
    assert f"fk_vote_{vote.code}=" in cookie and "HttpOnly" in cookie
    assert f"Path=/v/{vote.code}" in cookie
    token = re.search(rf"fk_vote_{vote.code}=([^;]+)", cookie).group(1)

    phone.post(f"/v/{vote.code}", data={m1: "2", m2: "3"})  # changes its mind
    tablet.post(f"/v/{vote.code}", data={m2: "1", m3: "4"})

    sets = db.session.query(VoteSet).all()
    assert len(sets) == 2
    assert all(token not in s.token_hash for s in sets)
    ballot = phone.get(f"/v/{vote.code}").get_data(as_text=True)
    assert 'value="2"' in ballot
    for measure in vote.measures:  # the numbers the presenter's screen shows
        assert f"Maßnahme {measure.code}:</span> {measure.title}" in ballot

    screen = moderator.get(f"/workshop/abstimmung/{vote.code}").get_data(as_text=True)
    assert f"/v/{vote.code}" in screen and "qr.svg" in screen
    assert "2 Personen haben abgestimmt" in screen
    fragment = moderator.get(f"/workshop/abstimmung/{vote.code}/ergebnis").get_data(as_text=True)
    rows = re.findall(r'<td class="num">(\d+)</td>\s*<th scope="row">([^<]+)</th>', fragment)
    assert [(rank, title.split(" ", 1)[1]) for rank, title in rows] == [
        ("1", "Maßnahme 2"),  # ties share a rank, ordered by code
        ("1", "Maßnahme 3"),
        ("3", "Maßnahme 1"),
    ]
    assert '<rect width="40.0"' in fragment

    qr = moderator.get(f"/workshop/abstimmung/{vote.code}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data and b"<path" in qr.data

    # Ending asks first: the screen links to a confirmation, which closes nothing by itself.
    assert f'href="/workshop/abstimmung/{vote.code}/beenden"' in screen
    confirm = moderator.get(f"/workshop/abstimmung/{vote.code}/beenden").get_data(as_text=True)
    assert "Abstimmung wirklich beenden?" in confirm and "Bisher haben 2 Personen" in confirm
    assert "Ja, Abstimmung beenden" in confirm and 'name="csrf_token"' in confirm
    assert "beendet" not in wapp.test_client().get(f"/v/{vote.code}").get_data(as_text=True)
    moderator.post(f"/workshop/abstimmung/{vote.code}/beenden")
    late = wapp.test_client().post(f"/v/{vote.code}", data={m1: "1"})
    assert "beendet" in late.get_data(as_text=True)
    assert db.session.query(VoteSet).count() == 2
    field_page = moderator.get("/workshop/bilanz-2026/feld/bildung").get_data(as_text=True)
    assert f"Abstimmung {vote.code}" in field_page and "2 Teilnahmen, beendet" in field_page


def test_ballot_page_has_no_inline_script_and_works_without_login(wapp: Flask) -> None:
    _moderator, vote = start(wapp)
    response = wapp.test_client().get(f"/v/{vote.code}")
    html = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html
    assert 'name="csrf_token"' in html


def test_ballot_submissions_are_rate_limited_per_vote_not_per_address(app_database: str) -> None:
    from tests.app_fixtures import empty_tables, make_app

    application = make_app(app_database, RATELIMIT_ENABLED=True, WORKSHOP_BALLOT_LIMIT="2/minute")
    with application.app_context():
        try:
            from app.extensions import limiter

            limiter.reset()
            seeded_agreement(measures=2)
            client = application.test_client()
            login(client, make_user(Role.MODERATOR))
            client.post("/workshop/bilanz-2026/feld/bildung/abstimmung", data={"budget": "5"})
            vote = db.session.query(VoteSession).one()
            first = f"m_{vote.measures[0].id}"
            codes = [
                application.test_client().post(f"/v/{vote.code}", data={first: "1"}).status_code
                for _ in range(3)
            ]
            assert codes[:2] == [200, 200] and codes[2] == 429
            assert application.test_client().get(f"/v/{vote.code}").status_code == 200
        finally:
            db.session.rollback()
            empty_tables()
            db.session.remove()
            db.engine.dispose()


def test_results_can_stay_hidden_until_the_vote_ends(wapp: Flask) -> None:
    seeded_agreement(measures=3)
    moderator = wapp.test_client()
    login(moderator, make_user(Role.MODERATOR))
    field = moderator.get("/workshop/bilanz-2026/feld/bildung").get_data(as_text=True)
    assert 'name="hide_results" value="1"' in field
    moderator.post(
        "/workshop/bilanz-2026/feld/bildung/abstimmung", data={"budget": "5", "hide_results": "1"}
    )
    vote = db.session.query(VoteSession).one()
    assert vote.hide_results
    first = f"m_{vote.measures[0].id}"
    wapp.test_client().post(f"/v/{vote.code}", data={first: "5"})
    screen = moderator.get(f"/workshop/abstimmung/{vote.code}").get_data(as_text=True)
    fragment = moderator.get(f"/workshop/abstimmung/{vote.code}/ergebnis").get_data(as_text=True)
    for html in (screen, fragment):
        assert "1 Person hat abgestimmt" in html
        assert "erscheint, sobald die Abstimmung beendet ist" in html
        assert "Punkte je Maßnahme" not in html and "Punkte vergeben" not in html
    moderator.post(f"/workshop/abstimmung/{vote.code}/beenden")
    after = moderator.get(f"/workshop/abstimmung/{vote.code}").get_data(as_text=True)
    assert "Punkte je Maßnahme" in after and "5 Punkte vergeben" in after
