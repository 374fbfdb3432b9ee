"""The certificate PDF: one page in the holder's language, with its verification code.

fpdf2 with the bundled DejaVu Sans (Latin, Cyrillic, Georgian, Arabic script);
right-to-left languages are shaped when uharfbuzz is installed.
"""


from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _, pgettext

from cascade.lib.pdf import new_pdf
from cascade.lib.translated import pick


def training_dates(training) -> str:
    first = date_format(training.start_date, "DATE_FORMAT")
    if training.last_day == training.start_date:
        return first
    return f"{first} – {date_format(training.last_day, 'DATE_FORMAT')}"


def completed(gender: str) -> str:
    """"completed the training institute", with the verb in her or his gender where the language has one
    (Russian «прошла»/«прошёл», Arabic «أتمّت»/«أتمّ»), and both where the record does not say."""
    if gender == "woman":
        return pgettext("certificate, of a woman", "completed the training institute")
    if gender == "man":
        return pgettext("certificate, of a man", "completed the training institute")
    return pgettext("certificate, gender not known", "completed the training institute")


def render(certificate, verify_url: str) -> bytes:
    participation = certificate.participation
    person, training = participation.person, participation.training
    with translation.override(certificate.language):
        pdf = new_pdf(orientation="landscape", format="A4")
        pdf.set_title(_("Certificate"))
        pdf.add_page()
        pdf.set_draw_color(120, 40, 90)
        pdf.set_line_width(1.5)
        pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
        width = pdf.w - 40
        pdf.set_xy(20, 35)
        pdf.set_font("DejaVu", "B", 30)
        pdf.cell(width, 14, _("Certificate"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 14)
        pdf.set_x(20)
        pdf.cell(width, 18, _("This is to certify that"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "B", 24)
        pdf.set_x(20)
        pdf.multi_cell(width, 12, person.full_name, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 14)
        pdf.set_x(20)
        pdf.cell(width, 14, completed(person.gender), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "B", 18)
        pdf.set_x(20)
        pdf.multi_cell(width, 10, pick(training.title, certificate.language), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 13)
        place = ", ".join(part for part in [training.place_name(certificate.language), training.country.name] if part)
        pdf.set_x(20)
        pdf.cell(width, 10, f"{place} · {training_dates(training)}", align="C", new_x="LMARGIN", new_y="NEXT")
        if training.host:
            pdf.set_x(20)
            pdf.cell(width, 10, training.host.name_in(certificate.language), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.set_xy(20, pdf.h - 35)
        pdf.multi_cell(
            width, 6,
            _("Verification code: %(code)s. Check it at %(url)s") % {"code": certificate.code, "url": verify_url},
            align="C",
        )
        return bytes(pdf.output())
