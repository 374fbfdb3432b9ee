"""From a file's bytes to sheets of cells: CSV in any of the encodings and separators
people save, or an Excel workbook; and from a cell to a number or a country.

Nothing here knows a publisher's layout (that is :mod:`cascade.indicators.formats`).
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

EXCEL_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx/.ods zip; .xls compound file
MISSING = {"", "..", "nan", "na", "n/a", "-", "?", "not available", "#value!", "#n/a", "#div/0!", "#ref!"}
PLACES = Decimal("0.001")  # the database keeps three decimals: compare what will be stored


class FileError(ValueError):
    """A file we cannot read at all (one line saying why)."""


@dataclass
class Sheet:
    name: str
    rows: list[list]  # cells: str for a CSV; str, float, int, bool, date or None for a workbook
    excel: bool = False

    def where(self, index: int) -> str:
        """How a person finds row ``index`` (0-based): the line of a CSV, the row of a sheet."""
        if self.excel:
            return _("sheet %(sheet)s, row %(row)d") % {"sheet": self.name, "row": index + 1}
        return _("line %(line)d") % {"line": index + 1}


@dataclass
class Book:
    sheets: list[Sheet]
    created: datetime.date | None = None  # a workbook's creation date in its properties
    encoding: str = ""
    delimiter: str = ""


def read(data: bytes) -> Book:
    if data.startswith(EXCEL_SIGNATURES):
        return _workbook(data)
    text, encoding = decode(data)
    delimiter = _delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return Book([Sheet("", rows)], encoding=encoding, delimiter=delimiter)


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first; otherwise the encoding charset-normalizer finds."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise FileError(_("The file is neither a spreadsheet nor text in a known encoding: "
                          "save it as CSV (UTF-8) or as an Excel workbook."))
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        raise FileError(_("The file looks like %(encoding)s text but does not decode as it: "
                          "save it as CSV (UTF-8).") % {"encoding": best.encoding}) from None


def _delimiter(text: str) -> str:
    """The separator that splits the widest line of the first few: “,”, “;” or a tab."""
    head = "\n".join(text.splitlines()[:40])
    widths = {}
    for candidate in (",", ";", "\t"):
        widths[candidate] = max((len(r) for r in csv.reader(io.StringIO(head), delimiter=candidate)), default=0)
    return max(widths, key=lambda c: (widths[c], c == ","))


def _workbook(data: bytes) -> Book:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own error types for broken files
        raise FileError(_("The workbook cannot be read (%(reason)s): open it and save it again "
                          "as .xlsx.") % {"reason": error}) from None
    sheets = []
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        sheets.append(Sheet(name, sheet.to_python(skip_empty_area=False), excel=True))
    return Book(sheets, created=_created(data))


def _created(data: bytes) -> datetime.date | None:
    """dcterms:created of an .xlsx (the day the publisher's server wrote the download)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            core = archive.read("docProps/core.xml")
        element = ElementTree.fromstring(core).find("{http://purl.org/dc/terms/}created")
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    if element is None or not element.text:
        return None
    try:
        return datetime.date.fromisoformat(element.text.strip()[:10])
    except ValueError:
        return None


def text(cell) -> str:
    """A cell as the text a person sees: 1965.0 is “1965”."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, (datetime.date, datetime.datetime)):
        return cell.isoformat()[:10]
    return str(cell).strip()


def number(cell) -> Decimal | None:
    """A number from a cell, decimal point or comma; None where the publisher marks no value."""
    if isinstance(cell, bool):
        raise ValueError(_("“%(value)s” is not a number") % {"value": cell})
    if isinstance(cell, (int, float)):
        value = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
        if not value.is_finite():
            return None
        return value
    raw = text(cell).replace("\u00a0", "").replace(" ", "")
    if raw.lower() in MISSING:
        return None
    raw = raw.rstrip("%")
    if "," in raw and "." in raw:  # 1.234,5 or 1,234.5: the last mark is the decimal one
        thousands = "." if raw.rfind(",") > raw.rfind(".") else ","
        raw = raw.replace(thousands, "").replace(",", ".")
    else:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number") % {"value": text(cell)}) from None
    if not value.is_finite():
        raise ValueError(_("“%(value)s” is not a number") % {"value": text(cell)})
    return value


def stored(value: Decimal) -> Decimal:
    return value.quantize(PLACES)


# Names publishers use that are not django-countries' English names.
ALIASES = {
    "bolivia (plurinational state of)": "BO", "venezuela (bolivarian republic of)": "VE",
    "iran (islamic republic of)": "IR", "republic of moldova": "MD", "united republic of tanzania": "TZ",
    "democratic people's republic of korea": "KP", "republic of korea": "KR",
    "lao people's democratic republic": "LA", "micronesia (federated states of)": "FM",
    "syrian arab republic": "SY", "russian federation": "RU", "viet nam": "VN", "czech republic": "CZ",
    "democratic republic of the congo": "CD", "congo": "CG", "kyrgyzstan": "KG", "swaziland": "SZ",
    "the former yugoslav republic of macedonia": "MK", "north macedonia": "MK", "cape verde": "CV",
    "turkey": "TR", "turkiye": "TR", "united states of america": "US", "united kingdom": "GB",
    "brunei darussalam": "BN", "gambia (the)": "GM", "gambia": "GM", "palestine": "PS",
    "state of palestine": "PS", "cote d'ivoire": "CI", "ivory coast": "CI", "sao tome and principe": "ST",
    "saint kitts and nevis": "KN", "saint vincent and the grenadines": "VC", "saint lucia": "LC",
    "bahamas": "BS", "netherlands": "NL", "east timor": "TL", "timor-leste": "TL", "burma": "MM",
    "myanmar": "MM", "holy see": "VA", "eswatini": "SZ", "slovak republic": "SK", "kyrgyz republic": "KG",
    "hong kong sar, china": "HK", "macao sar, china": "MO", "korea, rep.": "KR", "korea, dem. rep.": "KP",
    "micronesia": "FM", "moldova": "MD", "tanzania": "TZ", "bosnia & herzegovina": "BA",
    "united kingdom of great britain and northern ireland": "GB", "zaire": "CD", "kampuchea": "KH",
    "democratic kampuchea": "KH", "western samoa": "WS", "upper volta": "BF", "dahomey": "BJ",
    "ceylon": "LK", "laos": "LA", "vietnam": "VN", "syria": "SY", "iran": "IR", "russia": "RU",
    "south korea": "KR", "north korea": "KP", "federated states of micronesia": "FM",
    "nauru": "NR", "congo (republic of)": "CG", "libyan arab jamahiriya": "LY", "libya": "LY",
}


def _key(name: str) -> str:
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", name.replace("’", "'").strip().lower())


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    with translation.override("en"):
        found = {_key(str(name)): code for code, name in countries}
    found.update({_key(name): code for name, code in ALIASES.items()})
    return found


def country(code_or_name) -> str:
    """ISO alpha-2 for an alpha-2, alpha-3 or M49 code or an English name; "" for aggregates,
    regions and states that no longer exist."""
    raw = text(code_or_name)
    if not raw:
        return ""
    if raw.isdigit():
        return countries.alpha2(int(raw)) or ""
    if len(raw) == 2 and raw.upper() in countries:
        return raw.upper()
    if len(raw) == 3 and raw.isupper():
        return countries.alpha2(raw) or ""
    return _names().get(_key(raw), "")
