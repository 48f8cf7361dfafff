"""Reuse werkzeug's compiled URL builders across the suite's many Flask apps.

Every test that needs the web layer gets a fresh app (empty caches, its own database), and
werkzeug compiles two URL builder functions per rule for each app: an AST built and passed
to ``compile()``, about 55 ms of CPU per app for this application's 130 rules, some 40 s per
test run. The compiled function depends only on the rule's parsed parts (``_trace``), its
defaults and whether unknown arguments are appended; it receives the rule itself as its
first argument. So a function compiled once for a rule string serves every later app, and
each app's rules still bind to it as werkzeug does (``__get__``).

Test set-up only: production creates one app per process and compiles once anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing.rules import Rule

_compile_builder = Rule._compile_builder
_BUILDERS: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}


def _cached_builder(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
    defaults = self.defaults or {}
    # The compiled code calls the rule's converters at build time; only defaults are
    # converted while compiling, so the converters' types complete the key.
    key = (
        self.rule,
        tuple(self._trace),
        tuple(sorted((k, repr(v)) for k, v in defaults.items())),
        tuple((name, type(c)) for name, c in self._converters.items()),
        append_unknown,
    )
    builder = _BUILDERS.get(key)
    if builder is None:
        builder = _BUILDERS[key] = _compile_builder(self, append_unknown)
    return builder


def install() -> None:
    """Make every Rule use the shared builders (idempotent)."""
    Rule._compile_builder = _cached_builder  # type: ignore[method-assign]
