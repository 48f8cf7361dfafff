"""Shared helpers of the catalogue tests: paths and which sources count as citizen pages."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
POT = TRANSLATIONS / "messages.pot"
#: Languages whose citizen pages must be completely translated.
SHIPPED = ("en", "tr", "ar")
#: The Leichte-Sprache interface catalogue (app code ``de-LS``; Babel knows no ``de_LS``).
EASY_READ = "de@ls"
#: Catalogues that must cover every citizen-facing message.
CITIZEN_COMPLETE = (*SHIPPED, EASY_READ)
#: Source files of everything a citizen sees (pages, macros, errors, validation messages).
CITIZEN_SOURCES = re.compile(
    r"^(templates/(citizen|public|questions/citizen|questions/paper)/"
    r"|templates/macros/(?!staff_)|templates/(base|error)\.html"
    r"|app/(citizen|errors|i18n)"
    r"|surveys/(question_types|responses|conditions|drafts|access_codes|form_values|errors)\b)"
)


def compile_catalogues() -> None:
    """Build the ``.mo`` files (``make setup`` does the same) so the app can load them."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parts[-3])
        with po.with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog)
