"""What the browser tests look at besides axe: optional screenshots and the width check.

Set ``FK_SCREENSHOTS=/some/dir`` to keep a full-page PNG of every state a test names; the file
is named after the test module and the state (``staff_flow-form.png``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot of ``page`` as ``name`` when FK_SCREENSHOTS is set."""
    folder = os.environ.get("FK_SCREENSHOTS")
    if not folder:
        return
    current = os.environ.get("PYTEST_CURRENT_TEST", "")
    module = Path(current.split("::", 1)[0]).stem.removeprefix("test_")
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(folder) / f"{module}-{name}.png"), full_page=True)


def no_horizontal_scroll(page: Any) -> bool:
    """Whether the page fits its viewport's width (nothing to scroll sideways)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
