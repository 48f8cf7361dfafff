"""Staff accounts: create, disable, delete, change password, authenticate."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import func, select

from surveys.audit import Action, record
from surveys.db import SessionLike
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import Role, User, utcnow
from surveys.passwords import hash_password, needs_rehash, password_errors, verify_password


def new_session_token() -> str:
    """Return a fresh random token; rotating it ends every session of the user."""
    return secrets.token_hex(32)


def normalize_email(email: str) -> str:
    """Return the address trimmed and in lower case."""
    return email.strip().lower()


def user_by_email(session: SessionLike, email: str) -> User | None:
    """Return the account with this e-mail address, or ``None``."""
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def all_users(session: SessionLike) -> Sequence[User]:
    """Return every account ordered by e-mail address."""
    return session.scalars(select(User).order_by(User.email)).all()


def create_user(
    session: SessionLike,
    email: str,
    password: str,
    role: Role | str,
    *,
    name: str = "",
    actor: User | None = None,
) -> User:
    """Create an account after checking address, role and password policy."""
    email = normalize_email(email)
    errors: list[FieldError] = []
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        errors.append(FieldError("email", N_("Bitte geben Sie eine gültige E-Mail-Adresse ein.")))
    elif user_by_email(session, email) is not None:
        errors.append(FieldError("email", N_("Für diese E-Mail-Adresse gibt es schon ein Konto.")))
    if role not in {r.value for r in Role}:
        errors.append(FieldError("role", N_("Bitte wählen Sie eine Rolle.")))
    errors += password_errors(password, email)
    if errors:
        raise ValidationError(errors)
    user = User(
        email=email,
        name=name.strip()[:200],
        password_hash=hash_password(password),
        role=Role(role),
        active=True,
        session_token=new_session_token(),
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    record(session, actor, Action.USER_CREATE, details=f"{email} ({user.role.value})")
    return user


def authenticate(session: SessionLike, email: str, password: str) -> User | None:
    """Return the active user with these credentials, else ``None`` (not a login yet:
    :func:`record_login` follows once the second step, if any, is done).

    Unknown addresses verify against a dummy hash, so they take as long as a wrong password.
    """
    user = user_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return user


def record_login(session: SessionLike, user: User) -> None:
    """Note the day and time of a completed login (after the second step, if there is one)."""
    user.last_login_at = utcnow()
    session.flush()


def change_password(session: SessionLike, user: User, current: str, new: str, confirm: str) -> None:
    """Change the user's own password; rotates the session token (other sessions end)."""
    errors: list[FieldError] = []
    if not verify_password(user.password_hash, current):
        errors.append(FieldError("current", N_("Das bisherige Passwort stimmt nicht.")))
    errors += password_errors(new, user.email)
    if not errors and new != confirm:
        errors.append(
            FieldError("confirm", N_("Die beiden neuen Passwörter stimmen nicht überein."))
        )
    if errors:
        raise ValidationError(errors)
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()
    session.flush()
    record(session, user, Action.USER_PASSWORD, details=user.email)


def _other_active_admins(session: SessionLike, user: User) -> int:
    return (
        session.scalar(
            select(func.count(User.id)).where(
                User.role == Role.ADMIN, User.active.is_(True), User.id != user.id
            )
        )
        or 0
    )


def set_active(session: SessionLike, user: User, active: bool, actor: User) -> None:
    """Enable or disable an account; disabling ends its sessions. The last admin stays."""
    if not active and user.role == Role.ADMIN and not _other_active_admins(session, user):
        raise Conflict(N_("Das letzte aktive Administrationskonto kann nicht deaktiviert werden."))
    if not active and user.id == actor.id:
        raise Conflict(N_("Sie können Ihr eigenes Konto nicht deaktivieren."))
    user.active = active
    user.session_token = new_session_token()
    session.flush()
    record(
        session, actor, Action.USER_ENABLE if active else Action.USER_DISABLE, details=user.email
    )


def delete_user(session: SessionLike, user: User, actor: User) -> None:
    """Delete an account (its audit entries keep the address); never oneself or the last admin."""
    if user.id == actor.id:
        raise Conflict(N_("Sie können Ihr eigenes Konto nicht löschen."))
    if user.role == Role.ADMIN and not _other_active_admins(session, user):
        raise Conflict(N_("Das letzte aktive Administrationskonto kann nicht gelöscht werden."))
    email = user.email
    session.delete(user)
    session.flush()
    record(session, actor, Action.USER_DELETE, details=email)
