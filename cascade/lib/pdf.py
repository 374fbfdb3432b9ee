"""A PDF page set up for every script our users write in, shared by stories and certificates.

fpdf2 with the bundled DejaVu Sans (Latin, Cyrillic, Georgian, Arabic; see
``fonts/LICENSE-DejaVu.txt``) and HarfBuzz shaping (uharfbuzz, a dependency) so
that Arabic and Persian letters join and lines run right to left.
"""

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"


def new_pdf(*, direction: str | None = None, **options) -> FPDF:
    """An FPDF document with the DejaVu family (regular "" and bold "B") and shaping on.

    ``direction`` "rtl" or "ltr" fixes the run direction of a whole document (a story
    in Persian); None lets HarfBuzz guess it per line (a certificate whose name may be
    in Latin letters while the rest is in Arabic)."""
    pdf = FPDF(**options)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_text_shaping(use_shaping_engine=True, direction=direction)
    pdf.set_creator("Cascade")
    return pdf
