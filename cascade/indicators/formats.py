"""Readers for the published layouts of women-in-parliament data.

Each reader turns a file into :class:`Row` objects dated as the publisher means them
(docs/indicators.md says how, layout by layout), and collects every problem of the
file rather than stopping at the first; nothing here writes. The layout is recognised
from the file's content, never from its name.
"""

from __future__ import annotations

import calendar
import collections
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _, ngettext

from cascade.indicators import reading
from cascade.indicators.models import WOMEN_IN_PARLIAMENT
from cascade.indicators.reading import Sheet

LOWER, UPPER = "lower", "upper"
CC_BY = "CC BY 4.0"
CC_BY_NC_SA = "CC BY-NC-SA 4.0"

WORLD_BANK = {
    "name": "World Bank, World Development Indicators (SG.GEN.PARL.ZS)",
    "url": "https://data.worldbank.org/indicator/SG.GEN.PARL.ZS",
    "licence": CC_BY,
}
UN_SDG = {
    "name": "UN SDG Global Database, indicator 5.5.1(a) ({series})",
    "url": "https://unstats.un.org/sdgs/dataportal/database",
    "licence": CC_BY,
}
IPU = {
    "name": "IPU Parline",
    "url": "https://data.ipu.org/",
    "licence": CC_BY_NC_SA,
}
IPU_HISTORICAL = {
    "name": "IPU, Women in national parliaments: historical database 1945-2018",
    "url": "https://www.ipu.org/resources/publications/infographics",
    "licence": CC_BY_NC_SA,
}
IPU_RANKING = {
    "name": "IPU Parline, Women in national parliaments: monthly ranking",
    "url": "https://data.ipu.org/women-ranking/",
    "licence": CC_BY_NC_SA,
}
WB_INDICATOR = "SG.GEN.PARL.ZS"
UN_SERIES_UNITS = {"SG_GEN_PARL": "%", "SG_GEN_PARLN": "seats"}
MONTHS = {  # English, with the French and misspellings the IPU workbook has
    "jan": 1, "feb": 2, "fev": 2, "mar": 3, "apr": 4, "avr": 4, "may": 5, "mai": 5, "jun": 6, "juin": 6,
    "jul": 7, "juil": 7, "aug": 8, "aou": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}


def accepted() -> str:
    return _("Cascade imports women in parliament only: World Bank SG.GEN.PARL.ZS, UN SDG series "
             "SG_GEN_PARL and SG_GEN_PARLN (indicator 5.5.1), and the IPU's women-in-parliament data.")


@dataclass
class Row:
    line: int
    country: str
    chamber: str
    date: datetime.date
    value: Decimal
    unit: str
    source_name: str
    source_url: str
    licence: str
    note: str = ""
    indicator: str = WOMEN_IN_PARLIAMENT
    where: str = ""  # "line 7" or "sheet Data, row 7", for messages


@dataclass
class Parsed:
    format: str
    rows: list[Row] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)  # aggregates such as WLD, M49 regions, former states
    released: datetime.date | None = None  # the publisher's release of the file, where it says
    problems: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # what was passed over, said in the report

    def problem(self, where: str, reason: str) -> None:
        self.problems.append(_("%(where)s: %(reason)s") % {"where": where, "reason": reason})


class IndicatorFileError(ValueError):
    """A file we cannot take, with every reason found, each naming its line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _percentage(value: Decimal, unit: str) -> None:
    if unit == "%" and not 0 <= value <= 100:
        raise ValueError(_("%(value)s is not a percentage between 0 and 100") % {"value": value})


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _header(sheet: Sheet, required: set[str], within: int = 40) -> int | None:
    """The index of the first row holding every ``required`` column name (any case)."""
    wanted = {name.lower() for name in required}
    for index, cells in enumerate(sheet.rows[:within]):
        if wanted <= {reading.text(cell).lower() for cell in cells}:
            return index
    return None


def _records(sheet: Sheet, header_index: int):
    """(row index, {column: cell}) for each non-empty row below the header."""
    header = [reading.text(cell) for cell in sheet.rows[header_index]]
    for index in range(header_index + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        if not any(reading.text(cell) for cell in cells):
            continue
        yield index, {name: cell for name, cell in zip(header, cells) if name}


def parse(data: bytes) -> Parsed:
    """Recognise the layout and read it, or explain in one line why the file is not one of ours."""
    try:
        book = reading.read(data)
    except reading.FileError as error:
        raise IndicatorFileError([str(error)]) from None
    for sheet in _ordered(book.sheets):
        if (index := _header(sheet, {"Country Name", "Country Code", "Indicator Code"}, within=10)) is not None:
            return _finish(_world_bank(book, sheet, index))
        if (index := _header(sheet, {"SeriesCode", "GeoAreaCode", "TimePeriod", "Value"}, within=5)) is not None:
            return _finish(_un_sdg(sheet, index))
        if (index := _header(sheet, {"SeriesCode", "GeoAreaCode"}, within=5)) is not None:
            return _finish(_un_pivot(sheet, index))
        if (index := _header(sheet, {"iso_code", "chamber", "percentage_of_women"}, within=30)) is not None:
            return _finish(_ipu(sheet, index))
        if (index := _header(sheet, {"Country", "Year", "Chamber Type", "% Of Women in Chamber"})) is not None:
            return _finish(_ipu_historical(sheet, index))
        if (index := _header(sheet, {"Rank", "Country", "Elections", "%W"}, within=15)) is not None:
            return _finish(_ipu_ranking(sheet, index))
    first = ",".join(reading.text(cell) for cell in _first_row(book))[:80]
    raise IndicatorFileError([
        _("This is not a file of a layout Cascade imports (World Bank, UN SDG or IPU women in "
          "parliament; docs/indicators.md lists them); it begins “%(first)s”.") % {"first": first}
    ])


def _ordered(sheets: list[Sheet]) -> list[Sheet]:
    """A workbook's Data sheet first (the World Bank's; its metadata sheets come after)."""
    return sorted(sheets, key=lambda sheet: sheet.name != "Data")


def _first_row(book) -> list:
    for sheet in book.sheets:
        for cells in sheet.rows:
            if any(reading.text(cell) for cell in cells):
                return cells
    return []


def _finish(parsed: Parsed) -> Parsed:
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(_("The file has no values to import."))
    return parsed


def _refuse_other(found: str) -> IndicatorFileError:
    return IndicatorFileError([
        _("This file holds %(found)s, not women in parliament. %(accepted)s")
        % {"found": found, "accepted": accepted()}
    ])


# World Bank ---------------------------------------------------------------------------

def _world_bank(book, sheet: Sheet, header_index: int) -> Parsed:
    """Year Y is the share at the end of Y (the UN dates the same figure 1 January Y+1): 31 December Y."""
    parsed = Parsed("world-bank")
    for cells in sheet.rows[:header_index]:
        if cells and reading.text(cells[0]) == "Last Updated Date" and len(cells) > 1:
            parsed.released = _date_text(reading.text(cells[1]))
    if parsed.released is None:
        parsed.released = book.created
    year_notes = _world_bank_year_notes(book)
    header = [reading.text(cell) for cell in sheet.rows[header_index]]
    years = [column for column in header if column.isdigit() and len(column) == 4]
    others = collections.Counter()
    records = list(_records(sheet, header_index))
    for index, record in records:
        code = reading.text(record.get("Indicator Code"))
        if code != WB_INDICATOR:
            others[(code, reading.text(record.get("Indicator Name")))] += 1
    if others and sum(others.values()) == len(records):
        found = "; ".join(f"{code} ({name})" if name else code for code, name in sorted(others)[:3])
        raise _refuse_other(ngettext("the World Bank indicator %(found)s", "the World Bank indicators %(found)s",
                                     len(others)) % {"found": found})
    for index, record in records:
        where = sheet.where(index)
        code = reading.text(record.get("Indicator Code"))
        if code != WB_INDICATOR:
            parsed.problem(where, _("indicator “%(code)s” is not %(wanted)s (women in parliament)")
                           % {"code": code, "wanted": WB_INDICATOR})
            continue
        country = reading.country(record.get("Country Code"))
        if not country:
            parsed.skipped.add(reading.text(record.get("Country Code")))
            continue
        for year in years:
            try:
                value = reading.number(record.get(year))
                if value is None:
                    continue
                _percentage(value, "%")
            except ValueError as error:
                parsed.problem(where, _("%(year)s: %(reason)s") % {"year": year, "reason": error})
                continue
            parsed.rows.append(Row(
                index + 1, country, LOWER, datetime.date(int(year), 12, 31), reading.stored(value), "%",
                WORLD_BANK["name"], WORLD_BANK["url"], WORLD_BANK["licence"],
                note=year_notes.get(int(year), ""), where=where,
            ))
    return parsed


def _world_bank_year_notes(book) -> dict[int, str]:
    """The source note's sentences that name a year, such as “For 1998, the IPU data as of
    August 10 1998 is used.” (the Excel download's Metadata_Indicators sheet)."""
    notes = {}
    for sheet in book.sheets:
        if sheet.name != "Metadata_Indicators":
            continue
        for cells in sheet.rows[1:]:
            for cell in cells:
                for match in re.finditer(r"For (\d{4}),[^.]*\.", reading.text(cell)):
                    notes[int(match.group(1))] = match.group(0)
    return notes


def _date_text(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


# UN SDG -------------------------------------------------------------------------------

_AS_OF = re.compile(r"as (?:of|at) (\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+)\.?(?: (\d{4}))?", re.I)
_ACCESSED = re.compile(r"accessed ([A-Za-z]+)\.? (\d{1,2})", re.I)


def _month(word: str) -> int | None:
    word = reading._key(word)
    for length in (4, 3):
        if word[:length] in MONTHS:
            return MONTHS[word[:length]]
    return None


def un_date(year: int, footnote: str = "", time_detail: str = "", source: str = "") -> datetime.date:
    """The date a UN value describes: a full date in Time_Detail; else the footnote's
    “as of 1 Feb [2018]”; else the source's “accessed February 1 of given year”; else
    1 January of the year, the UN's stated convention for this series."""
    if len(time_detail) == 10 and (found := _date_text(time_detail)):
        return found
    if match := _AS_OF.search(footnote or ""):
        month = _month(match.group(2))
        if month:
            try:
                return datetime.date(int(match.group(3) or year), month, int(match.group(1)))
            except ValueError:
                pass
    if match := _ACCESSED.search(source or ""):
        month = _month(match.group(1))
        if month:
            try:
                return datetime.date(year, month, int(match.group(2)))
            except ValueError:
                pass
    return datetime.date(year, 1, 1)


def _un_other_series(parsed: Parsed, others: collections.Counter, total: int) -> None:
    if not others:
        return
    if sum(others.values()) == total:
        raise _refuse_other(_("the UN SDG series %(codes)s") % {"codes": ", ".join(sorted(others))})
    count = sum(others.values())
    parsed.remarks.append(ngettext(
        "%(count)d row of other series skipped (%(codes)s)",
        "%(count)d rows of other series skipped (%(codes)s)", count,
    ) % {"count": count, "codes": ", ".join(sorted(others)[:8]) + (", …" if len(others) > 8 else "")})


def _un_rows(parsed: Parsed, sheet: Sheet, header_index: int):
    """(row index, series, country, record) of each row of the two series about a country;
    other series are counted (or the file refused if it has nothing else), regions skipped."""
    records = list(_records(sheet, header_index))
    others = collections.Counter(reading.text(r.get("SeriesCode")) for _i, r in records
                                 if reading.text(r.get("SeriesCode")) not in UN_SERIES_UNITS)
    _un_other_series(parsed, others, len(records))
    for index, record in records:
        series = reading.text(record.get("SeriesCode"))
        if series not in UN_SERIES_UNITS:
            continue
        country = reading.country(record.get("GeoAreaCode"))
        if not country:
            parsed.skipped.add(reading.text(record.get("GeoAreaName")) or reading.text(record.get("GeoAreaCode")))
            continue
        yield index, series, country, record


def _un_sdg(sheet: Sheet, header_index: int) -> Parsed:
    parsed = Parsed("un-sdg")
    for index, series, country, record in _un_rows(parsed, sheet, header_index):
        where = sheet.where(index)
        try:
            period = reading.text(record.get("TimePeriod"))
            if not (period.isdigit() and len(period) == 4):
                raise ValueError(_("TimePeriod “%(value)s” is not a year") % {"value": period})
            value = reading.number(record.get("Value"))
            if value is None:
                continue
            _percentage(value, UN_SERIES_UNITS[series])
        except ValueError as error:
            parsed.problem(where, str(error))
            continue
        footnote = reading.text(record.get("FootNote"))
        date = un_date(int(period), footnote, reading.text(record.get("Time_Detail")),
                       reading.text(record.get("Source")))
        parsed.rows.append(Row(
            index + 1, country, LOWER, date, reading.stored(value), UN_SERIES_UNITS[series],
            UN_SDG["name"].format(series=series), UN_SDG["url"], UN_SDG["licence"],
            note=footnote[:500], where=where,
        ))
    return parsed


def _un_pivot(sheet: Sheet, header_index: int) -> Parsed:
    """The UN's pivot download: one row per series and area, years as columns."""
    parsed = Parsed("un-sdg-pivot")
    header = [reading.text(cell) for cell in sheet.rows[header_index]]
    years = [column for column in header if re.fullmatch(r"\[?\d{4}\]?", column)]
    if not years:
        raise IndicatorFileError([_("%(where)s: a UN SDG file needs a TimePeriod and a Value column, or "
                                    "one column per year") % {"where": sheet.where(header_index)}])
    for index, series, country, record in _un_rows(parsed, sheet, header_index):
        where = sheet.where(index)
        footnote = reading.text(record.get("FootNote"))
        for column in years:
            try:
                value = reading.number(record.get(column))
                if value is None:
                    continue
                _percentage(value, UN_SERIES_UNITS[series])
            except ValueError as error:
                parsed.problem(where, _("%(year)s: %(reason)s") % {"year": column.strip("[]"), "reason": error})
                continue
            parsed.rows.append(Row(
                index + 1, country, LOWER, un_date(int(column.strip("[]")), footnote),
                reading.stored(value), UN_SERIES_UNITS[series],
                UN_SDG["name"].format(series=series), UN_SDG["url"], UN_SDG["licence"],
                note=footnote[:500], where=where,
            ))
    return parsed


# IPU ----------------------------------------------------------------------------------

def _ipu_chamber(record) -> str:
    kind = " ".join((reading.text(record.get("chamber_type")), reading.text(record.get("structure")))).lower()
    if "upper" in kind:
        return UPPER
    if "lower" in kind or "unicameral" in kind or "single" in kind:
        return LOWER
    raise ValueError(
        _("chamber_type “%(value)s” is neither upper, lower nor unicameral")
        % {"value": reading.text(record.get("chamber_type"))}
    )


def _ipu_date(record) -> datetime.date:
    """date_from, or 31 December of the year: never before the renewal it describes."""
    value = reading.text(record.get("date_from"))
    if value:
        found = _date_text(value)
        if found is None:
            raise ValueError(_("date_from “%(value)s” is not a date (YYYY-MM-DD)") % {"value": value})
        return found
    year = reading.text(record.get("year"))
    if year.isdigit() and len(year) == 4:
        return datetime.date(int(year), 12, 31)
    raise ValueError(_("neither date_from nor year gives a date"))


def _ipu(sheet: Sheet, header_index: int) -> Parsed:
    parsed = Parsed("ipu")
    for cells in sheet.rows[:header_index]:
        line = reading.text(cells[0]) if cells else ""
        if line.startswith("Extracted on:"):
            parsed.released = _date_text(line.split(":", 1)[1])
    for index, record in _records(sheet, header_index):
        where = sheet.where(index)
        country = reading.country(record.get("iso_code"))
        if not country:
            parsed.problem(where, _("iso_code “%(code)s” is not a country")
                           % {"code": reading.text(record.get("iso_code"))})
            continue
        try:
            chamber = _ipu_chamber(record)
            date = _ipu_date(record)
            value = reading.number(record.get("percentage_of_women"))
            if value is None:
                continue
            _percentage(value, "%")
        except ValueError as error:
            parsed.problem(where, str(error))
            continue
        parts = (reading.text(record.get("chamber")), reading.text(record.get("notes")))
        note = "; ".join(part for part in parts if part)
        parsed.rows.append(Row(
            index + 1, country, chamber, date, reading.stored(value), "%", IPU["name"], IPU["url"], IPU["licence"],
            note=note[:500], where=where,
        ))
    return parsed


HISTORICAL_CHAMBERS = {"single": LOWER, "lower": LOWER, "single lower": LOWER, "upper": UPPER}


def historical_date(year: int, month_text: str) -> datetime.date:
    """The end of the last month the workbook names for an election (“October - May” runs
    into the next year), or 31 December of the year where it names none: never before it."""
    words = re.findall(r"[A-Za-zÀ-ÿ]+|\d{4}", month_text or "")
    named, years = [], []
    for word in words:
        if word.isdigit():
            years.append(int(word))
        elif (month := _month(word)) is not None:
            named.append(month)
    if not named:
        return datetime.date(max([year, *years]), 12, 31)
    last_year = max([year, *years])
    if not years and len(named) > 1 and named[-1] < named[0]:
        last_year = year + 1
    return _month_end(last_year, named[-1])


def _ipu_historical(sheet: Sheet, header_index: int) -> Parsed:
    """The IPU's workbook of every election since 1945; “% Of Women in Chamber” is a fraction."""
    parsed = Parsed("ipu-historical")
    columns = {reading.text(c).lower(): reading.text(c) for c in sheet.rows[header_index]}

    def cell(record, name):
        return record.get(columns.get(name.lower(), name))

    other_bodies, no_value, repeated, repeats = collections.Counter(), 0, {}, []
    for index, record in _records(sheet, header_index):
        where = sheet.where(index)
        name = reading.text(cell(record, "Country"))
        country = reading.country(name)
        if not country:
            parsed.skipped.add(name)
            continue
        body = reading.text(cell(record, "Chamber Type"))
        chamber = HISTORICAL_CHAMBERS.get(body.lower())
        if chamber is None:
            other_bodies[body or "—"] += 1
            continue
        year = reading.text(cell(record, "Year"))
        if not (year.isdigit() and len(year) == 4):
            parsed.problem(where, _("Year “%(value)s” is not a year") % {"value": year})
            continue
        raw = cell(record, "% Of Women in Chamber")
        try:
            value = reading.number(raw)
        except ValueError:
            value = None  # such as “12 13 10???”: the workbook's own mark of an unknown share
        if value is None:
            no_value += 1
            continue
        if not (isinstance(raw, str) and raw.strip().endswith("%")):
            value = value * 100  # the workbook keeps a fraction: 0.0666 is 6.66%
        try:
            _percentage(value, "%")
        except ValueError as error:
            parsed.problem(where, str(error))
            continue
        month = reading.text(cell(record, "Month"))
        date = historical_date(int(year), month)
        women, seats = reading.text(cell(record, "Total women")), reading.text(cell(record, "Chamber Total Seats"))
        parts = [_("%(women)s women of %(seats)s seats") % {"women": women, "seats": seats} if women and seats else "",
                 _("election %(month)s %(year)s") % {"month": month, "year": year} if month
                 else _("election %(year)s (no month given: dated 31 December)") % {"year": year},
                 reading.text(cell(record, "NOTES"))]
        row = Row(index + 1, country, chamber, date, reading.stored(value), "%", IPU_HISTORICAL["name"],
                  IPU_HISTORICAL["url"], IPU_HISTORICAL["licence"],
                  note="; ".join(p for p in parts if p)[:500], where=where)
        key = (country, chamber, date)
        if key in repeated:
            parsed.rows[repeated[key]] = row  # a later row of the same election and chamber corrects it
            repeats.append(f"{where} ({country}, {chamber}, {date.isoformat()})")
            continue
        repeated[key] = len(parsed.rows)
        parsed.rows.append(row)
    if repeats:
        shown = "; ".join(repeats[:5]) + ("; …" if len(repeats) > 5 else "")
        parsed.remarks.append(ngettext(
            "%(count)d row repeats an earlier row's country, chamber and date; the later row is taken: %(rows)s",
            "%(count)d rows repeat an earlier row's country, chamber and date; the later row is taken: %(rows)s",
            len(repeats)) % {"count": len(repeats), "rows": shown})
    if other_bodies:
        parsed.remarks.append(_("rows of other bodies skipped: %(bodies)s") % {
            "bodies": ", ".join(f"{body} ({count})" for body, count in sorted(other_bodies.items()))})
    if no_value:
        parsed.remarks.append(ngettext("%(count)d row gives no share of women (“?”, “Not available”, an error)",
                                       "%(count)d rows give no share of women (“?”, “Not available”, an error)",
                                       no_value) % {"count": no_value})
    return parsed


_RANKING_AS_OF = re.compile(r"as of (\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+) (\d{4})", re.I)
DITTO = {'"', "“", "”", "〃", "''"}


def _ranking_election(value: str) -> str:
    """“10.202” is October 2020 after Excel read “10.2020” as a number and dropped the 0."""
    match = re.fullmatch(r"(\d{1,2})\.(\d{3,4})", value)
    if not match:
        return value
    year = match.group(2) if len(match.group(2)) == 4 else match.group(2) + "0"
    return f"{int(match.group(1)):02d}.{year}"


def _ipu_ranking(sheet: Sheet, header_index: int) -> Parsed:
    """The IPU's monthly ranking: each chamber's share on the ranking's “as of” date."""
    parsed = Parsed("ipu-ranking")
    as_of = None
    for cells in sheet.rows[:header_index]:
        line = " ".join(reading.text(cell) for cell in cells).strip()
        if match := _RANKING_AS_OF.search(line):
            month = _month(match.group(2))
            if month:
                as_of = datetime.date(int(match.group(3)), month, int(match.group(1)))
        elif line.startswith("Date:"):
            parsed.released = _date_text(line.split(":", 1)[1])
    if as_of is None:
        raise IndicatorFileError([_("%(where)s: the ranking does not say its date (a line such as “Ranking as "
                                    "of 1st September 2021” above the columns)") % {"where": sheet.where(0)}])
    header = [reading.text(cell) for cell in sheet.rows[header_index]]
    groups = [i for i, name in enumerate(header) if name == "Elections"]  # lower or single, then upper
    for index in range(header_index + 1, len(sheet.rows)):
        cells = [reading.text(cell) for cell in sheet.rows[index]]
        if not any(cells):
            continue
        where = sheet.where(index)
        name = cells[1] if len(cells) > 1 else ""
        country = reading.country(name)
        if not country:
            parsed.skipped.add(name)
            continue
        for chamber, start in zip((LOWER, UPPER), groups):
            election, seats, women, share = (cells[start:start + 4] + ["", "", "", ""])[:4]
            if share.strip() in DITTO:
                parsed.problem(where, _("a ditto mark where the share of women belongs: type the value it repeats"))
                continue
            try:
                value = reading.number(share)
            except ValueError as error:
                parsed.problem(where, str(error))
                continue
            if value is None:  # “-”: no upper chamber, or no figure
                continue
            try:
                _percentage(value, "%")
            except ValueError as error:
                parsed.problem(where, str(error))
                continue
            note = _("%(women)s women of %(seats)s seats; elections %(election)s") % {
                "women": women, "seats": seats, "election": _ranking_election(election)}
            parsed.rows.append(Row(index + 1, country, chamber, as_of, reading.stored(value), "%",
                                   IPU_RANKING["name"], IPU_RANKING["url"], IPU_RANKING["licence"],
                                   note=note, where=where))
    return parsed
