"""The donor report for a period and a filter, as XLSX, DOCX or PDF.

Every figure comes from the cascade engine (through ``stories.figures``); every
count a donor sees passes small-cell suppression first (``cascade.access.suppression``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cascade.access import suppression
from cascade.lib.numbers import format_number
from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.stories import exports, figures
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


def suppress(counts: list[list[int]], exact: bool) -> suppression.Table:
    """The one hook between donor reports and the data-protection rules."""
    return suppression.suppress_table(counts, exact=exact)


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
    with translation.override(lang):
        return _build(filters, lang, exact)


def _build(filters: Filters, lang: str, exact: bool) -> Report:
    f = figures.report_figures(filters)
    show = lambda n: _cell(suppression.show_count(n, exact), lang)  # noqa: E731
    headline = Table(_("Headline figures"), [_("figure"), _("value")], [
        [_("institutes"), _cell(f["institutes"], lang)],
        [_("step-down trainings"), _cell(f["step_downs"], lang)],
        [_("people trained at institutes"), show(f["people_trained_at_institutes"])],
        [_("trainers (trained at an institute, then led a step-down)"), show(f["trainers"])],
        [_("trainer utilisation"), _percent(f["trainer_utilisation"], lang)],
        [_("median days from institute to first step-down"),
         "–" if f["median_days_to_first_step_down"] is None else format_number(f["median_days_to_first_step_down"], lang)],
        [_("total reach (named people and head-counts)"), show(f["total_reach"])],
    ])

    rows = f["generations"]
    grid = suppress([[r["people"], r["headcount"]] for r in rows], exact) if rows else None
    generations = Table(_("Reach by generation"), [
        _("generation"), _("trainings"), _("named people"), _("head-counts"), _("reach"), _("mean fidelity")])
    for index, r in enumerate(rows):
        generations.rows.append([
            str(r["generation"]), _cell(r["trainings"], lang), _cell(grid.cells[index][0], lang),
            _cell(grid.cells[index][1], lang), _cell(grid.row_totals[index], lang),
            _percent(r["mean_fidelity"], lang),
        ])

    by_gender = reach_by_gender(filters)
    gender_grid = suppress([[by_gender["women"], by_gender["men"], by_gender["other"]]], exact)
    women_men = Table(_("Women and men reached"), [_("women"), _("men"), _("others or not stated"), _("total")],
                      [[*(_cell(c, lang) for c in gender_grid.cells[0]), _cell(gender_grid.row_totals[0], lang)]])

    per_year = trainings_per_year(filters)
    years = sorted(per_year)
    # Trainings are events, not people: their counts are never suppressed.
    year_table = Table(_("Trainings per year"), [_("year"), _("institutes"), _("step-down trainings"), _("total")])
    for year in years:
        counts = per_year[year]
        year_table.rows.append([str(year), _cell(counts["institute"], lang), _cell(counts["step-down"], lang),
                                _cell(counts["institute"] + counts["step-down"], lang)])

    institutes = Table(_("Institutes"), [_("dates"), _("place"), _("host"), _("participants")])
    for t in figures.institutes(filters).annotate(n=Count("participations", filter=_participants())):
        dates = date_format(t.start_date, "DATE_FORMAT") + (
            f" – {date_format(t.end_date, 'DATE_FORMAT')}" if t.end_date and t.end_date != t.start_date else "")
        institutes.rows.append([dates, ", ".join(x for x in (t.city, t.country.name) if x),
                                str(t.host or ""), show(t.n)])

    charts = []
    if rows:
        charts.append((_("Reach by generation"), bar_chart(
            _("Reach by generation"), [str(r["generation"]) for r in rows],
            {_("trainings"): [r["trainings"] for r in rows],
             _("reach"): list(grid.row_totals)})))
    if years:
        charts.append((_("Trainings per year"), bar_chart(
            _("Trainings per year"), [str(y) for y in years],
            {_("institutes"): [per_year[y]["institute"] for y in years],
             _("step-down trainings"): [per_year[y]["step-down"] for y in years]})))
    note = "" if exact else _("Counts from 1 to 4 are shown as “<5”, and a cell that would reveal one by "
                              "subtraction as “*”, to protect the people in them.")
    return Report(_("Report to donors"), _scope(filters) + (f". {note}" if note else ""),
                  [headline, generations, women_men, year_table, institutes], charts, lang)


def _participants():
    from django.db.models import Q
    return Q(participations__role="participant")


def reach_by_gender(filters: Filters) -> dict[str, int]:
    """Named people by gender plus the unnamed head-counts of the same trainings."""
    people = engine.people_behind("people", filters).values("gender").annotate(n=Count("id"))
    named = {row["gender"]: row["n"] for row in people}
    counts = figures.trainings(filters).aggregate(w=Sum("women_count"), m=Sum("men_count"), o=Sum("other_count"))
    return {
        "women": named.get("woman", 0) + (counts["w"] or 0),
        "men": named.get("man", 0) + (counts["m"] or 0),
        "other": named.get("other", 0) + named.get("not stated", 0) + (counts["o"] or 0),
    }


def trainings_per_year(filters: Filters) -> dict[int, dict[str, int]]:
    rows = figures.trainings(filters).annotate(year=ExtractYear("start_date")).values("year", "kind").annotate(n=Count("id"))
    years: dict[int, dict[str, int]] = {}
    for row in rows:
        years.setdefault(row["year"], {"institute": 0, "step-down": 0})[row["kind"]] = row["n"]
    return years


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
