"""Password hashing (argon2id) and the password policy for staff accounts."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from surveys.errors import FieldError
from surveys.i18n import N_

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt"

# argon2-cffi's defaults are the RFC 9106 "low memory" profile of argon2id.
_hasher = PasswordHasher()
# Verified when the account does not exist, so that both cases cost the same time.
_DUMMY_HASH = _hasher.hash("dummy password for timing equality")


def configure_hasher(*, time_cost: int, memory_cost: int, parallelism: int) -> None:
    """Use other argon2id parameters from now on (the test suite uses cheap ones).

    Existing hashes keep verifying, since each hash carries its own parameters;
    :func:`needs_rehash` then reports those made with other parameters.
    """
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    _DUMMY_HASH = _hasher.hash("dummy password for timing equality")


def current_parameters() -> dict[str, int]:
    """Return the argon2id parameters in use, as :func:`configure_hasher` takes them."""
    return {
        "time_cost": _hasher.time_cost,
        "memory_cost": _hasher.memory_cost,
        "parallelism": _hasher.parallelism,
    }


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Return the bundled list of common passwords (lower case)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def hash_password(password: str) -> str:
    """Return an argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return whether ``password`` matches; with no hash, burn the same time and fail."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Return whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def _is_common(password: str) -> bool:
    """Common password, also with digits or punctuation appended or repeated."""
    lowered = password.lower()
    common = common_passwords()
    if lowered in common:
        return True
    stem = re.sub(r"[\d\W_]+$", "", lowered)
    if stem in common or not stem:
        return True
    # "sommersommer", "abcabcabcabc": a short pattern repeated
    return any(
        len(lowered) % size == 0 and lowered == lowered[:size] * (len(lowered) // size)
        for size in range(1, len(lowered) // 2 + 1)
    )


def password_errors(password: str, email: str = "") -> list[FieldError]:
    """Return the problems of a new password (field ``password``)."""
    if len(password) < MIN_LENGTH:
        return [
            FieldError(
                "password",
                N_("Das Passwort muss mindestens %(min)s Zeichen lang sein."),
                {"min": MIN_LENGTH},
            )
        ]
    if len(password) > MAX_LENGTH:
        return [
            FieldError(
                "password",
                N_("Das Passwort darf höchstens %(max)s Zeichen lang sein."),
                {"max": MAX_LENGTH},
            )
        ]
    email = email.strip().lower()
    if email and (password.lower() == email or password.lower() == email.split("@")[0]):
        return [
            FieldError("password", N_("Das Passwort darf nicht der E-Mail-Adresse entsprechen."))
        ]
    if _is_common(password):
        return [
            FieldError(
                "password",
                N_(
                    "Dieses Passwort ist zu verbreitet und leicht zu erraten. "
                    "Bitte wählen Sie ein anderes, z. B. aus mehreren Wörtern."
                ),
            )
        ]
    return []
