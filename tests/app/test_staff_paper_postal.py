"""Paper entry of a postal survey takes the form's code (used up like online) or its batch."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from surveys.access_codes import code_counts, mark_key, used_per_batch
from surveys.models import AccessMode, Channel, CodeBatch, Response, Role, Survey
from surveys.postal import create_batch
from tests.app.staff_helpers import logged_in
from tests.factories import build_survey


def _postal_survey() -> tuple[Survey, CodeBatch, list[str]]:
    survey = build_survey(db.session, access_mode=AccessMode.CODE)
    batch, codes = create_batch(
        db.session, survey, stratum="Deichhorst", target_group=None, count=4,
        letters_sent=4, today=date(2026, 5, 4),
    )  # fmt: skip
    db.session.commit()
    return survey, batch, codes


def _form(client: FlaskClient, url: str, **fields: str) -> dict[str, str]:
    page = client.get(url).get_data(as_text=True)
    token = page.split('name="token" value="')[1].split('"')[0]
    return {"token": token, **fields}


def test_paper_form_with_a_code_uses_the_code_up(app: Flask) -> None:
    survey, batch, codes = _postal_survey()
    client = logged_in(app, Role.STAFF)
    url = f"/verwaltung/umfragen/{survey.id}/papier/akteure"
    page = client.get(url).get_data(as_text=True)
    assert 'name="paper_code"' in page and "Deichhorst" in page
    answer = {"q-vernetzung": "4"}
    response = client.post(url, data=_form(client, url, paper_code=codes[0].lower(), **answer))
    assert response.status_code == 302
    stored = db.session.scalars(select(Response)).one()
    assert stored.channel == Channel.PAPER
    assert code_counts(db.session, survey) == (4, 1)
    key = mark_key(app.config["SECRET_KEY"])
    assert used_per_batch(db.session, survey, key) == {batch.id: {Channel.PAPER: 1}}
    # the same code again (online or on paper) is refused at the field, nothing stored
    again = client.post(url, data=_form(client, url, paper_code=codes[0], **{"q-vernetzung": "4"}))
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and 'id="f-paper_code-error"' in html
    assert "schon verwendet" in html
    assert db.session.query(Response).count() == 1
    online = app.test_client().post(
        f"/s/{survey.slug}/zugang?gruppe=akteure", data={"access_code": codes[0]}
    )
    assert "schon verwendet" in online.get_data(as_text=True)


def test_paper_form_without_code_is_counted_for_its_batch(app: Flask) -> None:
    survey, batch, _codes = _postal_survey()
    client = logged_in(app, Role.STAFF)
    url = f"/verwaltung/umfragen/{survey.id}/papier/akteure"
    form = _form(client, url, paper_batch=str(batch.id), leer_ok="1")  # returned blank
    response = client.post(url, data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"?versand={batch.id}")  # kept for the stack
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<option value="{batch.id}" selected>' in page
    db.session.expire_all()
    assert db.session.get(CodeBatch, batch.id).paper_returns == 1  # type: ignore[union-attr]
    assert code_counts(db.session, survey) == (4, 0)


def test_unknown_batch_or_code_is_refused_at_the_field(app: Flask) -> None:
    survey, _batch, _codes = _postal_survey()
    other = build_survey(db.session, slug="andere", access_mode=AccessMode.CODE)
    foreign, _ = create_batch(
        db.session, other, stratum="Mitte", target_group=None, count=1, letters_sent=1,
        today=date(2026, 5, 4),
    )  # fmt: skip
    db.session.commit()
    client = logged_in(app, Role.STAFF)
    url = f"/verwaltung/umfragen/{survey.id}/papier/akteure"
    for value in (str(foreign.id), "abc", "99999999999"):
        bad = client.post(url, data=_form(client, url, paper_batch=value))
        assert bad.status_code == 422
        assert 'id="f-paper_batch-error"' in bad.get_data(as_text=True)
    wrong = client.post(url, data=_form(client, url, paper_code="XXXX-YYYY-ZZZZ"))
    assert wrong.status_code == 422 and 'value="XXXX-YYYY-ZZZZ"' in wrong.get_data(as_text=True)
    assert db.session.query(Response).count() == 0


def test_a_code_on_paper_for_a_public_survey_is_refused(app: Flask) -> None:
    survey = build_survey(db.session)
    db.session.commit()
    client = logged_in(app, Role.STAFF)
    url = f"/verwaltung/umfragen/{survey.id}/papier/akteure"
    assert 'name="paper_code"' not in client.get(url).get_data(as_text=True)
    bad = client.post(url, data=_form(client, url, paper_code="ABCD-EFGH-JKMN"))
    assert bad.status_code == 422 and "keine Zugangscodes" in bad.get_data(as_text=True)
