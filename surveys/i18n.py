"""Marking of translatable domain messages without depending on Flask-Babel.

The domain returns German source strings marked with :func:`N_`; the web layer
translates them with ``gettext(message) % params`` when it renders them. A message with a
number (":func:`NP_`") also carries its plural, for ``ngettext``.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark ``message`` for extraction by pybabel and return it unchanged."""
    return message


class PluralMessage(str):
    """A German msgid with its plural form; the parameter named ``number`` chooses the form.

    A ``str`` (the singular), so that it goes wherever a message goes; the web layer picks
    the form with ``ngettext`` in the page language.
    """

    plural: str
    number: str

    def __new__(cls, singular: str, plural: str, number: str) -> PluralMessage:  # noqa: D102
        message = super().__new__(cls, singular)
        message.plural = plural
        message.number = number
        return message

    def form(self, number: object) -> str:
        """Return the German form for ``number`` (untranslated contexts, e.g. the CLI)."""
        return str(self) if number == 1 else self.plural


def NP_(singular: str, plural: str, number: str) -> PluralMessage:  # noqa: N802
    """Mark a message with a number for extraction (``-k NP_:1,2``): ``number`` names the
    parameter whose value chooses between singular and plural."""
    return PluralMessage(singular, plural, number)
