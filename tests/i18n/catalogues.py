"""Shared helpers of the catalogue tests: paths and which sources count as citizen pages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
POT = TRANSLATIONS / "messages.pot"
#: Languages whose citizen pages must be completely translated.
SHIPPED = ("en", "tr", "ar")
#: Source files of everything a citizen sees (pages, macros, errors, validation messages).
CITIZEN_SOURCES = re.compile(
    r"^(templates/(citizen|public|macros)/|templates/(base|error)\.html|app/(citizen|errors|i18n)"
    r"|surveys/(question_types|responses|conditions|drafts|access_codes|form_values|errors)\b)"
)


def compile_catalogues() -> None:
    """Build the ``.mo`` files (``make setup`` does the same) so the app can load them."""
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "babel.messages.frontend", "compile", "-q", "-d", str(TRANSLATIONS)],
        check=True,
        cwd=ROOT,
    )
