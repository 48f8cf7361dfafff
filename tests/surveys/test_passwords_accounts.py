"""Password policy, hashing, accounts and the audit log in the domain."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from surveys.accounts import authenticate, create_user, delete_user, set_active
from surveys.audit import Action, AuditFilter, events, record
from surveys.errors import Conflict, ValidationError
from surveys.passwords import (
    common_passwords,
    hash_password,
    password_errors,
    verify_password,
)


def test_bundled_list_has_thousands_of_common_passwords() -> None:
    words = common_passwords()
    assert len(words) > 4000
    assert {"123456", "password", "passwort", "hallo123"} <= words


@pytest.mark.parametrize(
    "password",
    [
        "kurz",
        "passwort1234",
        "Password123456",
        "qwertzuiop123",
        "abcabcabcabc",
        "aaaaaaaaaaaa",
        "123456789012",
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    assert password_errors(password)


def test_password_equal_to_email_is_refused() -> None:
    assert password_errors("anna.schmidt@example.org", "Anna.Schmidt@example.org")
    assert password_errors("anna.schmidt1", "anna.schmidt1@example.org")


def test_good_password_passes_and_hash_is_argon2id() -> None:
    assert password_errors("Zwei Löffel Zucker im Tee", "a@example.org") == []
    digest = hash_password("Zwei Löffel Zucker im Tee")
    assert digest.startswith("$argon2id$")
    assert verify_password(digest, "Zwei Löffel Zucker im Tee")
    assert not verify_password(digest, "falsch")
    assert not verify_password(None, "egal")
    assert not verify_password("kein-hash", "egal")


def test_accounts_lifecycle(session: Session) -> None:
    admin = create_user(session, "Chef@Example.org ", "Rathaus-Admin-Schlüssel 7", "admin")
    assert admin.email == "chef@example.org"
    with pytest.raises(ValidationError) as exc:
        create_user(session, "chef@example.org", "Rathaus-Admin-Schlüssel 7", "admin")
    assert exc.value.errors[0].field == "email"
    staff = create_user(session, "s@example.org", "Fragebogen-Werkstatt 2026", "staff", actor=admin)
    assert authenticate(session, "S@example.org", "Fragebogen-Werkstatt 2026") is staff
    assert authenticate(session, "s@example.org", "falsch") is None
    token = staff.session_token
    set_active(session, staff, False, admin)
    assert staff.session_token != token
    assert authenticate(session, "s@example.org", "Fragebogen-Werkstatt 2026") is None
    with pytest.raises(Conflict):
        set_active(session, admin, False, admin)
    with pytest.raises(Conflict):
        delete_user(session, admin, admin)
    delete_user(session, staff, admin)
    actions = [e.action for e in events(session, AuditFilter())]
    assert actions[:3] == ["user.delete", "user.disable", "user.create"]


def test_audit_filter(session: Session) -> None:
    record(session, None, Action.SURVEY_EXPORT, details="CSV")
    record(session, None, Action.USER_CREATE)
    assert [e.action for e in events(session, AuditFilter(action="survey.export"))] == [
        "survey.export"
    ]
    assert events(session, AuditFilter(actor="Kommandozeile"))
    assert not events(session, AuditFilter(actor="niemand"))
    tomorrow = date.today() + timedelta(days=1)
    assert not events(session, AuditFilter(since=tomorrow))
    assert len(events(session, AuditFilter(until=tomorrow))) == 2
