"""Variable names for SPSS, Stata and R that stay the same across versions of a survey.

A variable's name is a function of its column in the raw export (``key``, ``key.item``,
``key.option``, ``key.other``: the stable question key and the item key or option code), not
of its position, so the 2019 and the 2026 file of the same questions merge by name. Names
are lower-case ASCII letters, digits and ``_``, start with a letter, are no reserved word of
SPSS, Stata or R and are unique in the file (SPSS does not tell upper from lower case). SPSS
and R names have at most 64 characters (:data:`SPSS_MAX`), Stata names 28
(:data:`STATA_MAX`); a longer name loses letters from the end of its longest words first
(``steuerung_zufriedenheit_info_angebote`` -> ``steuerun_zufriede_info_angebote``).

A name that cannot be made so (reserved, no shorter form, or taken by another variable of
the file) ends in ``_`` and a fingerprint of its full column: five characters of a SHA-1,
the same in every file that holds that column.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence

#: SPSS allows 64 bytes (R has no limit and uses the same names); Stata allows 32, for the
#: names of value-label sets too, which pyreadstat makes of the variable's name and a running
#: number: 28 leaves room for 9,999 labelled variables.
SPSS_MAX = 64
STATA_MAX = 28
FINGERPRINT = 5
#: Words are shortened to no fewer letters than this before a fingerprint is used.
MIN_WORD = 3
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

#: Reserved in SPSS syntax (case-insensitive), Stata and R (as lower-case names).
RESERVED = frozenset(
    {
        # SPSS
        "all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with",
        # Stata
        "byte", "double", "float", "if", "in", "int", "long", "strl", "using",
        # R
        "break", "else", "false", "for", "function", "inf", "na", "nan", "next", "null",
        "repeat", "true", "while",
    }
)  # fmt: skip
_STATA_STR = re.compile(r"^str[0-9]+$")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fingerprint(column: str) -> str:
    """Five lower-case hex characters of the SHA-1 of ``column`` (not a security device)."""
    return hashlib.sha1(column.encode("utf-8"), usedforsecurity=False).hexdigest()[:FINGERPRINT]


def plain_name(column: str) -> str:
    """``column`` in the characters every program accepts: ``wohnen.Spiel-Platz`` ->
    ``wohnen_spiel_platz`` (lower case, umlauts spelled out, runs of other characters as one
    ``_``, starting with a letter)."""
    text = column.lower().translate(_UMLAUTS)
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if not text or not text[0].isalpha():
        text = f"v_{text}".rstrip("_")
    return text


def is_reserved(name: str) -> bool:
    """Return whether ``name`` is a reserved word of SPSS, Stata or R."""
    return name in RESERVED or bool(_STATA_STR.match(name))


def _with_fingerprint(base: str, column: str, limit: int) -> str:
    keep = limit - FINGERPRINT - 1
    return f"{base[:keep].rstrip('_')}_{fingerprint(column)}"


def abbreviate(name: str, limit: int) -> str | None:
    """``name`` in at most ``limit`` characters by cutting its longest words (the first of
    equally long ones) one letter at a time, none below :data:`MIN_WORD`; ``None`` if that
    is not enough."""
    words = name.split("_")
    while len("_".join(words)) > limit:
        longest = max(range(len(words)), key=lambda i: (len(words[i]), -i))
        if len(words[longest]) <= MIN_WORD:
            return None
        words[longest] = words[longest][:-1]
    return "_".join(words)


def variable_name(column: str, limit: int = SPSS_MAX) -> str:
    """The name of one column on its own: its plain form, shortened to ``limit`` characters
    if need be, or with a fingerprint if it is reserved or cannot be shortened."""
    base = plain_name(column)
    if is_reserved(base):
        return _with_fingerprint(base, column, limit)
    if len(base) <= limit:
        return base
    return abbreviate(base, limit) or _with_fingerprint(base, column, limit)


def variable_names(
    columns: Sequence[str], fixed: Iterable[str] = (), limit: int = SPSS_MAX
) -> list[str]:
    """Return a name per column, unique together with the ``fixed`` names (the meta variables).

    Columns whose names clash get their fingerprint; a fixed name is never changed.
    """
    taken = set(fixed)
    names = [variable_name(column, limit) for column in columns]
    counts = Counter(names)
    result: list[str] = []
    for column, name in zip(columns, names, strict=True):
        if counts[name] > 1 or name in taken:
            name = _with_fingerprint(plain_name(column), column, limit)
        # Two five-character fingerprints that agree as well: count on from the second.
        candidate, number = name, 2
        while candidate in taken:
            candidate = f"{name[: limit - len(str(number)) - 1]}_{number}"
            number += 1
        taken.add(candidate)
        result.append(candidate)
    return result
