"""Domain field errors, translated and grouped for a form."""

from __future__ import annotations

from collections.abc import Iterable

from app.i18n import translate_error
from surveys.errors import FieldError


def apply_errors(errors: Iterable[FieldError]) -> dict[str, list[str]]:
    """Translate domain errors and group them by field name."""
    grouped: dict[str, list[str]] = {}
    for error in errors:
        grouped.setdefault(error.field, []).append(translate_error(error.message, error.params))
    return grouped
