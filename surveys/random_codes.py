"""Random resume and access codes, stored only as SHA-256 hashes.

Codes use Crockford's Base32 (no I, L, O, U) so they can be read aloud and typed from paper.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})

RESUME_CODE_LENGTH = 28  # 140 bits
ACCESS_CODE_LENGTH = 12  # 60 bits: single use, typed from paper, never linked to answers
SUBMISSION_TOKEN_BYTES = 24


def generate_code(length: int) -> str:
    """Return a random code of ``length`` Base32 characters, grouped by four with dashes."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return "-".join(raw[i : i + 4] for i in range(0, length, 4))


def normalize_code(code: str) -> str:
    """Uppercase, drop separators and blanks, and fold look-alike letters."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.translate(_CONFUSABLE)


def hash_code(code: str) -> str:
    """Return the hex SHA-256 of a normalised code (codes are random, so no salt is needed)."""
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def new_submission_token() -> str:
    """Return a random one-time submission id for a questionnaire form."""
    return secrets.token_urlsafe(SUBMISSION_TOKEN_BYTES)


def hash_token(token: str) -> str:
    """Return the hex SHA-256 of a submission token (kept as is, case-sensitive)."""
    return hashlib.sha256(token.encode()).hexdigest()
