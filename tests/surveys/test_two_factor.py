"""The second factor in the domain: TOTP window, replays, recovery codes, enrolment, reset.

Codes are computed by an independent RFC 6238 implementation in this module (HMAC-SHA1 and
dynamic truncation by hand) and checked against the RFC's own test vectors.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from surveys import two_factor
from surveys.accounts import create_user
from surveys.audit import Action
from surveys.errors import Conflict, ValidationError
from surveys.models import AuditEvent, RecoveryCode, Role, User
from surveys.two_factor import Outcome

PASSWORD = "Zwei-Faktor-Prüfung 2026"
# RFC 6238, appendix B: the SHA-1 seed "12345678901234567890" (ASCII), Base32-encoded.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = [  # time, 8-digit TOTP from the RFC; authenticator apps show the last 6
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
]
NOW = 1_800_000_000.0  # a fixed moment in 2027, 30 s steps: counter 60_000_000


def reference_totp(secret: str, counter: int, digits: int = 6) -> str:
    """RFC 4226/6238 by hand: HMAC-SHA1 of the counter, dynamic truncation, modulo."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def wrong_code(secret: str, now: float) -> str:
    """A six-digit code that matches none of the time steps around ``now``."""
    valid = {reference_totp(secret, int(now // 30) + k) for k in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def make_user(session: Session, role: Role = Role.STAFF, email: str = "a@example.org") -> User:
    return create_user(session, email, PASSWORD, role)


def enrolled(session: Session, role: Role = Role.STAFF, email: str = "a@example.org"):
    """An account with a confirmed factor; returns the user and its recovery codes."""
    user = make_user(session, role, email)
    secret = two_factor.begin_enrolment(session, user)
    codes = two_factor.confirm_enrolment(session, user, reference_totp(secret, 60_000_000), NOW)
    return user, codes


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_reference_implementation_reproduces_the_rfc_vectors() -> None:
    for moment, expected in RFC_VECTORS:
        assert reference_totp(RFC_SECRET, moment // 30, digits=8) == expected


@pytest.mark.parametrize(("moment", "expected"), RFC_VECTORS)
def test_rfc_6238_vectors_are_accepted(session: Session, moment: int, expected: str) -> None:
    user = make_user(session)
    user.totp_secret = RFC_SECRET
    assert two_factor.check_totp(session, user, expected[-6:], now=moment) is Outcome.TOTP
    assert user.totp_last_counter == moment // 30


def test_one_time_step_either_side_is_accepted_two_are_not(session: Session) -> None:
    user = make_user(session)
    secret = two_factor.begin_enrolment(session, user)
    counter = int(NOW // 30)
    for offset in (-2, 2, 3):
        code = reference_totp(secret, counter + offset)
        assert two_factor.check_totp(session, user, code, NOW) is Outcome.WRONG, offset
    assert user.totp_last_counter is None
    # a clock 30 s behind, then the same clock 30 s ahead: each step is new, both pass
    assert two_factor.check_totp(session, user, reference_totp(secret, counter - 1), NOW) is (
        Outcome.TOTP
    )
    assert two_factor.check_totp(session, user, reference_totp(secret, counter + 1), NOW) is (
        Outcome.TOTP
    )
    assert user.totp_last_counter == counter + 1


def test_a_code_is_refused_the_second_time_and_so_is_an_older_one(session: Session) -> None:
    user = make_user(session)
    secret = two_factor.begin_enrolment(session, user)
    counter = int(NOW // 30)
    now_code = reference_totp(secret, counter)
    assert two_factor.check_totp(session, user, now_code, NOW) is Outcome.TOTP
    assert two_factor.check_totp(session, user, now_code, NOW) is Outcome.REPLAY
    assert two_factor.check_totp(session, user, now_code, NOW + 20) is Outcome.REPLAY
    # the previous step's code is still inside the window, but older than the one used
    earlier = reference_totp(secret, counter - 1)
    assert two_factor.check_totp(session, user, earlier, NOW) is Outcome.REPLAY
    # the next step's code passes once the clock gets there
    assert two_factor.check_totp(session, user, reference_totp(secret, counter + 1), NOW + 30) is (
        Outcome.TOTP
    )


def test_a_step_spent_by_a_parallel_request_is_a_replay(session: Session) -> None:
    """Two logins racing with the same code: the loser's copy of the account is stale."""
    user = make_user(session)
    secret = two_factor.begin_enrolment(session, user)
    counter = int(NOW // 30)
    # another request spends the step in the database; this one still holds the old state
    session.execute(
        update(User)
        .where(User.id == user.id)
        .values(totp_last_counter=counter)
        .execution_options(synchronize_session=False)
    )
    assert user.totp_last_counter is None
    code = reference_totp(secret, counter)
    assert two_factor.check_totp(session, user, code, NOW) is Outcome.REPLAY
    assert user.totp_last_counter == counter


def test_a_recovery_code_spent_by_a_parallel_request_is_refused(session: Session) -> None:
    user, codes = enrolled(session)
    # the lookup finds the row unused, then another request marks it first
    original = session.scalar

    def lookup_then_race(statement, *args, **kwargs):  # type: ignore[no-untyped-def]
        found = original(statement, *args, **kwargs)
        if isinstance(found, RecoveryCode):
            session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == found.id)
                .values(used_at=datetime.now(UTC))
                .execution_options(synchronize_session=False)
            )
        return found

    session.scalar = lookup_then_race  # type: ignore[method-assign]
    try:
        assert not two_factor.use_recovery_code(session, user, codes[0])
    finally:
        del session.scalar


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12 34 5"])
def test_malformed_codes_are_wrong_not_errors(session: Session, code: str) -> None:
    user = make_user(session)
    two_factor.begin_enrolment(session, user)
    assert two_factor.check_totp(session, user, code, NOW) is Outcome.WRONG


def test_spaces_inside_a_code_are_ignored(session: Session) -> None:
    user = make_user(session)
    secret = two_factor.begin_enrolment(session, user)
    code = reference_totp(secret, int(NOW // 30))
    assert two_factor.check_totp(session, user, f" {code[:3]} {code[3:]} ", NOW) is Outcome.TOTP


def test_enrolment_keeps_its_secret_until_confirmed(session: Session) -> None:
    user = make_user(session)
    secret = two_factor.begin_enrolment(session, user)
    assert len(secret) == 32 and base64.b32decode(secret)  # 160 bits
    assert two_factor.begin_enrolment(session, user) == secret  # reloading keeps the QR code
    assert not two_factor.is_enrolled(user)
    with pytest.raises(ValidationError) as refused:
        two_factor.confirm_enrolment(session, user, wrong_code(secret, NOW), NOW)
    assert refused.value.errors[0].field == "code"
    assert not two_factor.is_enrolled(user)
    codes = two_factor.confirm_enrolment(session, user, reference_totp(secret, 60_000_000), NOW)
    assert two_factor.is_enrolled(user) and len(codes) == 10
    with pytest.raises(Conflict):
        two_factor.begin_enrolment(session, user)
    assert actions(session)[-2:] == [Action.TWO_FACTOR_FAILED, Action.TWO_FACTOR_ENROL]


def test_provisioning_uri_names_issuer_account_and_secret(session: Session) -> None:
    user = make_user(session, email="kim.meyer@delmenhorst.de")
    secret = two_factor.begin_enrolment(session, user)
    uri = two_factor.provisioning_uri(user, "Familienkompass Delmenhorst")
    parts = urlsplit(uri)
    query = parse_qs(parts.query)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert query["secret"] == [secret]
    assert query["issuer"] == ["Familienkompass Delmenhorst"]
    assert "kim.meyer%40delmenhorst.de" in parts.path or "kim.meyer@delmenhorst.de" in parts.path
    assert two_factor.grouped_secret(secret).replace(" ", "") == secret
    assert all(len(group) == 4 for group in two_factor.grouped_secret(secret).split())


def test_recovery_codes_are_random_hashed_and_single_use(session: Session) -> None:
    user, codes = enrolled(session)
    assert len(set(codes)) == 10
    assert all(len(c) == 14 and c.count("-") == 2 for c in codes)
    stored = session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id))
    hashes = set(stored)
    assert len(hashes) == 10
    for code in codes:
        plain = code.replace("-", "")
        assert hashlib.sha256(f"{user.id}:{plain}".encode()).hexdigest() in hashes
        assert all(plain not in h for h in hashes)
    first = codes[0]
    assert two_factor.verify_login(session, user, first, NOW) is Outcome.RECOVERY
    assert two_factor.verify_login(session, user, first, NOW) is Outcome.WRONG
    assert two_factor.remaining_recovery_codes(session, user) == 9
    # typed in lower case, without hyphens, with O for 0: still the code
    second = codes[1].lower().replace("-", " ")
    assert two_factor.verify_login(session, user, second.replace("0", "o"), NOW) is (
        Outcome.RECOVERY
    )
    assert two_factor.remaining_recovery_codes(session, user) == 8
    log = actions(session)
    assert log.count(Action.TWO_FACTOR_RECOVERY) == 2 and log[-2] == Action.TWO_FACTOR_FAILED


def test_recovery_codes_belong_to_their_account(session: Session) -> None:
    alice, alice_codes = enrolled(session, email="alice@example.org")
    bob, _ = enrolled(session, email="bob@example.org")
    assert two_factor.verify_login(session, bob, alice_codes[0], NOW) is Outcome.WRONG
    assert two_factor.verify_login(session, alice, alice_codes[0], NOW) is Outcome.RECOVERY


def test_new_recovery_codes_replace_the_old_ones(session: Session) -> None:
    user, old = enrolled(session)
    with pytest.raises(ValidationError):
        two_factor.regenerate_recovery_codes(
            session, user, wrong_code(user.totp_secret or "", NOW + 60), NOW + 60
        )
    code = reference_totp(user.totp_secret or "", int((NOW + 60) // 30))
    new = two_factor.regenerate_recovery_codes(session, user, code, NOW + 60)
    assert not set(new) & set(old)
    assert two_factor.verify_login(session, user, old[0], NOW) is Outcome.WRONG
    assert two_factor.verify_login(session, user, new[0], NOW) is Outcome.RECOVERY
    assert Action.TWO_FACTOR_CODES in actions(session)


def test_wrong_codes_at_login_are_audited_without_addresses(session: Session) -> None:
    user, _ = enrolled(session)
    code = wrong_code(user.totp_secret or "", NOW + 90)
    assert two_factor.verify_login(session, user, code, NOW + 90) is Outcome.WRONG
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.action == Action.TWO_FACTOR_FAILED
    assert event.user_id == user.id and event.details == "a@example.org: Anmeldung"


def test_disabling_needs_password_and_code_and_an_optional_role(session: Session) -> None:
    user, _ = enrolled(session, Role.MODERATOR)
    later = NOW + 60
    code = reference_totp(user.totp_secret or "", int(later // 30))
    with pytest.raises(Conflict):
        two_factor.disable(session, user, PASSWORD, code, required=True, now=later)
    with pytest.raises(ValidationError) as refused:
        two_factor.disable(session, user, "falsch", "", required=False, now=later)
    assert {e.field for e in refused.value.errors} == {"password", "code"}
    # a wrong password does not spend the code
    with pytest.raises(ValidationError) as refused:
        two_factor.disable(session, user, "falsch", code, required=False, now=later)
    assert [e.field for e in refused.value.errors] == ["password"]
    with pytest.raises(ValidationError) as refused:
        wrong = wrong_code(user.totp_secret or "", later)
        two_factor.disable(session, user, PASSWORD, wrong, required=False, now=later)
    assert [e.field for e in refused.value.errors] == ["code"]
    assert two_factor.is_enrolled(user)
    two_factor.disable(session, user, PASSWORD, code, required=False, now=later)
    assert not two_factor.is_enrolled(user) and user.totp_secret is None
    assert two_factor.remaining_recovery_codes(session, user) == 0
    assert actions(session)[-1] == Action.TWO_FACTOR_DISABLE


def test_reset_clears_the_factor_and_ends_the_sessions(session: Session) -> None:
    admin = make_user(session, Role.ADMIN, "admin@example.org")
    user, _ = enrolled(session)
    token, secret = user.session_token, user.totp_secret
    with pytest.raises(Conflict):
        two_factor.reset(session, admin, admin)
    two_factor.reset(session, user, admin)
    assert user.totp_secret is None and user.totp_confirmed_at is None
    assert user.totp_last_counter is None and user.session_token != token
    assert two_factor.remaining_recovery_codes(session, user) == 0
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.action == Action.TWO_FACTOR_RESET
    assert event.actor == "admin@example.org" and event.details == "a@example.org"
    with pytest.raises(Conflict):
        two_factor.reset(session, user, None)  # nothing left to reset
    # a new enrolment starts from a new secret
    assert two_factor.begin_enrolment(session, user) != secret


def test_required_roles_are_parsed_strictly() -> None:
    assert two_factor.parse_required_roles("admin, Staff") == {Role.ADMIN, Role.STAFF}
    assert two_factor.parse_required_roles("") == frozenset()
    assert two_factor.parse_required_roles(["moderator"]) == {Role.MODERATOR}
    with pytest.raises(ValueError, match="stafff"):
        two_factor.parse_required_roles("admin,stafff")
