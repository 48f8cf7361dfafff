"""Domain errors carrying a translatable German message and the field they concern."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from surveys.i18n import PluralMessage


@dataclass(frozen=True)
class FieldError:
    """One problem with one field.

    ``message`` is a German msgid (marked with ``N_``) with ``%(name)s`` placeholders
    filled from ``params``; ``field`` names the input it concerns (e.g. ``"options"``
    or ``"q_kita_zufriedenheit"``).
    """

    field: str
    message: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    def render(self) -> str:
        """Return the untranslated message with its parameters filled in."""
        message = self.message
        if isinstance(message, PluralMessage):
            message = message.form(self.params.get(message.number))
        return message % self.params if self.params else message


class DomainError(Exception):
    """Base class of all errors the domain raises on purpose."""


class ValidationError(DomainError):
    """Raised when input breaks a domain rule; holds every :class:`FieldError` found."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.render() for e in errors))
        self.errors = errors

    @classmethod
    def single(cls, field_name: str, message: str, **params: Any) -> ValidationError:
        """Build an error about one field."""
        return cls([FieldError(field_name, message, params)])


class NotFound(DomainError):
    """Raised when a referenced object does not exist."""


class Conflict(DomainError):
    """Raised when an action is refused because of the object's state."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
