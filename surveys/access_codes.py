"""Single-use access codes: made in batches, stored as hashes, never linked to a response.

A code's row is written once, when the code is made, and never again while the survey runs.
Redeeming a code adds a *spent mark* ``HMAC(key, code_hash)`` (:class:`SpentCode`) in the
transaction that stores the response; the key is derived from the application's
``SECRET_KEY``, which the database does not hold. Whoever reads the database – even live,
snapshot after snapshot, with ``xmin``/``ctid`` and the mailing list of who got which code –
sees responses and opaque marks appear, but no code row changes, so neither which code was
used nor whose response it is can be told (``docs/privacy.md``, "Access codes and linkage").

"Used" and "never issued" get one message, which also tells a guesser nothing.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from surveys.db import SessionLike
from surveys.errors import ValidationError
from surveys.i18n import N_
from surveys.models import AccessCode, Channel, SpentCode, Survey
from surveys.random_codes import ACCESS_CODE_LENGTH, generate_code, hash_code

MAX_BATCH = 5000
_MARK_CONTEXT = b"familienkompass/access-code-spent-mark/v1"
SPENT_TABLE: Table = SpentCode.__table__  # type: ignore[assignment]


class CodeState(enum.StrEnum):
    """What a typed-in access code is: usable, or unknown (never issued or already used)."""

    VALID = "valid"
    UNKNOWN = "unknown"


UNUSABLE = N_(
    "Diesen Zugangscode kennen wir nicht, oder er wurde schon verwendet. "
    "Bitte prüfen Sie die Eingabe."
)


def mark_key(secret: str | bytes) -> bytes:
    """Derive the key of spent marks from the application's secret (never stored)."""
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, _MARK_CONTEXT, hashlib.sha256).digest()


def spent_mark(key: bytes, code_hash: str) -> str:
    """Return the keyed mark of a code's hash: unlinkable to the code without ``key``."""
    return hmac.new(key, code_hash.encode(), hashlib.sha256).hexdigest()


def new_codes(count: int) -> list[str]:
    """Return ``count`` distinct random codes in plain text."""
    if not 1 <= count <= MAX_BATCH:
        raise ValidationError.single(
            "count", N_("Bitte geben Sie eine Anzahl von 1 bis %(max)s an."), max=MAX_BATCH
        )
    codes: dict[str, str] = {}
    while len(codes) < count:
        code = generate_code(ACCESS_CODE_LENGTH)
        codes.setdefault(hash_code(code), code)
    return list(codes.values())


def store_codes(
    session: SessionLike, survey: Survey, codes: Iterable[str], batch_id: int | None = None
) -> None:
    """Store the hashes of ``codes`` in a random order (row ids say nothing about letters)."""
    digests = [hash_code(code) for code in codes]
    secrets.SystemRandom().shuffle(digests)
    session.add_all(
        AccessCode(survey_id=survey.id, code_hash=digest, batch_id=batch_id) for digest in digests
    )
    survey.access_codes_issued = (survey.access_codes_issued or 0) + len(digests)
    session.flush()


def generate_access_codes(
    session: SessionLike, survey: Survey, count: int, batch_id: int | None = None
) -> list[str]:
    """Create ``count`` new codes for ``survey`` and return them in plain text (shown once)."""
    codes = new_codes(count)
    store_codes(session, survey, codes, batch_id)
    return codes


def _issued(session: SessionLike, survey: Survey, code: str) -> bool:
    found = session.scalar(
        select(AccessCode.id).where(
            AccessCode.survey_id == survey.id, AccessCode.code_hash == hash_code(code)
        )
    )
    return found is not None


def code_state(session: SessionLike, survey: Survey, code: str, key: bytes) -> CodeState:
    """Return whether ``code`` can still be used for ``survey`` (a read: nothing is written)."""
    if not _issued(session, survey, code):
        return CodeState.UNKNOWN
    spent = session.scalar(
        select(SpentCode.id).where(SpentCode.mark_hash == spent_mark(key, hash_code(code)))
    )
    return CodeState.UNKNOWN if spent is not None else CodeState.VALID


def check_access_code(session: SessionLike, survey: Survey, code: str, key: bytes) -> None:
    """Raise :class:`ValidationError` (field ``access_code``) unless the code is usable."""
    if code_state(session, survey, code, key) != CodeState.VALID:
        raise ValidationError.single("access_code", UNUSABLE)


def redeem_access_code(
    session: SessionLike,
    survey: Survey,
    code: str,
    key: bytes,
    channel: Channel = Channel.ONLINE,
) -> None:
    """Use up the code in the current transaction by adding its spent mark.

    The code's own row is only read (no lock, no update: either would stamp it with this
    transaction). One ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` claims the mark, so of
    two concurrent submissions with one code only one succeeds. Call it in the transaction
    that stores the response, so both happen or neither.
    """
    if not _issued(session, survey, code):
        raise ValidationError.single("access_code", UNUSABLE)
    dialect = session.get_bind().dialect.name
    upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    table = SPENT_TABLE
    claim = (
        upsert(table)
        .values(
            survey_id=survey.id, mark_hash=spent_mark(key, hash_code(code)), channel=channel.value
        )
        .on_conflict_do_nothing(index_elements=[table.c.mark_hash])
        .returning(table.c.id)
    )
    if session.execute(claim).first() is None:
        raise ValidationError.single("access_code", UNUSABLE)


def code_counts(session: SessionLike, survey: Survey) -> tuple[int, int]:
    """Return (codes generated, codes used) for the survey."""
    spent = session.scalar(select(func.count(SpentCode.id)).where(SpentCode.survey_id == survey.id))
    rows = session.scalar(
        select(func.count(AccessCode.id)).where(AccessCode.survey_id == survey.id)
    )
    issued = survey.access_codes_issued or 0
    deleted_before_0012 = max(0, issued - int(rows or 0))
    return issued, deleted_before_0012 + int(spent or 0)


def used_per_batch(
    session: SessionLike, survey: Survey, key: bytes
) -> dict[int | None, dict[Channel, int]]:
    """Count redeemed codes per batch and channel, matching marks to codes with ``key``.

    Nothing stored links a mark to a batch: the match is computed here, from every code row
    of the survey, and only the counts leave this function (for response rates per batch).
    """
    marks: dict[str, Channel] = {
        mark: channel
        for mark, channel in session.execute(
            select(SpentCode.mark_hash, SpentCode.channel).where(SpentCode.survey_id == survey.id)
        )
    }
    counts: dict[int | None, dict[Channel, int]] = {}
    rows = session.execute(
        select(AccessCode.batch_id, AccessCode.code_hash).where(AccessCode.survey_id == survey.id)
    )
    for batch_id, digest in rows:
        channel = marks.get(spent_mark(key, digest))
        if channel is not None:
            per = counts.setdefault(batch_id, {})
            per[channel] = per.get(channel, 0) + 1
    return counts
