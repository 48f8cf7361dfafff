"""The council annex as a Word document (python-docx); every text is written as a plain run."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from surveys.i18n import N_
from surveys.workshop.annex import Annex


def _page_number_field(paragraph: Paragraph) -> None:
    """Append a ``PAGE`` field (the page number Word fills in) to ``paragraph``."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def annex_docx(annex: Annex) -> bytes:
    """Return the annex as DOCX bytes: a heading per field, per goal a table per measure."""
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10.5)
    core = document.core_properties
    core.title = annex.title
    core.language = "de-DE"

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{annex.subtitle} – {annex.gettext(N_('Seite'))} ")
    _page_number_field(footer)

    document.add_heading(annex.title, level=0)
    document.add_paragraph(annex.subtitle)
    document.add_paragraph(annex.summary)
    for field_section in annex.sections:
        document.add_heading(annex.field_heading(field_section.field), level=1)
        for goal in field_section.goals:
            document.add_heading(annex.goal_heading(goal), level=2)
            if goal.description:
                document.add_paragraph(goal.description)
            for measure in goal.measures:
                document.add_heading(annex.measure_heading(measure), level=3)
                rows = annex.rows(measure)
                table = document.add_table(rows=len(rows), cols=2)
                table.style = "Table Grid"
                for row, (label, value) in zip(table.rows, rows, strict=True):
                    label_cell, value_cell = row.cells
                    label_cell.width, value_cell.width = Cm(4.5), Cm(12.1)
                    label_cell.paragraphs[0].add_run(label).bold = True
                    value_cell.paragraphs[0].add_run(value)
                document.add_paragraph()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
