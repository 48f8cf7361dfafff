"""A gunicorn logger that keeps client addresses out of the error log.

gunicorn logs each malformed request as ``Invalid request from ip=<address>: <error>``
(``gunicorn/workers/base.py``), at warning level, whatever ``accesslog`` says. Familienkompass
promises that no client address is kept, so this logger drops the address and keeps the error.
``gunicorn.conf.py`` selects it with ``logger_class``.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

_FROM_IP = re.compile(r" from ip=\S*?: ")


def scrub(message: object) -> object:
    """Return ``message`` without a ``from ip=…`` part (other objects unchanged)."""
    return _FROM_IP.sub(": ", message) if isinstance(message, str) else message


class AnonymousLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with client addresses removed from warnings and errors."""

    def warning(self, msg: object, *args: Any, **kwargs: Any) -> None:
        super().warning(scrub(msg), *args, **kwargs)

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None:
        super().error(scrub(msg), *args, **kwargs)

    def info(self, msg: object, *args: Any, **kwargs: Any) -> None:
        super().info(scrub(msg), *args, **kwargs)

    def debug(self, msg: object, *args: Any, **kwargs: Any) -> None:
        super().debug(scrub(msg), *args, **kwargs)
