"""Rendering of the workshop's print documents (HTML templates → PDF with WeasyPrint)."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from app.config import PROJECT_ROOT

PRINT_CSS = PROJECT_ROOT / "app" / "static" / "workshop" / "print.css"


def render_pdf(template: str, **context: Any) -> bytes:
    """Render ``template`` (autoescaped HTML) to PDF bytes with the print style sheet."""
    from weasyprint import CSS, HTML

    html = render_template(template, **context)
    document = HTML(string=html, base_url=str(PROJECT_ROOT))
    stylesheet = CSS(filename=str(PRINT_CSS))
    pdf = document.write_pdf(stylesheets=[stylesheet])
    if pdf is None:  # pragma: no cover - only when a target file is given
        current_app.logger.error("WeasyPrint returned no PDF")
        return b""
    return bytes(pdf)
