"""The donor report for a period and a filter, as XLSX, DOCX or PDF.

Every figure comes from the cascade engine through ``cascade.access.suppression.release``,
which suppresses the whole report at once: the headline, the generations, reach by
gender and the institutes share their sums, so no hidden cell can be worked out from
another table of the same report.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cascade.access import suppression
from cascade.lib.numbers import format_number
from cascade.metrics.filters import Filters
from cascade.stories import exports
from cascade.stories.pngcharts import bar_chart


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    tables: list[Table]
    charts: list[tuple[str, bytes]]
    language: str


def _cell(value, lang: str):
    return format_number(value, lang) if isinstance(value, int) else value


def _percent(share, lang: str) -> str:
    return "–" if share is None else f"{format_number(round(share * 100), lang)}%"


def _scope(filters: Filters) -> str:
    parts = []
    if filters.region:
        from cascade.network.models import Region
        parts.append(str(Region.objects.get(code=filters.region)))
    for value in (filters.country, filters.partner, filters.manual):
        if value:
            parts.append(value)
    period = " – ".join(date_format(d, "DATE_FORMAT") for d in (filters.since, filters.until) if d)
    return ", ".join(parts + ([period] if period else [])) or _("the whole network")


def build(filters: Filters, lang: str = "en", exact: bool = False) -> Report:
    """The report for ``filters``; without ``exact`` (the default: it is written to be passed on
    to donors), periods are widened to whole quarters and small counts suppressed."""
    if not exact:
        filters = suppression.coarsen(filters)
    with translation.override(lang):
        return _build(filters, lang, exact)


def _build(filters: Filters, lang: str, exact: bool) -> Report:
    # One release for the whole report: a count hidden in one table stays hidden in every other.
    f = suppression.release(filters, exact=exact)
    h = f.headline
    withheld_note = _("Too few trainings match these filters to show how many people they reached "
                      "without pointing at someone.") if f.withheld else ""
    headline = Table(_("Headline figures"), [_("figure"), _("value")], [
        [_("institutes"), _cell(h["institutes"], lang)],
        [_("step-down trainings"), _cell(h["step_downs"], lang)],
        [_("people trained at institutes"), _cell(h["trained"], lang)],
        [_("trainers (trained at an institute, then led a step-down)"), _cell(h["trainers"], lang)],
        [_("trainer utilisation"), _percent(h["utilisation"], lang)],
        [_("median days from institute to first step-down"),
         "–" if h["median_days"] is None else format_number(h["median_days"], lang)],
        [_("total reach (named people and head-counts)"), _cell(h["reach"], lang)],
    ])

    rows = f.generations
    generations = Table(_("Reach by generation"), [
        _("generation"), _("trainings"), _("named people"), _("head-counts"), _("reach"), _("mean fidelity")])
    for r in rows:
        generations.rows.append([
            str(r["generation"]), _cell(r["trainings"], lang), _cell(r["people"], lang),
            _cell(r["headcount"], lang), _cell(r["reach"], lang), _percent(r["mean_fidelity"], lang),
        ])

    women_men = Table(_("Women and men reached"), [_("women"), _("men"), _("others or not stated"), _("total")],
                      [[*(_cell(row["total"], lang) for row in f.gender), _cell(f.gender_total, lang)]])

    # Trainings are events, not people: their counts are never suppressed.
    year_table = Table(_("Trainings per year"), [_("year"), _("institutes"), _("step-down trainings"), _("total")])
    for row in f.per_year:
        year_table.rows.append([str(row["year"]), _cell(row["institutes"], lang), _cell(row["step_downs"], lang),
                                _cell(row["institutes"] + row["step_downs"], lang)])

    institutes = Table(_("Institutes"), [_("dates"), _("place"), _("host"), _("participants")])
    for row in f.institutes:
        t = row["training"]
        dates = date_format(t.start_date, "DATE_FORMAT") + (
            f" – {date_format(t.end_date, 'DATE_FORMAT')}" if t.end_date and t.end_date != t.start_date else "")
        institutes.rows.append([dates, ", ".join(x for x in (t.city, t.country.name) if x),
                                str(t.host or ""), _cell(row["participants"], lang)])

    charts = []
    if rows:
        # A chart draws shown figures only: a hidden one is written ("<5", "*"), never drawn to its length.
        charts.append((_("Reach by generation"), bar_chart(
            _("Reach by generation"), [str(r["generation"]) for r in rows],
            {_("trainings"): [r["trainings"] for r in rows],
             _("reach"): [r["reach"] for r in rows]})))
    if f.per_year:
        charts.append((_("Trainings per year"), bar_chart(
            _("Trainings per year"), [str(row["year"]) for row in f.per_year],
            {_("institutes"): [row["institutes"] for row in f.per_year],
             _("step-down trainings"): [row["step_downs"] for row in f.per_year]})))
    note = "" if exact else _("Counts from 1 to 4 are shown as “<5”, and a cell that would reveal one by "
                              "subtraction as “*”, to protect the people in them. Periods are whole quarters.")
    partner_note = _("A partner's figures count its cascade: the institutes it hosted or co-organised and every "
                     "step-down grown from them. A step-down grown from two partners' institutes counts for both, "
                     "so partners' figures do not add up to the network's.") if filters.partner else ""
    note = " ".join(x for x in (note, withheld_note, partner_note) if x)
    return Report(_("Report to donors"), _scope(filters) + (f". {note}" if note else ""),
                  [headline, generations, women_men, year_table, institutes], charts, lang)


# --- output -------------------------------------------------------------------------

def to_document(report: Report) -> exports.Document:
    document = exports.Document(report.language, [
        exports.Block("title", report.title), exports.Block("paragraph", report.subtitle)])
    for table in report.tables:
        document.blocks.append(exports.Block("heading", table.title))
        if table.rows:
            document.blocks.append(exports.Block("table", rows=[table.header, *[[str(c) for c in r] for r in table.rows]]))
        else:
            document.blocks.append(exports.Block("paragraph", _("Nothing in this period.")))
    for title, png in report.charts:
        document.blocks.append(exports.Block("heading", title))
        document.blocks.append(exports.Block("image", image=png))
    return document


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as SheetImage
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Report")[:31]
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([report.subtitle])
    for table in report.tables:
        sheet.append([])
        sheet.append([table.title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.append(table.header)
        for row in table.rows:
            sheet.append([_raw(c) for c in row])
    sheet.column_dimensions["A"].width = 48
    for title, png in report.charts:
        chart_sheet = book.create_sheet(title[:31])
        picture = SheetImage(io.BytesIO(png))
        picture.width, picture.height = 800, 400
        chart_sheet.add_image(picture, "A1")
    from cascade.lib.sheets import neutralise_formulas

    neutralise_formulas(book)  # partner, country and manual names are typed by people
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _raw(value):
    """Numbers stay numbers in a spreadsheet; "<5", "*" and labels stay text."""
    text = str(value).replace("\xa0", "").replace(",", "").replace(" ", "")
    return int(text) if text.isdigit() else value


def render(report: Report, fmt: str) -> bytes:
    if fmt == "xlsx":
        return to_xlsx(report)
    document = to_document(report)
    return exports.to_docx(document) if fmt == "docx" else exports.to_pdf(document)
