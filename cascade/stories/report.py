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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cascade.access import suppression
from cascade.jobs.progress import Progress
from cascade.lib.charts import Chart, chart
from cascade.lib.numbers import format_number
from cascade.lib.translated import pick
from cascade.metrics.filters import Filters
from cascade.stories import exports

#: The report's formats and their content types (the page's links, the job's file).
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

# The phases a long report shows (a job's page, a terminal's bar).
FIGURES = gettext_lazy("Computing the figures")
CHARTS = gettext_lazy("Drawing the charts")
WRITING = gettext_lazy("Writing the file")


@dataclass(frozen=True)
class Share:
    """A share (0.25 is 25 %), or None where there is none: a percentage in every output."""

    value: float | None


@dataclass
class Table:
    """One table of the report. Cells keep their kind: an int is a count (a number in the XLSX,
    grouped the reader's way in DOCX and PDF), a :class:`Share` a percentage, a str is text
    (labels, and "<5" or "*" where a count is hidden)."""

    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    key: str = ""  # a name that does not depend on the language: "headline", "generations", ...
    # why each hidden count is hidden, one line each ("men: 130–139 — a range, so that ..."), under the table
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    tables: list[Table]
    charts: list[Chart]  # each drawn as a PNG in DOCX and PDF, natively in XLSX
    language: str
    filters: Filters | None = None


def _text(value, lang: str) -> str:
    """A cell as DOCX and PDF print it."""
    if isinstance(value, Share):
        return "–" if value.value is None else f"{format_number(round(value.value * 100), lang)}%"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value, lang)
    return str(value)


def _day(value) -> str:
    """A day in the active language, as the stories write it in Russian, Kazakh and Kyrgyz
    ("2019 жылғы 1 қаңтар", "2019-жылдын 1-январы"), else the locale's DATE_FORMAT."""
    from cascade.stories.writers import full_date

    return full_date(value.isoformat(), translation.get_language() or "en")


def scope(filters: Filters) -> str:
    """What the report covers, in the reader's language: region, country, partner, manual, period."""
    from cascade.curriculum.models import Manual
    from cascade.lib.names import country_name
    from cascade.network.models import Organization, Region

    parts = []
    if filters.region:
        parts.append(str(Region.objects.get(code=filters.region)))
    if filters.country:
        parts.append(country_name(filters.country))
    if filters.partner_id:
        parts.append(Organization.objects.get(pk=filters.partner_id).name_in())
    if filters.manual_id:
        parts.append(pick(Manual.objects.get(pk=filters.manual_id).title))
    since, until = (_day(d) if d else None for d in (filters.since, filters.until))
    if since and until:
        parts.append(_("period: %(since)s – %(until)s") % {"since": since, "until": until})
    elif since:
        parts.append(_("period: from %(since)s") % {"since": since})
    elif until:
        parts.append(_("period: until %(until)s") % {"until": until})
    scope = ", ".join(parts) or _("the whole network")
    return scope[:1].upper() + scope[1:]


def build(filters: Filters, lang: str = "en", exact: bool = False, progress: Progress | None = None) -> Report:
    """The report for ``filters``; without ``exact`` (the default: it is written to be passed on
    to donors), periods are widened to whole quarters and small counts suppressed."""
    if not exact:
        filters = suppression.coarsen(filters)
    (progress or Progress()).phase(FIGURES)
    with translation.override(lang):
        return _build(filters, lang, exact)


def _build(filters: Filters, lang: str, exact: bool) -> Report:
    # One release for the whole report: a count hidden in one table stays hidden in every other.
    f = suppression.release(filters, exact=exact)
    h = f.headline
    withheld_note = _("Too few trainings match these filters to show how many people they reached "
                      "without pointing at someone.") if f.withheld else ""
    headline = Table(_("Headline figures"), [_("figure"), _("value")], [
        [_("institutes"), h["institutes"]],
        [_("step-down trainings"), h["step_downs"]],
        [_("people trained at institutes"), h["trained"]],
        [_("trainers (trained at an institute, then led a step-down)"), h["trainers"]],
        [_("trainer utilisation"), Share(h["utilisation"])],
        [_("median days from institute to first step-down"),
         "–" if h["median_days"] is None else h["median_days"]],
        [_("total reach (named people and head-counts)"), h["reach"]],
    ], key="headline")

    rows = f.generations
    generations = Table(_("Reach by generation"), [
        _("generation"), _("trainings"), _("named people"), _("head-counts"), _("reach"), _("mean fidelity")],
        key="generations")
    for r in rows:
        generations.rows.append([str(r["generation"]), r["trainings"], r["people"], r["headcount"], r["reach"],
                                 Share(r["mean_fidelity"])])

    women_men = Table(_("Women and men reached"), [_("women"), _("men"), _("others or not stated"), _("total")],
                      [[*(row["total"] for row in f.gender), f.gender_total]], key="gender")

    # Trainings are events, not people: their counts are never suppressed. The engine's rows
    # run from the first year to the last with empty years as zeros, so the axis has no gap.
    year_table = Table(_("Trainings per year"), [_("year"), _("institutes"), _("step-down trainings"), _("total")],
                       key="years")
    for row in f.per_year:
        year_table.rows.append([str(row["year"]), row["institutes"], row["step_downs"],
                                row["institutes"] + row["step_downs"]])

    institutes = Table(_("Institutes"), [_("dates"), _("place"), _("host"), _("participants")], key="institutes")
    for row in f.institutes:
        t = row["training"]
        dates = _day(t.start_date) + (f" – {_day(t.end_date)}" if t.end_date and t.end_date != t.start_date else "")
        institutes.rows.append([dates, _place(t, lang), _host(t.host, lang), row["participants"]])

    # One measure per chart: trainings (tens) and people (thousands) never share a scale.
    # A chart draws shown figures only: a hidden one ("<5", "*") is written, never drawn.
    charts = []
    if f.per_year:
        charts.append(chart(_("Trainings per year"), "trainings", _("trainings"),
                            [str(row["year"]) for row in f.per_year],
                            {_("institutes"): [row["institutes"] for row in f.per_year],
                             _("step-down trainings"): [row["step_downs"] for row in f.per_year]},
                            kinds=("institute", "step-down"), category_label=_("year"), table="years"))
    if rows:
        labels = [str(r["generation"]) for r in rows]
        charts.append(chart(_("Trainings by generation"), "trainings", _("trainings"), labels,
                            {_("trainings"): [r["trainings"] for r in rows]}, kinds=("trainings",),
                            category_label=_("generation"), table="generations"))
        charts.append(chart(_("People reached by generation"), "people", _("people"), labels,
                            {_("reach"): [r["reach"] for r in rows]}, kinds=("reach",),
                            category_label=_("generation"), table="generations"))
    for table, labels in ((headline, 1), (generations, 1), (women_men, 0), (institutes, 2)):
        table.notes = hidden_notes(table, labels, f.withheld)
    note = "" if exact else _("Counts from 1 to 4 are shown as “<5”, and a cell that would reveal one by "
                              "subtraction as “*”, to protect the people in them. Periods are whole quarters.")
    partner_note = _("A partner's figures count its cascade: the institutes it hosted or co-organised and every "
                     "step-down grown from them. A step-down grown from two partners' institutes counts for both, "
                     "so partners' figures do not add up to the network's.") if filters.partner else ""
    note = " ".join(x for x in (note, withheld_note, partner_note) if x)
    covers = scope(filters)
    if note:  # "… 31 декабря 2019 г." ends with its own full stop
        covers = f"{covers}{'' if covers.endswith('.') else '.'} {note}"
    return Report(_("Report to donors"), covers,
                  [headline, generations, women_men, year_table, institutes], charts, lang, filters)


def _place(training, lang: str) -> str:
    """ "Шымкент, Казахстан": the place in the report's language (else the city as typed), the
    country's name in the nominative."""
    from cascade.lib.names import country_name

    return ", ".join(x for x in (training.place_name(lang), country_name(training.country_id, lang)) if x)


def _host(org, lang: str) -> str:
    """The host as the report's language names it: its short name there, else its name there
    (a Latin acronym only where the organisation has no name in that language)."""
    from cascade.stories.facts import organisation_names

    if not org:
        return ""
    name, short = organisation_names(org, lang)
    return short or name


def hidden_notes(table: Table, labels: int, withheld: bool) -> list[str]:
    """One line for each count of ``table`` that is not shown exactly, saying which and why.

    ``labels``: how many leading columns name the row (none for a one-row table).
    """
    notes = []
    for row in table.rows:
        name = ", ".join(str(cell) for cell in row[:labels] if cell)
        if table.key == "generations":
            name = f"{table.header[0]} {name}"
        for header, value in zip(table.header[labels:], row[labels:]):
            code = suppression.reason(value, withheld) if isinstance(value, str) else None
            if code:
                figure = name if table.key == "headline" else ", ".join(x for x in (name, str(header)) if x)
                notes.append(_("%(figure)s: %(shown)s — %(why)s") % {
                    "figure": figure, "shown": value, "why": suppression.reasons()[code]})
    return notes


# --- output -------------------------------------------------------------------------

def to_document(report: Report, progress: Progress | None = None) -> exports.Document:
    from cascade.stories.pngcharts import bar_chart

    progress = progress or Progress()
    document = exports.Document(report.language, [
        exports.Block("title", report.title), exports.Block("paragraph", report.subtitle)])
    for table in report.tables:
        document.blocks.append(exports.Block("heading", table.title))
        if table.rows:
            document.blocks.append(exports.Block("table", rows=[
                table.header, *[[_text(c, report.language) for c in r] for r in table.rows]]))
        else:
            document.blocks.append(exports.Block("paragraph", _("Nothing in this period.")))
        for line in table.notes:
            document.blocks.append(exports.Block("paragraph", line))
    progress.phase(CHARTS, total=len(report.charts))
    for figure in report.charts:
        document.blocks.append(exports.Block("heading", figure.title))
        document.blocks.append(exports.Block("image", image=bar_chart(figure, report.language)))
        progress.advance()
    return document


def file_name(report: Report, fmt: str, today=None) -> str:
    """The download's name: the filters it covers and the day it was made, in ASCII so that
    every browser and mail program keeps it, e.g.
    ``cascade-report_country-KZ_2019-01-01-to-2019-12-31_2026-12-02.xlsx``."""
    import re

    from django.utils import timezone

    filters = report.filters or Filters()
    parts = [f"{name}-{value}" for name, value in filters.as_dict().items() if name not in ("since", "until")]
    if filters.since and filters.until:
        parts.append(f"{filters.since}-to-{filters.until}")
    elif filters.since or filters.until:
        parts.append(f"from-{filters.since}" if filters.since else f"until-{filters.until}")
    parts = [re.sub(r"[^A-Za-z0-9.-]+", "-", part).strip("-") for part in parts or ["whole-network"]]
    return "_".join(["cascade-report", *parts, (today or timezone.localdate()).isoformat()]) + f".{fmt}"


def to_xlsx(report: Report, progress: Progress | None = None) -> bytes:
    """One sheet per table, numbers stored as numbers, and each chart as a native Excel chart.

    The first sheet says what the report covers. Each chart sits on the sheet of its table
    and reads its own columns beside it ("as drawn"), where a hidden count is an empty cell:
    a spreadsheet draws text as zero, and a hidden figure must not be drawn at all."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from cascade.lib.sheets import neutralise_formulas, sheet_title

    progress = progress or Progress()
    progress.phase(WRITING, total=len(report.tables))
    book = Workbook()
    about = book.active
    about.title = sheet_title(_("Report"), [])
    about.append([report.title])
    about["A1"].font = Font(bold=True, size=14)
    about.append([report.subtitle])
    about["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    about.append([])
    about.append([_("Tables")])
    about.cell(about.max_row, 1).font = Font(bold=True)
    about.column_dimensions["A"].width = 90
    about.sheet_properties.pageSetUpPr.fitToPage = True  # the long subtitle printed one page wide
    about.page_setup.fitToWidth, about.page_setup.fitToHeight = 1, 0
    sheets = {}
    for table in report.tables:
        sheet = book.create_sheet(sheet_title(table.title, book.sheetnames))
        sheets[table.key or table.title] = sheet
        about.append([table.title])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(table.header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        if not table.rows:
            sheet.append([_("Nothing in this period.")])
        for row in table.rows:
            sheet.append([_xlsx_value(c) for c in row])
            for cell, value in zip(sheet[sheet.max_row], row):
                if value == "–" or isinstance(value, str) and suppression.reason(value) or \
                        isinstance(value, Share) and value.value is None:
                    cell.alignment = Alignment(horizontal="right")  # "<5", "*", a range and "–" where a number would be
                if isinstance(value, Share) and value.value is not None:
                    cell.number_format = "0%"
                elif isinstance(value, int) and not isinstance(value, bool):
                    cell.number_format = "#,##0"
                elif isinstance(value, float):
                    cell.number_format = "#,##0.0"
        for line in table.notes:  # why each hidden count is hidden, in words
            sheet.append([line])
            sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=False)
        sheet.column_dimensions["A"].width = 48 if table.key == "headline" else 24
        sheet.sheet_properties.pageSetUpPr.fitToPage = True  # printed one page wide
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        for letter in "BCDEF":
            sheet.column_dimensions[letter].width = 16
        progress.advance()
    progress.phase(CHARTS, total=len(report.charts))
    for figure in report.charts:
        _native_chart(sheets[figure.table], figure)
        progress.advance()
    progress.phase(WRITING)
    if report.language.split("-")[0] in exports.RTL:
        for sheet in book.worksheets:  # Arabic and Persian sheets read from the right
            sheet.sheet_view.rightToLeft = True
    neutralise_formulas(book)  # partner, country and manual names are typed by people
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, Share):
        return "–" if value.value is None else value.value
    if isinstance(value, str):
        return str(value)  # a range ("130–139") as plain text
    return value


def _native_chart(sheet, figure: Chart) -> None:
    """``figure`` as an Excel bar chart on ``sheet``, below the table, from its own columns
    ("as drawn": a hidden count is an empty cell, a gap in the chart)."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.styles import Font

    from cascade.stories.pngcharts import colour

    top = sheet.max_row + 2
    sheet.cell(top, 1, _("%(chart)s, as drawn (hidden counts left empty)") % {"chart": figure.title}).font = \
        Font(bold=True)
    header = top + 1
    sheet.cell(header, 1, figure.category_label).font = Font(bold=True)
    for offset, series in enumerate(figure.series, start=2):
        sheet.cell(header, offset, series.name).font = Font(bold=True)
    for index, label in enumerate(figure.categories, start=1):
        sheet.cell(header + index, 1, label)
        for offset, series in enumerate(figure.series, start=2):
            value = series.drawn()[index - 1]
            if value is not None:
                sheet.cell(header + index, offset, value).number_format = "#,##0"
    last = header + len(figure.categories)

    bars = BarChart()
    bars.type, bars.grouping = "col", "clustered"
    bars.title = figure.title
    bars.y_axis.title, bars.x_axis.title = figure.axis_label, figure.category_label
    bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, figure.top
    bars.y_axis.majorUnit = figure.ticks[1] - figure.ticks[0]
    bars.y_axis.numFmt = "#,##0"
    bars.x_axis.delete = bars.y_axis.delete = False
    bars.display_blanks = "gap"
    bars.add_data(Reference(sheet, min_col=2, max_col=1 + len(figure.series), min_row=header, max_row=last),
                  titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
    for index, (drawn, series) in enumerate(zip(bars.series, figure.series)):
        drawn.graphicalProperties.solidFill = colour(series, index).lstrip("#")
        drawn.graphicalProperties.line.solidFill = colour(series, index).lstrip("#")
    bars.dataLabels = DataLabelList()
    bars.dataLabels.showVal = True
    bars.dataLabels.showSerName = bars.dataLabels.showCatName = bars.dataLabels.showLegendKey = False
    if len(figure.series) > 1:
        bars.legend.position = "b"
    else:
        bars.legend = None
    bars.width, bars.height = 17, 8.5
    sheet.add_chart(bars, f"A{last + 2}")
    sheet.cell(last + 20, 1, None)  # the chart's 18 rows: a second chart starts below it


def render(report: Report, fmt: str, progress: Progress | None = None) -> bytes:
    """The file in the report's language, whatever the caller's (the command runs in English):
    its sheet names, "Tables", "Nothing in this period." and the charts' columns too."""
    progress = progress or Progress()
    with translation.override(report.language):
        if fmt == "xlsx":
            return to_xlsx(report, progress)
        document = to_document(report, progress)
        progress.phase(WRITING)
        return exports.to_docx(document) if fmt == "docx" else exports.to_pdf(document)
