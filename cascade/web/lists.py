"""Lists people can work with: sorted by any column, paged above and below, downloaded as CSV or XLSX.

A list declares its columns once (:class:`Column`: key, translated label, how the database
sorts it, the value a download writes). :class:`Listing` binds the declaration to a request:
it reads ``?sort=col`` / ``?sort=-col`` against the columns (an unknown key is ignored), sorts
with a stable tie-breaker, pages, and makes the header links and the download links, which keep
every filter of the address so that a sorted, filtered list can be shared as a link.

A download (``?format=csv`` or ``?format=xlsx``) holds exactly the rows the page lists, every
page of them, with the page's columns and values: the view makes both from the same queryset
and the same row preparation (scoping by ``cascade.access``, ranges for donors from
``cascade.access.suppression``). The file is written by :func:`cascade.web.services.download_list`,
which checks the rule and writes the audit log.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Callable

from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, TextField, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import ngettext

from cascade.lib.translated import FALLBACK_LANGUAGE, REGIONAL_FALLBACKS

PAGE_SIZE = 50
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    """One column: ``order`` makes the database expressions it sorts by (ascending), or is None
    when the column cannot be sorted; ``value(row)`` is what a download writes in its cell."""

    key: str
    label: object
    value: Callable
    order: Callable | None = None
    numeric: bool = False
    shown: bool = True  # False: in the download only (a page cell split in two, such as an end date)
    heading: object = None  # the download's header, where it differs from the page's (a split cell)


def by(*fields) -> Callable:
    """Sort by these fields or expressions, in this order; a function among them (``country_name``)
    makes its expression only when the list is sorted by the column."""
    return lambda: [f() if callable(f) else f for f in fields]


def translated(field: str, fallback: str = "key", *, own_language: bool = False) -> object:
    """A translated field (``{language: text}``) as the reader reads it, for sorting: her language,
    its base, the region's lingua franca, English, then ``fallback`` (as ``cascade.lib.translated.pick``);
    ``own_language``: her language or its base only, then ``fallback`` (as ``Organization.name_in``)."""
    language = (translation.get_language() or FALLBACK_LANGUAGE).lower()
    base = language.split("-")[0]
    codes = (language, base) if own_language else (
        language, base, *REGIONAL_FALLBACKS.get(base, ()), FALLBACK_LANGUAGE)
    return Lower(Coalesce(*(NullIf(KeyTextTransform(code, field), Value(""))
                            for code in dict.fromkeys(codes)), F(fallback), output_field=TextField()))


def country_name(field: str = "country") -> object:
    """A country by its name in the reader's language (names are not stored: they follow the
    reader), as its rank in the reader's alphabetical order (cascade.lib.collation): the
    database's own collation would put "Әзербайжан" after "Я"."""
    from cascade.lib.collation import sorted_by_name
    from cascade.lib.names import country_name as name
    from cascade.network.models import Country

    codes = sorted_by_name(Country.objects.values_list("code", flat=True), name)
    return Case(*(When(**{f"{field}_id": code}, then=Value(rank)) for rank, code in enumerate(codes)),
                default=Value(-1), output_field=IntegerField())


def choice_label(field: str, choices) -> object:
    """A field with choices by its label in the reader's language (as the page shows it)."""
    return Case(*(When(**{field: value}, then=Value(str(label).lower())) for value, label in choices),
                default=Value(""), output_field=TextField())


class Listing:
    """One request's view of a list: its sort, its page, its header and download links."""

    def __init__(self, request, name: str, title, columns: list[Column], queryset, *, default: str,
                 tiebreak: tuple = ("pk",), prepare: Callable | None = None):
        self.request, self.name, self.title, self.columns = request, name, title, columns
        self.prepare = prepare or (lambda rows: rows)
        self.sort, self.descending = self._parse(request.GET.get("sort", ""), default)
        column = self._column(self.sort)
        expressions = column.order()
        ordered = [e.desc() if self.descending else e.asc()
                   for e in (F(x) if isinstance(x, str) else x for x in expressions)]
        tie = [F(f[1:]).desc() if f.startswith("-") else F(f).asc() for f in tiebreak]
        self.queryset = queryset.order_by(*ordered, *tie)
        self.page = Paginator(self.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        self.page.object_list = self.prepare(list(self.page.object_list))

    def _column(self, key):
        return next(c for c in self.columns if c.key == key)

    def _parse(self, value: str, default: str) -> tuple[str, bool]:
        """``col`` or ``-col`` among the sortable columns; anything else is the list's default."""
        for text in (value, default):
            key = text[1:] if text.startswith("-") else text
            if any(c.key == key and c.order and c.shown for c in self.columns):
                return key, text.startswith("-")
        raise ValueError(f"The default sort {default!r} names no sortable column.")

    # --- Links ---------------------------------------------------------------------------

    def _link(self, **changes) -> str:
        params = self.request.GET.copy()
        for key in ("page", "format"):
            params.pop(key, None)
        for key, value in changes.items():
            params[key] = value
        return "?" + params.urlencode()

    @property
    def query(self) -> str:
        """The address's parameters without the page (for the pager's links)."""
        return self._link()[1:]

    @property
    def headers(self) -> list[dict]:
        found = []
        for column in self.columns:
            if not column.shown:
                continue
            active = column.key == self.sort
            descending = active and self.descending
            found.append({
                "key": column.key, "label": column.label, "numeric": column.numeric,
                "sortable": column.order is not None, "active": active,
                "aria": ("descending" if descending else "ascending") if active else "",
                # a second click on the sorted column turns it round
                "url": self._link(sort=("" if descending or not active else "-") + column.key),
            })
        return found

    def download_url(self, fmt: str) -> str:
        return self._link(format=fmt)

    @property
    def csv_url(self) -> str:
        return self.download_url("csv")

    @property
    def xlsx_url(self) -> str:
        return self.download_url("xlsx")

    @property
    def download_label(self) -> str:
        """"Download these 120 trainings": what the files hold (every page, not only this one)."""
        count = self.count
        return DOWNLOAD_LABELS[self.name](count) % {"count": number_format(count, force_grouping=True)}

    @property
    def count(self) -> int:
        return self.page.paginator.count

    # --- Downloads -----------------------------------------------------------------------

    @property
    def wanted(self) -> str | None:
        """The download asked for (``?format=csv`` or ``xlsx``), if any."""
        fmt = self.request.GET.get("format", "")
        return fmt if fmt in FORMATS else None

    def rows(self):
        """Every row of the list (all pages), prepared as the page prepares its rows."""
        return self.prepare(list(self.queryset))

    def table(self) -> tuple[list[str], list[list]]:
        header = [str(c.heading or c.label) for c in self.columns]  # in the page's language, as its headers
        return header, [[c.value(row) for c in self.columns] for row in self.rows()]

    def filters(self) -> dict:
        """What the list was narrowed by, for the audit log: parameter names and values, but a search's
        text only as "searched" (it may be someone's name)."""
        found = {}
        for key, value in self.request.GET.items():
            if key in ("page", "format") or not value:
                continue
            found[key] = "(searched)" if key == "q" else value
        return found

    def filename(self, fmt: str) -> str:
        return f"cascade-{self.name}-{timezone.localdate().isoformat()}.{fmt}"

    def download(self, obj=None) -> HttpResponse:
        """The answer to ``?format=``: the file of every row, made (and audited) by the service."""
        from . import services

        fmt = self.wanted
        name, data = services.download_list(self.request.user, self, fmt, obj)
        response = HttpResponse(data, content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def may_download(self, obj=None) -> bool:
        from cascade import access

        return access.can_download_list(self.request.user, self.name, obj)


DOWNLOAD_LABELS = {
    "trainings": lambda n: ngettext("Download this %(count)s training", "Download these %(count)s trainings", n),
    "people": lambda n: ngettext("Download this %(count)s person", "Download these %(count)s people", n),
    "partners": lambda n: ngettext("Download this %(count)s organisation",
                                   "Download these %(count)s organisations", n),
    "calls": lambda n: ngettext("Download this %(count)s call", "Download these %(count)s calls", n),
    "applications": lambda n: ngettext("Download this %(count)s application",
                                       "Download these %(count)s applications", n),
}


# --- Writing files (one way for every list) -------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return translation.gettext("yes") if value else translation.gettext("no")
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime.datetime) \
            else value.isoformat()
    return str(value)


def as_csv(header, rows) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads Cyrillic and Arabic right); a cell a spreadsheet
    would run as a formula starts with an apostrophe, as spreadsheets themselves mark text."""
    from cascade.lib.sheets import looks_like_formula

    out = io.StringIO()
    writer = csv.writer(out)
    for row in [header, *rows]:
        writer.writerow(["'" + v if looks_like_formula(v) else _text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(header, rows, title: str) -> bytes:
    """One sheet, the header bold and frozen; text that looks like a formula stays text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from cascade.lib.sheets import as_text, sheet_title

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(title, ())
    if (translation.get_language_bidi()):
        sheet.sheet_view.rightToLeft = True
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            as_text(cell)
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        width = max([len(str(name)), *(len(_text(r[index - 1])) for r in rows[:200])] or [8])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(max(width + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, datetime.date)) and not isinstance(value, bool):
        return value
    return _text(value)
