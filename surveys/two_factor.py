"""Second factor of staff logins: TOTP (RFC 6238) with single-use recovery codes.

* Enrolment: :func:`begin_enrolment` gives the account a random secret (160 bits, Base32), the
  authenticator app reads it from a QR code (:func:`provisioning_uri`) or typed in
  (:func:`grouped_secret`); :func:`confirm_enrolment` turns it on once a first code matches
  and returns ten recovery codes, shown once and stored only as SHA-256 hashes.
* Login: :func:`verify_login` accepts the code of the current 30-second time step or of the
  one before or after (clock drift), but never a time step at or before the last one used
  (a replayed or older code), or one of the unused recovery codes.
* :func:`disable` (own account, with password and code, where the role allows it),
  :func:`reset` (an administrator, or the command line) and :func:`regenerate_recovery_codes`.

Every enrolment, disabling, reset, new set of recovery codes, recovery-code login and wrong
code is written to the audit log (account and what happened; never an address or browser).
Callers commit after a refused code too (``ValidationError``, ``Outcome.WRONG``): the audit
entry of the wrong code must stay, and a refusal writes nothing else.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable

import pyotp
from sqlalchemy import delete, func, or_, select, update

from surveys.accounts import new_session_token
from surveys.audit import Action, record
from surveys.db import SessionLike
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import RecoveryCode, Role, User, utcnow
from surveys.passwords import verify_password

PERIOD = 30  # seconds per time step (what every authenticator app uses)
DIGITS = 6
VALID_WINDOW = 1  # time steps accepted before and after the current one
SECRET_LENGTH = 32  # Base32 characters: 160 bits, as RFC 4226 recommends
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 12  # 60 bits each; shown as three groups of four
# Crockford's Base32: no I, L, O or U, so nothing reads like another character.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})

MISSING_CODE = N_("Bitte geben Sie den Code ein.")
WRONG_CODE = N_(
    "Der Code stimmt nicht. Bitte geben Sie den 6-stelligen Code ein, den Ihre App gerade "
    "anzeigt, oder einen Ihrer Wiederherstellungscodes."
)
WRONG_ENROLMENT_CODE = N_(
    "Der Code stimmt nicht. Bitte geben Sie den 6-stelligen Code ein, den Ihre App gerade "
    "anzeigt. Prüfen Sie auch, ob die Uhrzeit Ihres Geräts stimmt."
)
REPLAYED_CODE = N_(
    "Dieser Code wurde bereits verwendet. Bitte warten Sie, bis Ihre App einen neuen Code "
    "anzeigt, und geben Sie diesen ein."
)
WRONG_PASSWORD = N_("Das Passwort stimmt nicht.")


class Outcome(enum.StrEnum):
    """What a submitted second-factor code turned out to be."""

    TOTP = "totp"
    RECOVERY = "recovery"
    WRONG = "wrong"
    REPLAY = "replay"

    @property
    def ok(self) -> bool:
        """Whether the code was accepted."""
        return self in (Outcome.TOTP, Outcome.RECOVERY)


def parse_required_roles(value: str | Iterable[str] | None) -> frozenset[Role]:
    """Return the roles named in ``value`` ("admin,staff", a list, or empty for none).

    Raises ``ValueError`` on a name that is not a role, so a typo cannot switch 2FA off.
    """
    if value is None:
        return frozenset()
    names = value.split(",") if isinstance(value, str) else list(value)
    roles: set[Role] = set()
    for name in names:
        name = str(name).strip().lower()
        if not name:
            continue
        if name not in {r.value for r in Role}:
            raise ValueError(f"unknown role {name!r} (known: admin, staff, moderator)")
        roles.add(Role(name))
    return frozenset(roles)


def is_enrolled(user: User) -> bool:
    """Return whether the account has a confirmed second factor."""
    return user.totp_secret is not None and user.totp_confirmed_at is not None


def is_required(user: User, required_roles: Iterable[Role]) -> bool:
    """Return whether the account's role must log in with a second factor."""
    return user.role in set(required_roles)


def begin_enrolment(session: SessionLike, user: User) -> str:
    """Give the account a new, not yet confirmed secret and return it.

    A secret from an unfinished enrolment is kept, so that reloading the page does not
    invalidate a QR code the person has already scanned.
    """
    if is_enrolled(user):
        raise Conflict(N_("Der zweite Faktor ist für dieses Konto bereits eingerichtet."))
    if user.totp_secret is None:
        user.totp_secret = pyotp.random_base32(SECRET_LENGTH)
        user.totp_last_counter = None
        session.flush()
    return user.totp_secret


def provisioning_uri(user: User, issuer: str) -> str:
    """Return the ``otpauth://`` address of the account's secret (the QR code's content)."""
    if user.totp_secret is None:
        raise Conflict(N_("Für dieses Konto ist kein zweiter Faktor eingerichtet."))
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)


def grouped_secret(secret: str) -> str:
    """Return the secret in groups of four characters, for typing it into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _totp_digits(code: str) -> str | None:
    """Return the six digits of ``code`` without spaces, or ``None`` if it is no TOTP code."""
    compact = "".join(code.split()).replace("-", "")
    return compact if len(compact) == DIGITS and compact.isascii() and compact.isdigit() else None


def _matching_counter(secret: str, digits: str, now: float) -> int | None:
    """Return the time step within the window whose code is ``digits``, else ``None``."""
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD)
    current = int(now // PERIOD)
    matched: int | None = None
    for counter in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        # compare every candidate, so the time taken does not tell which one matched
        if hmac.compare_digest(totp.generate_otp(counter), digits):
            matched = counter
    return matched


def check_totp(session: SessionLike, user: User, code: str, now: float | None = None) -> Outcome:
    """Check a TOTP code against the account's secret and spend its time step.

    Returns ``REPLAY`` for the code of a time step at or before the last one accepted.
    """
    digits = _totp_digits(code)
    if user.totp_secret is None or digits is None:
        return Outcome.WRONG
    counter = _matching_counter(user.totp_secret, digits, time.time() if now is None else now)
    if counter is None:
        return Outcome.WRONG
    if user.totp_last_counter is not None and counter <= user.totp_last_counter:
        return Outcome.REPLAY
    # Spend the step in the database, conditionally: of two requests racing with the same
    # code, only the one whose update finds the older counter wins.
    session.flush()
    spent = session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_counter.is_(None), User.totp_last_counter < counter),
        )
        .values(totp_last_counter=counter)
        .execution_options(synchronize_session=False)
    )
    session.refresh(user, ["totp_last_counter"])
    return Outcome.TOTP if _rowcount(spent) == 1 else Outcome.REPLAY


def _rowcount(result: object) -> int:
    """Rows an UPDATE matched (``CursorResult.rowcount``)."""
    return int(getattr(result, "rowcount", 0) or 0)


def normalise_recovery_code(code: str) -> str:
    """Return the code in upper case without spaces and hyphens, look-alikes mapped."""
    compact = "".join(code.split()).replace("-", "").upper()
    return compact.translate(_LOOKALIKES)


def _recovery_hash(user: User, code: str) -> str:
    return hashlib.sha256(f"{user.id}:{normalise_recovery_code(code)}".encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


def _replace_recovery_codes(session: SessionLike, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user, code)))
    session.flush()
    return codes


def remaining_recovery_codes(session: SessionLike, user: User) -> int:
    """Return how many recovery codes of the account are still unused."""
    count = session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    return int(count or 0)


def use_recovery_code(session: SessionLike, user: User, code: str) -> bool:
    """Spend one unused recovery code of the account; return whether ``code`` was one."""
    normalised = normalise_recovery_code(code)
    if len(normalised) != RECOVERY_CODE_LENGTH or not set(normalised) <= set(RECOVERY_ALPHABET):
        return False
    row = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(user, normalised),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    # conditional, like the time step: a code raced twice is spent once
    spent = session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    return _rowcount(spent) == 1


def _second_factor(session: SessionLike, user: User, code: str, now: float | None) -> Outcome:
    if _totp_digits(code) is not None:
        return check_totp(session, user, code, now)
    return Outcome.RECOVERY if use_recovery_code(session, user, code) else Outcome.WRONG


def _record_failure(session: SessionLike, user: User, step: str) -> None:
    record(session, user, Action.TWO_FACTOR_FAILED, details=f"{user.email}: {step}")


def verify_login(session: SessionLike, user: User, code: str, now: float | None = None) -> Outcome:
    """Check the second step of a login: a TOTP code or an unused recovery code.

    Wrong and replayed codes and every use of a recovery code are written to the audit log.
    """
    if not is_enrolled(user):
        return Outcome.WRONG
    outcome = _second_factor(session, user, code, now)
    if outcome is Outcome.RECOVERY:
        left = remaining_recovery_codes(session, user)
        record(
            session,
            user,
            Action.TWO_FACTOR_RECOVERY,
            details=f"{user.email}: noch {left} Wiederherstellungscodes",
        )
    elif not outcome.ok:
        _record_failure(session, user, "Anmeldung")
    return outcome


def code_error(outcome: Outcome, code: str, *, enrolment: bool = False) -> FieldError:
    """Return the German message for a refused code, at the field ``code``."""
    if not code.strip():
        return FieldError("code", MISSING_CODE)
    if outcome is Outcome.REPLAY:
        return FieldError("code", REPLAYED_CODE)
    return FieldError("code", WRONG_ENROLMENT_CODE if enrolment else WRONG_CODE)


def confirm_enrolment(
    session: SessionLike, user: User, code: str, now: float | None = None
) -> list[str]:
    """Turn the second factor on with a first matching code; return the recovery codes.

    The codes are returned once, in plain text, and stored only as hashes.
    """
    if is_enrolled(user):
        raise Conflict(N_("Der zweite Faktor ist für dieses Konto bereits eingerichtet."))
    if user.totp_secret is None:
        raise Conflict(N_("Bitte beginnen Sie die Einrichtung erneut."))
    outcome = check_totp(session, user, code, now)
    if outcome is not Outcome.TOTP:
        if code.strip():
            _record_failure(session, user, "Einrichtung")
        raise ValidationError([code_error(outcome, code, enrolment=True)])
    user.totp_confirmed_at = utcnow()
    codes = _replace_recovery_codes(session, user)
    record(session, user, Action.TWO_FACTOR_ENROL, details=user.email)
    return codes


def regenerate_recovery_codes(
    session: SessionLike, user: User, code: str, now: float | None = None
) -> list[str]:
    """Replace every recovery code after a valid code; return the new ones (shown once)."""
    if not is_enrolled(user):
        raise Conflict(N_("Für dieses Konto ist kein zweiter Faktor eingerichtet."))
    outcome = _second_factor(session, user, code, now)
    if not outcome.ok:
        if code.strip():
            _record_failure(session, user, "neue Wiederherstellungscodes")
        raise ValidationError([code_error(outcome, code)])
    codes = _replace_recovery_codes(session, user)
    record(session, user, Action.TWO_FACTOR_CODES, details=user.email)
    return codes


def _clear(session: SessionLike, user: User) -> None:
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_counter = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()


def disable(
    session: SessionLike,
    user: User,
    password: str,
    code: str,
    *,
    required: bool,
    now: float | None = None,
) -> None:
    """Switch the own second factor off, with the password and a valid code.

    Refused where the account's role requires a second factor.
    """
    if required:
        raise Conflict(
            N_("Für Ihre Rolle ist der zweite Faktor vorgeschrieben; er bleibt eingeschaltet.")
        )
    if not is_enrolled(user):
        raise Conflict(N_("Für dieses Konto ist kein zweiter Faktor eingerichtet."))
    if not verify_password(user.password_hash, password):
        # the code is not checked (nor spent) until the password is right
        errors = [FieldError("password", WRONG_PASSWORD)]
        if not code.strip():
            errors.append(FieldError("code", MISSING_CODE))
        raise ValidationError(errors)
    outcome = _second_factor(session, user, code, now)
    if not outcome.ok:
        if code.strip():
            _record_failure(session, user, "Ausschalten")
        raise ValidationError([code_error(outcome, code)])
    _clear(session, user)
    record(session, user, Action.TWO_FACTOR_DISABLE, details=user.email)


def reset(session: SessionLike, user: User, actor: User | None) -> None:
    """Clear an account's second factor and recovery codes (an administrator or the CLI).

    The account's sessions end; where its role requires a second factor, the next login
    leads to a new enrolment. An administrator changes their own factor under "Konto".
    """
    if actor is not None and actor.id == user.id:
        raise Conflict(
            N_("Ihren eigenen zweiten Faktor ändern Sie auf der Seite „Konto“ → „Zwei-Faktor“.")
        )
    if user.totp_secret is None:
        raise Conflict(N_("Für dieses Konto ist kein zweiter Faktor eingerichtet."))
    _clear(session, user)
    user.session_token = new_session_token()
    session.flush()
    record(session, actor, Action.TWO_FACTOR_RESET, details=user.email)
