"""Single sign-on in headless Chromium: the browser goes to the test provider and back.

The app runs as in production behind its live server (CSRF on), the provider of
``tests/oidc_provider.py`` on its own port; axe-core checks the login page with the button and
the page that explains a refusal. Set ``FK_SCREENSHOTS=/dir`` to keep screenshots.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from surveys.models import Role, User
from tests.app_fixtures import empty_tables, make_app
from tests.browser.screens import shot
from tests.browser.wsgi import serve
from tests.oidc_provider import Person, Provider

pytestmark = pytest.mark.browser

CALLBACK = "/anmelden/stadtkonto/antwort"


@pytest.fixture(scope="module")
def sso_server(app_database: str, oidc_server: Provider) -> Iterator[tuple[Flask, str]]:
    """The app with single sign-on, CSRF on, served on a free port."""
    application = make_app(app_database, WTF_CSRF_ENABLED=True, **oidc_server.app_config())
    for base in serve(application):
        yield application, base


@pytest.fixture()
def sso_live(sso_server: tuple[Flask, str], oidc_provider: Provider) -> Iterator[str]:
    """The base URL, registered at the reset provider; tables emptied afterwards."""
    application, base = sso_server
    oidc_provider.allow_redirect(base + CALLBACK)
    oidc_provider.post_logout_redirects.add(base + "/anmelden")
    with application.app_context():
        yield base
        db.session.rollback()
        empty_tables()
        db.session.remove()


def test_staff_member_logs_in_with_the_city_account(
    page: Any, axe: Any, sso_live: str, oidc_provider: Provider
) -> None:
    oidc_provider.person = Person(
        sub="7d0c-anna",
        email="anna.schmidt@delmenhorst.example",
        name="Anna Schmidt",
        claims={"groups": ["fk-staff"]},
    )
    page.goto(f"{sso_live}/verwaltung/")
    expect(page).to_have_url(re.compile(r"/anmelden\?next="))
    shot(page, "sso-login")
    axe(page, "login page with single sign-on")
    page.get_by_role("button", name="Mit dem Stadtkonto anmelden").click()
    expect(page.get_by_role("heading", name="Umfragen", exact=True)).to_be_visible()
    assert page.url == f"{sso_live}/verwaltung/"
    assert len(oidc_provider.authorization_requests) == 1  # the browser really went there
    user = db.session.scalars(select(User)).one()
    assert (user.email, user.role) == ("anna.schmidt@delmenhorst.example", Role.STAFF)

    # logging out goes through the provider's logout and back to the login page
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("status")).to_contain_text("Sie sind abgemeldet.")
    assert page.url == f"{sso_live}/anmelden"
    assert len(oidc_provider.logout_requests) == 1


def test_a_refused_login_is_explained_on_the_login_page(
    page: Any, axe: Any, sso_live: str, oidc_provider: Provider
) -> None:
    oidc_provider.person = Person(
        sub="9f1e-ben", email="ben@delmenhorst.example", claims={"groups": ["bauamt"]}
    )
    page.goto(f"{sso_live}/anmelden")
    page.get_by_role("button", name="Mit dem Stadtkonto anmelden").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("keine Berechtigung für den Familienkompass")
    assert page.url == f"{sso_live}/anmelden"
    shot(page, "sso-refused")
    axe(page, "single sign-on refused")
    # the password form is still there for local accounts
    expect(page.get_by_label("E-Mail-Adresse")).to_be_visible()
    assert db.session.scalar(select(User)) is None
