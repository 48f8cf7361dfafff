"""Single-use access codes: generated in batches, stored as hashes, never linked to a response.

A code's row is deleted when the code is redeemed (see :class:`surveys.models.AccessCode` for
why it is not marked used), so "used" and "never issued" cannot be told apart afterwards; the
citizen gets one message for both, which also tells a guesser nothing.
"""

from __future__ import annotations

import enum

from sqlalchemy import delete, func, select

from surveys.codes import ACCESS_CODE_LENGTH, generate_code, hash_code
from surveys.db import SessionLike
from surveys.errors import ValidationError
from surveys.i18n import N_
from surveys.models import AccessCode, Survey

MAX_BATCH = 5000


class CodeState(enum.StrEnum):
    """What a typed-in access code is: usable, or unknown (never issued or already used)."""

    VALID = "valid"
    UNKNOWN = "unknown"


UNUSABLE = N_(
    "Diesen Zugangscode kennen wir nicht, oder er wurde schon verwendet. "
    "Bitte prüfen Sie die Eingabe."
)


def generate_access_codes(session: SessionLike, survey: Survey, count: int) -> list[str]:
    """Create ``count`` new codes for ``survey`` and return them in plain text (shown once)."""
    if not 1 <= count <= MAX_BATCH:
        raise ValidationError.single(
            "count", N_("Bitte geben Sie eine Anzahl von 1 bis %(max)s an."), max=MAX_BATCH
        )
    codes: list[str] = []
    hashes: set[str] = set()
    while len(codes) < count:
        code = generate_code(ACCESS_CODE_LENGTH)
        digest = hash_code(code)
        if digest in hashes:
            continue
        hashes.add(digest)
        codes.append(code)
    session.add_all(AccessCode(survey_id=survey.id, code_hash=h) for h in hashes)
    survey.access_codes_issued = (survey.access_codes_issued or 0) + count
    session.flush()
    return codes


def code_state(session: SessionLike, survey: Survey, code: str) -> CodeState:
    """Return whether ``code`` can still be used for ``survey``."""
    found = session.scalar(
        select(AccessCode.id).where(
            AccessCode.survey_id == survey.id, AccessCode.code_hash == hash_code(code)
        )
    )
    return CodeState.UNKNOWN if found is None else CodeState.VALID


def check_access_code(session: SessionLike, survey: Survey, code: str) -> None:
    """Raise :class:`ValidationError` (field ``access_code``) unless the code is usable."""
    if code_state(session, survey, code) != CodeState.VALID:
        raise ValidationError.single("access_code", UNUSABLE)


def redeem_access_code(session: SessionLike, survey: Survey, code: str) -> None:
    """Use up the code in the current transaction (its row is deleted); atomic against
    concurrent use: of two submissions with one code, only one deletes the row.

    Call it in the same transaction that stores the response, so both happen or neither.
    """
    result = session.execute(
        delete(AccessCode)
        .where(AccessCode.survey_id == survey.id, AccessCode.code_hash == hash_code(code))
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise ValidationError.single("access_code", UNUSABLE)


def code_counts(session: SessionLike, survey: Survey) -> tuple[int, int]:
    """Return (codes generated, codes used) for the survey."""
    unused = session.scalar(
        select(func.count(AccessCode.id)).where(AccessCode.survey_id == survey.id)
    )
    issued = survey.access_codes_issued or 0
    return issued, max(0, issued - int(unused or 0))
