"""Marking of translatable domain messages without depending on Flask-Babel.

The domain returns German source strings marked with :func:`N_`; the web layer
translates them with ``gettext(message) % params`` when it renders them.
"""


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark ``message`` for extraction by pybabel and return it unchanged."""
    return message
