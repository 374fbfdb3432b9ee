"""Stories and reports as HTML, DOCX and PDF, from one list of blocks.

DOCX through python-docx, PDF through fpdf2 with a bundled DejaVu Sans (Latin,
Cyrillic, Georgian, Arabic) and HarfBuzz shaping (uharfbuzz) so that Arabic and
Persian join and run right to left. Both install from PyPI alone: no system Pango.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import get_language_bidi, override

RTL = {"ar", "fa", "he", "ur"}
_PHOTO = re.compile(r"^\[photo (\d+)\]\s*(.*)$")


@dataclass
class Block:
    kind: str  # "title", "heading", "paragraph", "image", "table"
    text: str = ""
    image: bytes | None = None  # PNG or JPEG
    rows: list[list[str]] = field(default_factory=list)  # first row is the header


@dataclass
class Document:
    language: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def rtl(self) -> bool:
        with override(self.language):
            return get_language_bidi()

    @property
    def title(self) -> str:
        return next((b.text for b in self.blocks if b.kind == "title"), "")


def story_document(text: str, language: str, photos: dict[int, bytes] | None = None) -> Document:
    """Blocks of a draft's text: first line the title, blank-line paragraphs, photo lines."""
    photos = photos or {}
    document = Document(language)
    chunks = [chunk.strip() for chunk in text.replace("\r\n", "\n").split("\n\n") if chunk.strip()]
    for index, chunk in enumerate(chunks):
        if index == 0:
            document.blocks.append(Block("title", chunk.replace("\n", " ")))
            continue
        for line in chunk.split("\n") if _PHOTO.match(chunk) else [chunk]:
            match = _PHOTO.match(line)
            if match:
                image = photos.get(int(match.group(1)))
                if image:
                    document.blocks.append(Block("image", image=image))
                document.blocks.append(Block("caption", match.group(2)))
            else:
                document.blocks.append(Block("paragraph", " ".join(line.split("\n"))))
    return document


# --- HTML ------------------------------------------------------------------------

def to_html(document: Document, image_urls: list[str] | None = None) -> str:
    """A standalone page (inline styles, no assets): paste into a website or open in a browser."""
    parts, urls = [], list(image_urls or [])
    for block in document.blocks:
        if block.kind == "title":
            parts.append(f"<h1>{escape(block.text)}</h1>")
        elif block.kind == "heading":
            parts.append(f"<h2>{escape(block.text)}</h2>")
        elif block.kind == "paragraph":
            parts.append(f"<p>{escape(block.text)}</p>")
        elif block.kind == "caption":
            parts.append(f"<p><em>{escape(block.text)}</em></p>")
        elif block.kind == "image" and urls:
            parts.append(f'<p><img src="{escape(urls.pop(0))}" alt="" style="max-width:100%"></p>')
        elif block.kind == "table":
            head, *body = block.rows
            rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in body)
            parts.append("<table><thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in head)
                         + f"</tr></thead><tbody>{rows}</tbody></table>")
    direction = "rtl" if document.rtl else "ltr"
    return (f'<!doctype html>\n<html lang="{document.language}" dir="{direction}"><head><meta charset="utf-8">'
            f"<title>{escape(document.title)}</title></head>\n<body>\n" + "\n".join(parts) + "\n</body></html>\n")


# --- DOCX ------------------------------------------------------------------------

def to_docx(document: Document) -> bytes:
    from docx import Document as Docx
    from docx.shared import Cm

    docx = Docx()
    docx.core_properties.title = document.title
    docx.core_properties.language = document.language
    for block in document.blocks:
        if block.kind == "title":
            paragraph = docx.add_heading(block.text, level=1)
        elif block.kind == "heading":
            paragraph = docx.add_heading(block.text, level=2)
        elif block.kind == "paragraph":
            paragraph = docx.add_paragraph(block.text)
        elif block.kind == "caption":
            paragraph = docx.add_paragraph()
            paragraph.add_run(block.text).italic = True
        elif block.kind == "image":
            docx.add_picture(io.BytesIO(block.image), width=Cm(15))
            continue
        elif block.kind == "table":
            table = docx.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for index, row in enumerate(block.rows):
                cells = table.add_row().cells
                for cell, value in zip(cells, row):
                    cell.text = value
                    if index == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            continue
        else:
            continue
        if document.rtl:
            paragraph.paragraph_format.alignment = 2  # right
            for run in paragraph.runs:
                run.font.rtl = True
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------

def to_pdf(document: Document) -> bytes:
    from cascade.lib.pdf import new_pdf

    pdf = new_pdf(direction="rtl" if document.rtl else "ltr", format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(document.title)
    pdf.set_lang(document.language)
    pdf.add_page()
    align = "R" if document.rtl else "L"
    width = pdf.epw
    for index, block in enumerate(document.blocks):
        following = document.blocks[index + 1] if index + 1 < len(document.blocks) else None
        if block.kind == "heading" and following and following.kind == "image":
            # a chart's heading stays on the page of its chart
            from PIL import Image

            with Image.open(io.BytesIO(following.image)) as picture:
                needed = 16 + width * picture.height / picture.width
            if pdf.will_page_break(needed):
                pdf.add_page()
        if block.kind in ("title", "heading"):
            pdf.set_font("DejaVu", "B", 16 if block.kind == "title" else 13)
            pdf.multi_cell(width, 8, block.text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif block.kind in ("paragraph", "caption"):
            pdf.set_font("DejaVu", "", 10.5 if block.kind == "paragraph" else 9)
            pdf.multi_cell(width, 5.6, block.text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)
        elif block.kind == "image":
            pdf.image(io.BytesIO(block.image), w=width)
            pdf.ln(2)
        elif block.kind == "table":
            pdf.set_font("DejaVu", "", 9)
            with pdf.table(text_align=align, first_row_as_headings=True) as table:
                for row in block.rows:
                    table_row = table.row()
                    for value in row:
                        table_row.cell(value)
            pdf.ln(3)
    return bytes(pdf.output())
