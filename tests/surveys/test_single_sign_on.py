"""Single sign-on in the domain: role map, claims at dotted paths, finding/linking/creating."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.accounts import authenticate, create_user
from surveys.audit import Action
from surveys.models import AuditEvent, Role, User
from surveys.single_sign_on import (
    Identity,
    Refusal,
    SignOnRefused,
    claim_values,
    identity_from_claims,
    parse_role_map,
    role_from_claims,
    sign_on,
    uses_single_sign_on,
)

ISSUER = "https://login.delmenhorst.example/realms/verwaltung"
ROLE_MAP = {"fk-admin": Role.ADMIN, "fk-staff": Role.STAFF, "fk-moderation": Role.MODERATOR}
LOCAL_PASSWORD = "Fragebogen-Werkstatt 2026"  # noqa: S105 - a test value


def identity(**changes: Any) -> Identity:
    values: dict[str, Any] = {
        "issuer": ISSUER,
        "subject": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
        "email": "anna.schmidt@delmenhorst.example",
        "email_verified": True,
        "name": "Anna Schmidt",
        "role": Role.STAFF,
    }
    values.update(changes)
    return Identity(**values)


def actions(session: Session) -> list[tuple[str, str]]:
    rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    return [(e.action, e.details) for e in rows]


# -- configuration and claims ---------------------------------------------------------------


def test_role_map_reads_commas_semicolons_lines_and_equals_signs_in_values() -> None:
    text = " fk-admin=admin, fk-staff = Staff;\n/Familienkompass/Moderation=moderator\nx=y=staff,"
    assert parse_role_map(text) == {
        "fk-admin": Role.ADMIN,
        "fk-staff": Role.STAFF,
        "/Familienkompass/Moderation": Role.MODERATOR,
        "x=y": Role.STAFF,
    }
    assert parse_role_map("") == {}


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("fk-admin", "value=role"),
        ("=admin", "value=role"),
        ("fk-admin=superuser", "admin, staff or moderator"),
        ("fk=admin,fk=staff", "two different roles"),
    ],
)
def test_role_map_names_a_bad_entry(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_role_map(text)


def test_claim_values_at_plain_names_dotted_paths_and_namespaced_names() -> None:
    keycloak = {
        "groups": ["fk-staff", 7, "andere"],
        "realm_access": {"roles": ["offline_access", "fk-admin"]},
        "resource_access": {"familienkompass": {"roles": ["fk-moderation"]}},
        "https://stadt.example/roles": "fk-staff",
    }
    assert claim_values(keycloak, "groups") == ["fk-staff", "andere"]
    assert claim_values(keycloak, "realm_access.roles") == ["offline_access", "fk-admin"]
    assert claim_values(keycloak, "resource_access.familienkompass.roles") == ["fk-moderation"]
    assert claim_values(keycloak, "https://stadt.example/roles") == ["fk-staff"]
    assert claim_values(keycloak, "realm_access.missing") == []
    assert claim_values(keycloak, "groups.deeper") == []
    assert claim_values({"groups": {"not": "a list"}}, "groups") == []


def test_the_highest_mapped_role_wins_and_unmapped_values_grant_nothing() -> None:
    assert role_from_claims({"groups": ["fk-moderation", "fk-admin"]}, "groups", ROLE_MAP) == (
        Role.ADMIN
    )
    assert role_from_claims({"groups": ["fk-moderation"]}, "groups", ROLE_MAP) == Role.MODERATOR
    assert role_from_claims({"groups": ["FK-ADMIN", "sachbearbeitung"]}, "groups", ROLE_MAP) is None
    assert role_from_claims({}, "groups", ROLE_MAP) is None
    # string roles, as a test or a dict-valued setting may give them
    assert role_from_claims({"groups": ["a"]}, "groups", {"a": "staff"}) == Role.STAFF


def test_identity_from_claims_normalises_address_and_reads_verification() -> None:
    claims = {
        "iss": ISSUER,
        "sub": "123",
        "email": " Anna.Schmidt@Delmenhorst.Example ",
        "email_verified": "true",
        "given_name": "Anna",
        "family_name": "Schmidt",
        "groups": ["fk-staff"],
    }
    got = identity_from_claims(claims, "groups", ROLE_MAP)
    assert got == Identity(
        ISSUER, "123", "anna.schmidt@delmenhorst.example", True, "Anna Schmidt", Role.STAFF
    )
    assert not identity_from_claims(
        {**claims, "email_verified": "false"}, "groups", ROLE_MAP
    ).email_verified
    assert not identity_from_claims(
        {**claims, "email_verified": None}, "groups", ROLE_MAP
    ).email_verified
    assert identity_from_claims({**claims, "email": "kein-at"}, "groups", ROLE_MAP).email == ""
    assert identity_from_claims({**claims, "email": "a@b@c"}, "groups", ROLE_MAP).email == ""


# -- accounts --------------------------------------------------------------------------------


def test_first_login_creates_the_account_with_the_mapped_role(session: Session) -> None:
    user = sign_on(session, identity())
    assert (user.email, user.name, user.role, user.active) == (
        "anna.schmidt@delmenhorst.example",
        "Anna Schmidt",
        Role.STAFF,
        True,
    )
    assert (user.oidc_issuer, user.oidc_subject) == (ISSUER, identity().subject)
    assert uses_single_sign_on(user) and user.last_login_at is not None
    # the account has no password anybody knows: a password login fails
    assert authenticate(session, user.email, "") is None
    assert [a for a, _ in actions(session)] == [Action.USER_SSO_CREATE, Action.USER_SSO_LOGIN]


def test_next_login_finds_the_account_by_subject_and_follows_the_role(session: Session) -> None:
    first = sign_on(session, identity())
    again = sign_on(session, identity(role=Role.MODERATOR, name="Anna Schmidt-Weber"))
    assert again.id == first.id
    assert (again.role, again.name) == (Role.MODERATOR, "Anna Schmidt-Weber")
    assert (Action.USER_ROLE, "anna.schmidt@delmenhorst.example: staff → moderator") in actions(
        session
    )
    assert session.scalar(select(User).where(User.id != first.id)) is None


def test_the_same_subject_of_another_issuer_is_another_person(session: Session) -> None:
    first = sign_on(session, identity())
    other = sign_on(session, identity(issuer="https://other.example", email="b@example.org"))
    assert other.id != first.id


def test_a_new_verified_address_is_taken_over_unless_another_account_has_it(
    session: Session,
) -> None:
    user = sign_on(session, identity())
    create_user(session, "kollegin@delmenhorst.example", LOCAL_PASSWORD, "staff")
    sign_on(session, identity(email="kollegin@delmenhorst.example"))
    assert user.email == "anna.schmidt@delmenhorst.example"
    sign_on(session, identity(email="anna.weber@delmenhorst.example", email_verified=False))
    assert user.email == "anna.schmidt@delmenhorst.example"
    sign_on(session, identity(email="anna.weber@delmenhorst.example"))
    assert user.email == "anna.weber@delmenhorst.example"


def test_no_mapped_role_is_refused_and_ends_the_sessions_of_a_known_account(
    session: Session,
) -> None:
    with pytest.raises(SignOnRefused) as refused:
        sign_on(session, identity(role=None))
    assert refused.value.reason == Refusal.NO_ROLE
    assert session.scalar(select(User)) is None and actions(session) == []

    user = sign_on(session, identity())
    token = user.session_token
    with pytest.raises(SignOnRefused) as refused:
        sign_on(session, identity(role=None))
    assert refused.value.reason == Refusal.NO_ROLE
    assert user.session_token != token  # open sessions end when the group is withdrawn
    assert user.role == Role.STAFF  # the role is not changed, the login refused
    assert actions(session)[-1] == (
        Action.USER_SSO_REFUSED,
        "anna.schmidt@delmenhorst.example: no-role",
    )


def test_a_deactivated_account_is_refused(session: Session) -> None:
    user = sign_on(session, identity(role=Role.ADMIN))
    user.active = False
    with pytest.raises(SignOnRefused) as refused:
        sign_on(session, identity(role=Role.ADMIN))
    assert refused.value.reason == Refusal.DISABLED
    assert actions(session)[-1][0] == Action.USER_SSO_REFUSED


def test_an_identity_without_address_gets_no_new_account(session: Session) -> None:
    with pytest.raises(SignOnRefused) as refused:
        sign_on(session, identity(email=""))
    assert refused.value.reason == Refusal.NO_EMAIL


def test_a_local_account_is_linked_by_a_verified_address_only(session: Session) -> None:
    local = create_user(session, "Anna.Schmidt@delmenhorst.example", LOCAL_PASSWORD, "moderator")
    with pytest.raises(SignOnRefused) as refused:
        sign_on(session, identity(email_verified=False))
    assert refused.value.reason == Refusal.UNVERIFIED_EMAIL
    assert local.oidc_subject is None

    linked = sign_on(session, identity())
    assert linked.id == local.id
    assert (linked.oidc_issuer, linked.role) == (ISSUER, Role.STAFF)
    assert [a for a, _ in actions(session)][-3:] == [
        Action.USER_SSO_LINK,
        Action.USER_ROLE,
        Action.USER_SSO_LOGIN,
    ]
    # the local password keeps working (a break-glass account stays possible)
    assert authenticate(session, local.email, LOCAL_PASSWORD) is not None


def test_an_account_linked_to_one_identity_is_not_taken_by_another(session: Session) -> None:
    sign_on(session, identity())
    with pytest.raises(SignOnRefused) as refused:
        sign_on(session, identity(subject="someone-else"))
    assert refused.value.reason == Refusal.LINKED_ELSEWHERE


def test_a_deactivated_local_account_is_not_linked(session: Session) -> None:
    local = create_user(session, "anna.schmidt@delmenhorst.example", LOCAL_PASSWORD, "staff")
    local.active = False
    with pytest.raises(SignOnRefused) as refused:
        sign_on(session, identity())
    assert refused.value.reason == Refusal.DISABLED
    assert local.oidc_subject is None


def test_a_local_account_without_a_mapped_role_is_not_linked(session: Session) -> None:
    local = create_user(session, "anna.schmidt@delmenhorst.example", LOCAL_PASSWORD, "staff")
    with pytest.raises(SignOnRefused):
        sign_on(session, identity(role=None))
    assert local.oidc_subject is None
