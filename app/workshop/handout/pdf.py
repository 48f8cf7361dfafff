"""Rendering of the workshop's print documents (HTML templates → PDF with WeasyPrint)."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import gettext as _

from app.config import PROJECT_ROOT

PRINT_CSS = PROJECT_ROOT / "app" / "static" / "workshop" / "print.css"


def page_number_css() -> str:
    """CSS putting the translated ``Seite X von Y`` in the bottom right corner of each page."""
    label = str(_("Seite {page} von {pages}")).replace("\\", "").replace('"', "'")
    content = '"' + label + '"'
    content = content.replace("{page}", '" counter(page) "').replace(
        "{pages}", '" counter(pages) "'
    )
    return "@page { @bottom-right { content: " + content + "; } }"


def render_pdf(template: str, **context: Any) -> bytes:
    """Render ``template`` (autoescaped HTML) to PDF bytes with the print style sheet."""
    from weasyprint import CSS, HTML

    html = render_template(template, **context)
    document = HTML(string=html, base_url=str(PROJECT_ROOT))
    stylesheets = [CSS(filename=str(PRINT_CSS)), CSS(string=page_number_css())]
    return bytes(document.write_pdf(stylesheets=stylesheets) or b"")
