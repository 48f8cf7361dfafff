"""Single sign-on of staff through OpenID Connect: roles from claims, accounts from identities.

The web layer (``app/account/oidc.py``) runs the authorization code flow with the city's
identity provider and hands the verified claims of the ID token here; nothing here knows HTTP.

* :func:`parse_role_map` reads ``OIDC_ROLE_MAP`` ("fk-admin=admin, fk-staff=staff");
  :func:`claim_values` reads the role claim at a dotted path ("realm_access.roles");
  :func:`role_from_claims` maps its values to the highest role they grant.
* :func:`sign_on` finds, links or creates the account of an :class:`Identity`:

  1. the account that has the identity's issuer and subject is the person's account;
  2. else an account with the same e-mail address is linked to the identity, but only when the
     provider says the address is verified (``email_verified`` true) and the account is not
     linked to another identity yet: an unverified address could be anyone's;
  3. else a new account is created ("just in time").

  A deactivated account is refused, and so is an identity whose claims map to no role. The role
  follows the claim at every login, so withdrawing the group at the provider takes the access
  away at the next login; refusing an existing account also ends its open sessions.

Logins, new and linked accounts, role changes and refusals of known accounts go to the audit log
(account, role, reason; never an address or browser). Callers commit after a refusal too, so
that its audit entry stays.
"""

from __future__ import annotations

import enum
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from surveys.accounts import new_session_token, normalize_email, user_by_email
from surveys.audit import Action, record
from surveys.db import SessionLike
from surveys.errors import DomainError
from surveys.i18n import N_
from surveys.models import Role, User, utcnow
from surveys.passwords import hash_password

#: Highest first: someone in several mapped groups gets the strongest of their roles.
ROLE_RANK = (Role.ADMIN, Role.STAFF, Role.MODERATOR)

_SEPARATORS = re.compile(r"[,;\n]")


class Refusal(enum.StrEnum):
    """Why a single sign-on login was refused; the value goes into the audit log."""

    NO_ROLE = "no-role"
    DISABLED = "disabled"
    NO_EMAIL = "no-email"
    UNVERIFIED_EMAIL = "unverified-email"
    LINKED_ELSEWHERE = "linked-elsewhere"


#: What the person is told, in German (translated by the web layer).
REFUSAL_MESSAGES: dict[Refusal, str] = {
    Refusal.NO_ROLE: N_(
        "Ihr Stadtkonto hat keine Berechtigung für den Familienkompass. Bitte wenden Sie sich "
        "an die Administration, wenn Sie Zugang brauchen."
    ),
    Refusal.DISABLED: N_(
        "Ihr Konto im Familienkompass ist gesperrt. Bitte wenden Sie sich an die Administration."
    ),
    Refusal.NO_EMAIL: N_(
        "Ihr Stadtkonto übermittelt keine gültige E-Mail-Adresse. Bitte wenden Sie sich an die "
        "Administration."
    ),
    Refusal.UNVERIFIED_EMAIL: N_(
        "Für Ihre E-Mail-Adresse gibt es schon ein Konto im Familienkompass. Es wird erst mit "
        "Ihrem Stadtkonto verbunden, wenn das Stadtkonto die Adresse als bestätigt meldet. "
        "Bitte wenden Sie sich an die Administration."
    ),
    Refusal.LINKED_ELSEWHERE: N_(
        "Das Konto mit Ihrer E-Mail-Adresse ist schon mit einem anderen Stadtkonto verbunden. "
        "Bitte wenden Sie sich an die Administration."
    ),
}


class SignOnRefused(DomainError):
    """The identity may not log in; ``message`` is the German msgid to show."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.message = REFUSAL_MESSAGES[reason]


@dataclass(frozen=True)
class Identity:
    """A person as the identity provider vouches for them after a verified login."""

    issuer: str
    subject: str
    email: str = ""
    email_verified: bool = False
    name: str = ""
    role: Role | None = None


def parse_role_map(text: str) -> dict[str, Role]:
    """Return the mapping ``claim value -> role`` of ``"value=role, value=role"``.

    Entries are separated by commas, semicolons or new lines; a value may contain ``=`` (the
    role is what follows the last one). Raises :class:`ValueError` naming a bad entry.
    """
    mapping: dict[str, Role] = {}
    for entry in _SEPARATORS.split(text or ""):
        entry = entry.strip()
        if not entry:
            continue
        value, equals, role_name = entry.rpartition("=")
        value, role_name = value.strip(), role_name.strip().lower()
        if not equals or not value:
            raise ValueError(f"OIDC_ROLE_MAP entry {entry!r} is not of the form value=role")
        if role_name not in {r.value for r in Role}:
            raise ValueError(
                f"OIDC_ROLE_MAP entry {entry!r}: the role must be admin, staff or moderator"
            )
        if mapping.get(value, Role(role_name)) != Role(role_name):
            raise ValueError(f"OIDC_ROLE_MAP maps {value!r} to two different roles")
        mapping[value] = Role(role_name)
    return mapping


def claim_values(claims: Mapping[str, Any], path: str) -> list[str]:
    """Return the strings of the claim at ``path`` (empty if it is missing).

    ``path`` is a claim name ("groups", "https://city.example/roles") or a dotted path into
    nested objects ("realm_access.roles", "resource_access.familienkompass.roles"); a name
    that exists as it is wins over reading it as a path. A list gives its strings, a string
    gives itself, anything else nothing.
    """
    value: Any = claims.get(path) if path in claims else claims
    if path not in claims:
        for part in path.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return []
            value = value[part]
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def role_from_claims(
    claims: Mapping[str, Any], path: str, role_map: Mapping[str, Role | str]
) -> Role | None:
    """Return the highest role that the values of the role claim map to, or ``None``."""
    granted = {Role(role_map[v]) for v in claim_values(claims, path) if v in role_map}
    return next((role for role in ROLE_RANK if role in granted), None)


def _verified(value: Any) -> bool:
    """``email_verified`` is a boolean; a few providers send the string "true"."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _display_name(claims: Mapping[str, Any]) -> str:
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return name.strip()[:200]


def _valid_email(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    email = normalize_email(value)
    local, at, domain = email.partition("@")
    if not at or not local or not domain or "@" in domain or len(email) > 254:
        return ""
    return email


def identity_from_claims(
    claims: Mapping[str, Any], role_claim: str, role_map: Mapping[str, Role | str]
) -> Identity:
    """Build the :class:`Identity` of verified ID token (and user info) claims."""
    return Identity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=_valid_email(claims.get("email")),
        email_verified=_verified(claims.get("email_verified")),
        name=_display_name(claims),
        role=role_from_claims(claims, role_claim, role_map),
    )


def user_by_identity(session: SessionLike, issuer: str, subject: str) -> User | None:
    """Return the account linked to the identity ``(issuer, subject)``, or ``None``."""
    return session.scalar(
        select(User).where(User.oidc_issuer == issuer, User.oidc_subject == subject)
    )


def uses_single_sign_on(user: User) -> bool:
    """Return whether the account is linked to an identity of the identity provider."""
    return user.oidc_subject is not None


def _refuse(session: SessionLike, user: User | None, reason: Refusal) -> SignOnRefused:
    """Record the refusal of a known account, end its sessions, and return the error."""
    if user is not None:
        user.session_token = new_session_token()
        session.flush()
        record(session, user, Action.USER_SSO_REFUSED, details=f"{user.email}: {reason.value}")
    return SignOnRefused(reason)


def _apply_role(session: SessionLike, user: User, role: Role) -> None:
    if user.role != role:
        old = user.role
        user.role = role
        session.flush()
        record(session, user, Action.USER_ROLE, details=f"{user.email}: {old.value} → {role.value}")


def _update_profile(session: SessionLike, user: User, identity: Identity) -> None:
    """Take over the name, and a verified new address nobody else uses."""
    if identity.name:
        user.name = identity.name
    if (
        identity.email
        and identity.email_verified
        and identity.email != user.email
        and user_by_email(session, identity.email) is None
    ):
        user.email = identity.email


def _create(session: SessionLike, identity: Identity, role: Role) -> User:
    user = User(
        email=identity.email,
        name=identity.name,
        # A random password nobody knows: the account signs in through the provider only,
        # and a password attempt costs as long as for every other account.
        password_hash=hash_password(secrets.token_urlsafe(32)),
        role=role,
        active=True,
        session_token=new_session_token(),
        created_at=utcnow(),
        oidc_issuer=identity.issuer,
        oidc_subject=identity.subject,
    )
    session.add(user)
    session.flush()
    record(session, user, Action.USER_SSO_CREATE, details=f"{user.email} ({role.value})")
    return user


def _link(session: SessionLike, identity: Identity) -> User | None:
    """Return the local account to link by verified e-mail address, or ``None``."""
    if not identity.email:
        return None
    user = user_by_email(session, identity.email)
    if user is None:
        return None
    if not identity.email_verified:
        raise _refuse(session, None, Refusal.UNVERIFIED_EMAIL)
    if user.oidc_subject is not None:
        raise _refuse(session, None, Refusal.LINKED_ELSEWHERE)
    if not user.active:
        raise _refuse(session, user, Refusal.DISABLED)
    if identity.role is None:
        raise _refuse(session, user, Refusal.NO_ROLE)
    user.oidc_issuer, user.oidc_subject = identity.issuer, identity.subject
    session.flush()
    record(session, user, Action.USER_SSO_LINK, details=user.email)
    return user


def sign_on(session: SessionLike, identity: Identity) -> User:
    """Return the account ``identity`` logs in to (found, linked or created); flush, no commit.

    Raises :class:`SignOnRefused` when the account is deactivated, the claims map to no role,
    or an account with the address exists that may not be linked (see the module docstring).
    """
    user = user_by_identity(session, identity.issuer, identity.subject)
    if user is not None and not user.active:
        raise _refuse(session, user, Refusal.DISABLED)
    if user is None:
        user = _link(session, identity)
    role = identity.role
    if role is None:
        raise _refuse(session, user, Refusal.NO_ROLE)
    if user is None:
        if not identity.email:
            raise SignOnRefused(Refusal.NO_EMAIL)
        user = _create(session, identity, role)
    _apply_role(session, user, role)
    _update_profile(session, user, identity)
    user.last_login_at = utcnow()
    session.flush()
    record(session, user, Action.USER_SSO_LOGIN, details=f"{user.email} ({user.role.value})")
    return user
