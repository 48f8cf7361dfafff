"""Single-use access codes: generated in batches, stored as hashes, never linked to a response."""

from __future__ import annotations

import enum

from sqlalchemy import func, select, update

from surveys.codes import ACCESS_CODE_LENGTH, generate_code, hash_code
from surveys.db import SessionLike
from surveys.errors import ValidationError
from surveys.i18n import N_
from surveys.models import AccessCode, Survey

MAX_BATCH = 5000


class CodeState(enum.StrEnum):
    """What a typed-in access code is."""

    VALID = "valid"
    USED = "used"
    UNKNOWN = "unknown"


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
    session.add_all(AccessCode(survey_id=survey.id, code_hash=h, used=False) for h in hashes)
    session.flush()
    return codes


def code_state(session: SessionLike, survey: Survey, code: str) -> CodeState:
    """Return whether ``code`` can still be used for ``survey``."""
    used = session.scalar(
        select(AccessCode.used).where(
            AccessCode.survey_id == survey.id, AccessCode.code_hash == hash_code(code)
        )
    )
    if used is None:
        return CodeState.UNKNOWN
    return CodeState.USED if used else CodeState.VALID


def check_access_code(session: SessionLike, survey: Survey, code: str) -> None:
    """Raise :class:`ValidationError` (field ``access_code``) unless the code is usable."""
    state = code_state(session, survey, code)
    if state == CodeState.USED:
        raise ValidationError.single(
            "access_code", N_("Dieser Zugangscode wurde bereits verwendet.")
        )
    if state == CodeState.UNKNOWN:
        raise ValidationError.single(
            "access_code", N_("Diesen Zugangscode kennen wir nicht. Bitte prüfen Sie die Eingabe.")
        )


def redeem_access_code(session: SessionLike, survey: Survey, code: str) -> None:
    """Mark the code used in the current transaction; atomic against concurrent use.

    Call it in the same transaction that stores the response, so both happen or neither.
    """
    result = session.execute(
        update(AccessCode)
        .where(
            AccessCode.survey_id == survey.id,
            AccessCode.code_hash == hash_code(code),
            AccessCode.used.is_(False),
        )
        .values(used=True)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        check_access_code(session, survey, code)
        raise ValidationError.single(
            "access_code", N_("Dieser Zugangscode wurde bereits verwendet.")
        )


def code_counts(session: SessionLike, survey: Survey) -> tuple[int, int]:
    """Return (codes generated, codes used) for the survey."""
    total, used = session.execute(
        select(func.count(AccessCode.id), func.count(AccessCode.id).filter(AccessCode.used)).where(
            AccessCode.survey_id == survey.id
        )
    ).one()
    return int(total), int(used)
