"""The interface catalogues: current with the sources, complete for citizen pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from tests.i18n.catalogues import (
    CITIZEN_COMPLETE,
    CITIZEN_SOURCES,
    EASY_READ,
    POT,
    ROOT,
    TRANSLATIONS,
)


def load(path: Path, locale: str | None = None) -> Catalog:
    """Parse a .po/.pot file."""
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def lacks_translation(message: Message) -> bool:
    """Return whether a message (or any plural form of it) lacks a translation or is fuzzy."""
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return message.fuzzy or not all(forms)


def citizen_ids(catalog: Catalog) -> set[str]:
    """Return the msgids used in at least one citizen-facing source file."""
    return {
        str(m.id)
        for m in catalog
        if m.id and any(CITIZEN_SOURCES.match(name) for name, _line in m.locations)
    }


def test_committed_template_is_current(tmp_path: Path) -> None:
    """Extracting again finds exactly the msgids of the committed messages.pot."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg"]
        + ["-k", "_l", "-k", "N_", "-k", "NP_:1,2", "-o", str(fresh), "."],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    extracted = {str(m.id) for m in load(fresh) if m.id}
    committed = {str(m.id) for m in load(POT) if m.id}
    assert extracted - committed == set(), "run `make translations-update`"
    assert committed - extracted == set(), "run `make translations-update`"


@pytest.mark.parametrize("locale", CITIZEN_COMPLETE)
def test_catalogue_has_every_template_message(locale: str) -> None:
    """Each shipped catalogue was updated from the current template."""
    catalog = load(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    assert {str(m.id) for m in load(POT) if m.id} <= {str(m.id) for m in catalog if m.id}


@pytest.mark.parametrize("locale", CITIZEN_COMPLETE)
def test_citizen_pages_fully_translated(locale: str) -> None:
    """No message a citizen can see is untranslated or fuzzy (Leichte Sprache included)."""
    catalog = load(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    wanted = citizen_ids(load(POT))
    assert len(wanted) > 200
    untranslated = sorted(
        str(m.id) for m in catalog if str(m.id) in wanted and lacks_translation(m)
    )
    assert untranslated == []


@pytest.mark.parametrize("locale", CITIZEN_COMPLETE)
def test_placeholders_survive_translation(locale: str) -> None:
    """Every %(name)s of a msgid is in its translation (else formatting would fail)."""
    catalog = load(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    broken = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        for name in ("min", "max", "q", "v", "key", "days", "date", "title", "n", "total"):
            token = f"%({name})s"
            if (token in str(message.id)) != (token in str(message.string)):
                broken.append(str(message.id))
        # both sides must format with the same parameters
        if str(message.id).count("%%") != str(message.string).count("%%"):
            broken.append(str(message.id))
    assert broken == []


def test_english_catalogue_is_complete() -> None:
    """English covers the staff and workshop pages too (Turkish and Arabic: citizen pages)."""
    catalog = load(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po", "en")
    assert sorted(str(m.id) for m in catalog if m.id and lacks_translation(m)) == []


#: Abbreviations Leichte Sprache writes out („zum Beispiel“, „das heißt“ …).
ABBREVIATIONS = ("z. B.", "z.B.", "d. h.", "bzw.", "ggf.", "usw.", "evtl.", "ca.", "Nr.", "Abs.")


def test_leichte_sprache_writes_its_own_easy_texts() -> None:
    """The de@ls catalogue rewrites the citizen texts and spells out every abbreviation."""
    catalog = load(TRANSLATIONS / EASY_READ / "LC_MESSAGES" / "messages.po", EASY_READ)
    wanted = citizen_ids(load(POT))
    easy = [m for m in catalog if str(m.id) in wanted and not lacks_translation(m)]
    rewritten = [m for m in easy if m.string != m.id]
    assert len(rewritten) > 0.6 * len(wanted)  # short words ("Ja", "Weiter") may stay
    forms = [f for m in easy for f in (m.string if isinstance(m.string, tuple) else (m.string,))]
    assert [f for f in forms if any(a in f for a in ABBREVIATIONS)] == []
