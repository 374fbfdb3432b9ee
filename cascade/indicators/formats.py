"""Readers for the three published layouts of women-in-parliament data.

Each reader turns a CSV file into :class:`Row` objects, or raises
:class:`IndicatorFileError` listing every bad line; nothing here writes.
The layout is recognised from the file's content, never from its name.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django_countries import countries

from cascade.indicators.models import WOMEN_IN_PARLIAMENT

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
UN_SERIES_UNITS = {"SG_GEN_PARL": "%", "SG_GEN_PARLN": "seats"}
MAX_ERRORS = 20


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


@dataclass
class Parsed:
    format: str
    rows: list[Row] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)  # aggregates such as WLD, or M49 regions


class IndicatorFileError(ValueError):
    """A file we cannot take, with every reason found, each naming its line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Problems(list):
    def add(self, line: int, reason: str) -> None:
        self.append(_("line %(line)d: %(reason)s") % {"line": line, "reason": reason})


def _number(text: str) -> Decimal | None:
    text = (text or "").strip().rstrip("%").strip()
    if text in ("", "..", "NaN", "NA"):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number") % {"value": text}) from None
    if not value.is_finite():
        raise ValueError(_("“%(value)s” is not a number") % {"value": text})
    return value


def _country(code: str) -> str:
    """ISO alpha-2 for an alpha-2, alpha-3 or M49 code; "" for aggregates and regions."""
    code = (code or "").strip()
    if len(code) == 2 and code.upper() in countries:
        return code.upper()
    return countries.alpha2(code) if code else ""


def _percentage(value: Decimal, unit: str) -> None:
    if unit == "%" and not 0 <= value <= 100:
        raise ValueError(_("%(value)s is not a percentage between 0 and 100") % {"value": value})


def read_text(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IndicatorFileError([_("The file is not UTF-8 text: save it as CSV (UTF-8).")]) from None
    return list(csv.reader(io.StringIO(text)))


def _header_line(lines: list[list[str]], required: set[str], within: int = 40) -> int | None:
    for index, cells in enumerate(lines[:within]):
        if required <= {cell.strip() for cell in cells}:
            return index
    return None


def parse(data: bytes) -> Parsed:
    """Recognise the layout and read it, or explain why the file is not one of ours."""
    lines = read_text(data)
    wb = _header_line(lines, {"Country Name", "Country Code", "Indicator Code"}, within=10)
    if wb is not None:
        return _world_bank(lines, wb)
    un = _header_line(lines, {"SeriesCode", "GeoAreaCode", "TimePeriod", "Value"}, within=5)
    if un is not None:
        return _un_sdg(lines, un)
    ipu = _header_line(lines, {"iso_code", "chamber", "percentage_of_women"}, within=30)
    if ipu is not None:
        return _ipu(lines, ipu)
    first = ",".join(lines[0])[:80] if lines else ""
    raise IndicatorFileError([
        _(
            "line 1: this is not a World Bank bulk CSV (SG.GEN.PARL.ZS), a UN SDG 5.5.1 CSV "
            "or an IPU Parline historical CSV; it begins “%(first)s”."
        ) % {"first": first}
    ])


def _records(lines: list[list[str]], header_index: int):
    """(line number, {column: cell}) for each non-empty row below the header."""
    header = [cell.strip() for cell in lines[header_index]]
    for index in range(header_index + 1, len(lines)):
        cells = lines[index]
        if not any(cell.strip() for cell in cells):
            continue
        yield index + 1, dict(zip(header, (cell.strip() for cell in cells)))


def _finish(parsed: Parsed, problems: _Problems) -> Parsed:
    if problems:
        raise IndicatorFileError(problems[:MAX_ERRORS])
    if not parsed.rows:
        raise IndicatorFileError([_("line 1: the file has no values to import.")])
    return parsed


def _world_bank(lines, header_index) -> Parsed:
    parsed, problems = Parsed("world-bank"), _Problems()
    header = [cell.strip() for cell in lines[header_index]]
    years = [column for column in header if column.isdigit() and len(column) == 4]
    for line, record in _records(lines, header_index):
        if record.get("Indicator Code") != "SG.GEN.PARL.ZS":
            problems.add(line, _("indicator “%(code)s” is not SG.GEN.PARL.ZS (women in parliament)")
                         % {"code": record.get("Indicator Code", "")})
            continue
        country = _country(record.get("Country Code", ""))
        if not country:
            parsed.skipped.add(record.get("Country Code", ""))
            continue
        for year in years:
            try:
                value = _number(record.get(year, ""))
                if value is None:
                    continue
                _percentage(value, "%")
            except ValueError as error:
                problems.add(line, _("%(year)s: %(reason)s") % {"year": year, "reason": error})
                continue
            parsed.rows.append(Row(
                line, country, LOWER, datetime.date(int(year), 1, 1), value, "%",
                WORLD_BANK["name"], WORLD_BANK["url"], WORLD_BANK["licence"],
            ))
    return _finish(parsed, problems)


def _un_sdg(lines, header_index) -> Parsed:
    parsed, problems = Parsed("un-sdg"), _Problems()
    for line, record in _records(lines, header_index):
        series = record.get("SeriesCode", "")
        if series not in UN_SERIES_UNITS:
            problems.add(line, _("series “%(code)s” is not SG_GEN_PARL or SG_GEN_PARLN") % {"code": series})
            continue
        country = _country(record.get("GeoAreaCode", ""))
        if not country:
            parsed.skipped.add(record.get("GeoAreaName") or record.get("GeoAreaCode", ""))
            continue
        try:
            period = record.get("TimePeriod", "")
            if not (period.isdigit() and len(period) == 4):
                raise ValueError(_("TimePeriod “%(value)s” is not a year") % {"value": period})
            value = _number(record.get("Value", ""))
            if value is None:
                continue
            _percentage(value, UN_SERIES_UNITS[series])
        except ValueError as error:
            problems.add(line, str(error))
            continue
        parsed.rows.append(Row(
            line, country, LOWER, datetime.date(int(period), 1, 1), value, UN_SERIES_UNITS[series],
            UN_SDG["name"].format(series=series), UN_SDG["url"], UN_SDG["licence"],
            note=record.get("FootNote", "")[:500],
        ))
    return _finish(parsed, problems)


def _ipu_chamber(record) -> str:
    kind = " ".join((record.get("chamber_type", ""), record.get("structure", ""))).lower()
    if "upper" in kind:
        return UPPER
    if "lower" in kind or "unicameral" in kind or "single" in kind:
        return LOWER
    raise ValueError(
        _("chamber_type “%(value)s” is neither upper, lower nor unicameral")
        % {"value": record.get("chamber_type", "")}
    )


def _ipu_date(record) -> datetime.date:
    text = record.get("date_from", "")
    if text:
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(_("date_from “%(value)s” is not a date (YYYY-MM-DD)") % {"value": text}) from None
    year = record.get("year", "")
    if year.isdigit() and len(year) == 4:
        return datetime.date(int(year), 1, 1)
    raise ValueError(_("neither date_from nor year gives a date"))


def _ipu(lines, header_index) -> Parsed:
    parsed, problems = Parsed("ipu"), _Problems()
    for line, record in _records(lines, header_index):
        country = _country(record.get("iso_code", ""))
        if not country:
            problems.add(line, _("iso_code “%(code)s” is not a country") % {"code": record.get("iso_code", "")})
            continue
        try:
            chamber = _ipu_chamber(record)
            date = _ipu_date(record)
            value = _number(record.get("percentage_of_women", ""))
            if value is None:
                continue
            _percentage(value, "%")
        except ValueError as error:
            problems.add(line, str(error))
            continue
        note = "; ".join(part for part in (record.get("chamber", ""), record.get("notes", "")) if part)
        parsed.rows.append(Row(
            line, country, chamber, date, value, "%", IPU["name"], IPU["url"], IPU["licence"],
            note=note[:500],
        ))
    return _finish(parsed, problems)
