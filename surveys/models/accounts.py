"""Staff accounts and the audit log of their actions."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.models.base import Base, UTCDateTime, str_enum, utcnow


class Role(enum.StrEnum):
    """What a staff account may do."""

    ADMIN = "admin"
    STAFF = "staff"
    MODERATOR = "moderator"


class User(Base):
    """A staff member, moderator or administrator; citizens never have accounts."""

    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Rotated at logout and password change, which invalidates every existing session.
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Second factor (TOTP, surveys.two_factor): the secret is set at the start of enrolment and
    # counts once confirmed with a first code; the last used time step refuses replays.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_counter: Mapped[int | None] = mapped_column(BigInteger)
    # Single sign-on (surveys.single_sign_on): the identity provider's issuer and the subject
    # it gives the person; a login finds the account by this pair, never by e-mail alone.
    oidc_issuer: Mapped[str | None] = mapped_column(String(255))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))

    # The login layer expects these (duck-typed, so the model needs no Flask-Login import).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """Disabled accounts cannot log in."""
        return self.active

    def get_id(self) -> str:
        """Session identifier: id plus the current session token, so rotation logs out."""
        return f"{self.id}:{self.session_token}"

    def has_role(self, *roles: Role) -> bool:
        """Return whether the user is active and has one of ``roles`` (admin has every role)."""
        return self.active and (self.role == Role.ADMIN or self.role in roles)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class RecoveryCode(Base):
    """A single-use recovery code of a user's second factor, stored only as a hash."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Who did what to which survey, and when."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(254))  # kept when the account is deleted
    action: Mapped[str] = mapped_column(String(60))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="SET NULL"))
    details: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship()
