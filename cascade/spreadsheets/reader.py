"""Read the sheets of a workbook as streams of numbered rows.

The same sheets come in a workbook (.xlsx, .xls or .ods, read by calamine), a
folder of ``<sheet>.csv`` files, or a .zip of such files. CSV files may be UTF-8
(with or without a byte-order mark) or, as Excel saves them in Russian and other
locales, Windows-1251 (charset-normalizer tells), with ``,`` or ``;``; their rows
stream, so a million-row participants sheet never sits in memory (calamine holds
a workbook's sheet in memory while it is read).

The header is found below any title rows (``headers.find_header``) and its cells
are named as the schema names the columns, in any of the nine languages. Hidden
sheets and rows are listed and left out unless the user includes them.
"""

import codecs
import csv
import io
import itertools
import re
import struct
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from xml.etree import ElementTree

from django.utils.translation import gettext as _, ngettext

from cascade.spreadsheets.headers import HEADER_SEARCH, column_name, find_header, sheet_name

#: (spreadsheet row number as the user sees it, the row's cells)
Row = tuple[int, tuple]


#: A zip (an .xlsx is one) may declare at most this many bytes once unpacked, all members together.
MAX_UNPACKED = 512 * 1024 * 1024
#: A member bigger than SMALL_MEMBER may unpack to at most this many times its packed size.
#: Real workbooks pack 5 to 30 times; a zip bomb packs about 1,000 times.
MAX_RATIO = 100
SMALL_MEMBER = 1024 * 1024


class UnreadableFile(Exception):
    """The file is not a workbook, a folder or a zip of CSV files (or a part of it cannot be read)."""

    def __init__(self, message, sheet=None, row=None, column=None):
        super().__init__(message)
        self.sheet, self.row, self.column = sheet, row, column


def check_zip(path) -> None:
    """Refuse a zip bomb before anything is unpacked, from the sizes its directory declares.

    Python's zipfile never unpacks more than a member declares (a member that
    unpacks to more fails its checksum), so the declared sizes are a true bound.
    """
    name = Path(path).name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip at all: opening it says so, in the words for its kind of file
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > SMALL_MEMBER and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UnreadableFile(_(
                "%(name)s was refused: its part %(part)s would unpack to %(ratio)d times its size "
                "(at most %(limit)d times is accepted), as a “zip bomb” does."
            ) % {"name": name, "part": member.filename, "ratio": member.file_size // max(member.compress_size, 1),
                 "limit": MAX_RATIO})
    if total > MAX_UNPACKED:
        raise UnreadableFile(_(
            "%(name)s was refused: it would unpack to %(size)d MB, more than the %(limit)d MB accepted."
        ) % {"name": name, "size": total // 1_000_000, "limit": MAX_UNPACKED // 1_000_000})


@dataclass
class SheetData:
    name: str
    header: list[str]
    open_rows: Callable[[], Iterator[Row]]
    #: The number of data rows, estimated cheaply (for a progress bar), or None when unknown.
    count_rows: Callable[[], int | None] = lambda: None
    #: The row the header is in (1 unless title rows are above it), and the header cells as typed.
    header_row: int = 1
    typed_header: list[str] = field(default_factory=list)
    #: The sheet's name as the file has it (``name`` is the schema's, for a sheet named in another language).
    title: str = ""
    #: Rows hidden in the spreadsheet program (numbers as it shows them), and whether they are read.
    hidden_rows: list[int] = field(default_factory=list)
    include_hidden: bool = False

    def estimated_rows(self) -> int | None:
        """About how many data rows the sheet holds (blank and multi-line rows make it approximate)."""
        try:
            count = self.count_rows()
        except Exception:  # an estimate for a progress bar never fails the import; reading it says what is wrong
            return None
        return None if count is None else max(count, 0)

    def rows(self) -> Iterator[Row]:
        """Data rows, numbered as the spreadsheet shows them; blank rows, and unless included hidden ones, skipped."""
        hidden = set() if self.include_hidden else set(self.hidden_rows)
        for number, cells in self.open_rows():
            if number in hidden:
                continue
            if any(cell is not None and cell != "" for cell in cells):
                yield number, cells


def _header(cells) -> list[str]:
    # "key*" as written by people who copy the instructions is the same column.
    return [str(c).strip().lower().rstrip("*").strip() if c is not None else "" for c in cells]


#: Workbooks read by calamine: Excel's old and new formats and OpenDocument's.
CALAMINE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class Workbook:
    """The sheets found in ``path``, by the schema's sheet name; use as a context manager.

    Hidden sheets are left out of ``sheets`` (listed in ``hidden_sheets``) and hidden rows
    skipped (listed in each sheet's ``hidden_rows``), unless ``include_hidden``.
    """

    def __init__(self, path, include_hidden: bool = False):
        self.path = Path(path)
        self.include_hidden = include_hidden
        self.sheets: dict[str, SheetData] = {}
        #: Names (as the file has them) of the sheets hidden in the spreadsheet program.
        self.hidden_sheets: list[str] = []
        #: Sheets named twice (once in English, once in another language, say): the later ones.
        self.repeated_sheets: list[str] = []
        self._stack = ExitStack()

    def __enter__(self):
        try:
            suffix = self.path.suffix.lower()
            if self.path.is_dir():
                self._open_folder()
            elif suffix in CALAMINE_SUFFIXES:  # .xlsx and .ods are zips too, so first
                if suffix != ".xls":
                    check_zip(self.path)
                self._open_calamine()
            elif zipfile.is_zipfile(self.path):
                check_zip(self.path)
                self._open_zip()
            elif suffix == ".csv":
                self._add_csv(self.path.stem, lambda p=self.path: open(p, "rb"))
            else:
                raise UnreadableFile(
                    _("%(name)s is not a workbook (.xlsx, .xls or .ods), a .csv file, a folder of .csv files "
                      "or a .zip of them.") % {"name": self.path.name}
                )
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc):
        self._stack.close()

    def _add(self, title: str, make) -> None:
        """Add the sheet ``title`` (``make(name)`` builds its SheetData), named as the schema names it."""
        name = sheet_name(title)
        if name in self.sheets:
            self.repeated_sheets.append(title)
            return
        sheet = make(name)
        sheet.title = title
        sheet.include_hidden = self.include_hidden
        self.sheets[name] = sheet

    def _open_calamine(self):
        from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

        kind = self.path.suffix.lower()
        try:
            book = CalamineWorkbook.from_path(str(self.path))
        except (CalamineError, OSError, ValueError) as error:
            raise UnreadableFile(
                _("%(name)s cannot be read as an %(kind)s workbook (%(error)s).")
                % {"name": self.path.name, "kind": kind, "error": error}
            ) from error
        self._stack.callback(book.close)
        hidden_rows = _hidden_rows(self.path)
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # a chart or macro sheet holds no rows
            if meta.visible != SheetVisibleEnum.Visible:
                self.hidden_sheets.append(meta.name)
                if not self.include_hidden:
                    continue

            def make(name, meta=meta):
                try:
                    sheet = book.get_sheet_by_name(meta.name)
                except (CalamineError, ValueError) as error:
                    raise UnreadableFile(_("This sheet cannot be read (%(error)s).") % {"error": error},
                                         meta.name) from error
                return _calamine_sheet(name, meta.name, sheet, hidden_rows.get(meta.name, []))

            self._add(meta.name, make)

    def _open_folder(self):
        for path in sorted(self.path.iterdir()):
            if path.suffix.lower() == ".csv":
                self._add_csv(path.stem, lambda p=path: open(p, "rb"))

    def _open_zip(self):
        archive = zipfile.ZipFile(self.path)
        self._stack.callback(archive.close)
        for info in archive.infolist():
            name = Path(info.filename)
            if name.suffix.lower() == ".csv" and not name.name.startswith("."):
                self._add_csv(name.stem, lambda i=info: archive.open(i))

    def _add_csv(self, stem: str, open_binary):
        self._add(stem.strip(), lambda name: self._csv_sheet(name, stem, open_binary))

    def _csv_sheet(self, name: str, stem: str, open_binary) -> SheetData:
        encoding = _csv_encoding(stem, open_binary)
        with open_binary() as binary:
            text = io.TextIOWrapper(binary, encoding=encoding, newline="")
            try:
                first_lines = list(itertools.islice(text, HEADER_SEARCH * 2))
            except UnicodeDecodeError as error:
                raise UnreadableFile(_not_text(stem)) from error
            finally:
                text.detach()
        # Spreadsheet programs in Russian and other locales save CSV with semicolons.
        sample = "".join(first_lines)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        first_rows = []
        lines = _Lines(iter(first_lines))
        try:
            for cells in csv.reader(lines, delimiter=delimiter):
                lines.record.clear()
                first_rows.append(cells)
        except csv.Error as error:  # in the first rows: named by the header above it, if there is one
            found = find_header(name, first_rows)
            raise _csv_problem(name, [column_name(name, cell) for cell in found[1]] if found else [],
                               len(first_rows) + 1, "".join(lines.record), delimiter, error) from error
        found = find_header(name, first_rows)
        at = found[0] if found else 0
        header = found[1] if found else []

        def open_rows():
            text = io.TextIOWrapper(self._stack.enter_context(open_binary()), encoding=encoding, newline="")
            self._stack.callback(text.detach)
            lines = _Lines(text)
            reader = csv.reader(lines, delimiter=delimiter)
            number = 0
            try:
                for number, cells in enumerate(reader, start=1):
                    lines.record.clear()
                    if number > at + 1:
                        yield number, cells
            except UnicodeDecodeError as error:
                raise UnreadableFile(_not_text(stem)) from error
            except csv.Error as error:
                raise _csv_problem(name, header, number + 1, "".join(lines.record), delimiter, error) from error

        def count_rows():
            with open_binary() as again:
                return _count(again, b"\n") - (at + 1)

        return SheetData(name, [column_name(name, cell) for cell in header], open_rows, count_rows,
                         header_row=at + 1, typed_header=[str(c).strip() for c in header])


#: Hidden rows named in a warning; the rest are counted.
LISTED_HIDDEN = 20


def reading_notes(book: Workbook) -> list[tuple[str | None, str, bool]]:
    """(sheet, message, is an error) for each hidden sheet, each sheet with hidden rows, and each sheet named twice."""
    notes = []
    for title in book.hidden_sheets:
        notes.append((title, _("This sheet is hidden in the spreadsheet: it was read, as asked.") if book.include_hidden
                      else _("This sheet is hidden in the spreadsheet, so it was left out. To import it, show it, "
                             "or include hidden rows and sheets."), False))
    for name, sheet in book.sheets.items():
        rows = [number for number in sheet.hidden_rows if number > sheet.header_row]
        if not rows:
            continue
        listed = ", ".join(str(number) for number in rows[:LISTED_HIDDEN])
        if len(rows) > LISTED_HIDDEN:
            listed += " " + ngettext("and %(count)d more", "and %(count)d more",
                                     len(rows) - LISTED_HIDDEN) % {"count": len(rows) - LISTED_HIDDEN}
        if book.include_hidden:
            message = ngettext("Row %(rows)s is hidden in the spreadsheet: it was read, as asked.",
                               "Rows %(rows)s are hidden in the spreadsheet: they were read, as asked.", len(rows))
        else:
            message = ngettext(
                "Row %(rows)s is hidden in the spreadsheet, so it was left out. To import it, show it, "
                "or include hidden rows and sheets.",
                "Rows %(rows)s are hidden in the spreadsheet, so they were left out. To import them, show them, "
                "or include hidden rows and sheets.", len(rows))
        notes.append((sheet.title or name, message % {"rows": listed}, False))
    for title in book.repeated_sheets:
        notes.append((title, _("Another sheet has the same name (perhaps in another language): "
                               "put their rows in one sheet."), True))
    return notes


def _not_text(stem) -> str:
    return _("%(name)s.csv is neither UTF-8 nor Windows-1251 text: save it as “CSV UTF-8”.") % {"name": stem}


def _csv_encoding(stem, open_binary) -> str:
    """UTF-8 (with or without its byte-order mark) when the whole file is; else what charset-normalizer finds."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    sample = b""
    with open_binary() as binary:
        start = binary.read(3)
        if start == codecs.BOM_UTF8:
            return "utf-8-sig"
        chunk = start
        try:
            while chunk:
                if len(sample) < SAMPLE:
                    sample += chunk[:SAMPLE - len(sample)]
                decoder.decode(chunk)
                chunk = binary.read(1 << 20)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        while len(sample) < SAMPLE and (chunk := binary.read(1 << 20)):
            sample += chunk[:SAMPLE - len(sample)]
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=CSV_ENCODINGS).best()
    if best is None:
        raise UnreadableFile(_not_text(stem))
    return best.encoding


#: How much of a CSV file that is not UTF-8 charset-normalizer reads to find its encoding.
SAMPLE = 256 * 1024
#: The encodings a CSV file that is not UTF-8 may be in: what Excel saves in the region's locales.
CSV_ENCODINGS = ["cp1251", "cp1252", "cp1256", "koi8_r", "cp866"]


def _calamine_sheet(name: str, title: str, sheet, hidden_rows: list[int]) -> SheetData:
    """A sheet calamine read (it holds the cells in memory; rows are numbered from 1, as shown)."""
    first_rows = []
    for cells in sheet.iter_rows():
        first_rows.append(cells)
        if len(first_rows) >= HEADER_SEARCH * 3:
            break
    found = find_header(name, first_rows)
    at = found[0] if found else 0
    header = found[1] if found else []
    if hidden_rows:  # only those with something in them are worth a word (an .ods hides empty rows to its end)
        hidden = set(hidden_rows)
        hidden_rows = [number for number, cells in enumerate(sheet.iter_rows(), start=1)
                       if number in hidden and any(cell is not None and cell != "" for cell in cells)]

    def open_rows():
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number > at + 1:
                yield number, cells

    return SheetData(name, [column_name(name, cell) for cell in header], open_rows,
                     lambda: sheet.height - (at + 1 - (sheet.start or (0, 0))[0]),
                     header_row=at + 1, typed_header=[str(c).strip() for c in header], title=title,
                     hidden_rows=hidden_rows)


def _hidden_rows(path: Path) -> dict[str, list[int]]:
    """Sheet name (as in the file) -> numbers of its hidden rows, for an .xlsx, .ods or .xls (calamine says none)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx_hidden_rows(path)
        if suffix == ".ods":
            return _ods_hidden_rows(path)
        if suffix == ".xls":
            return _xls_hidden_rows(path)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, struct.error, ValueError, IndexError):
        return {}  # calamine read it: its cells are what matters
    return {}


_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"\br=\"(\d+)\"")
_ROW_HIDDEN = re.compile(rb"\bhidden=\"(?:1|true)\"")


def _xlsx_hidden_rows(path: Path) -> dict[str, list[int]]:
    with zipfile.ZipFile(path) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        hidden = {}
        for sheet in book.iter():
            if not sheet.tag.endswith("}sheet"):
                continue
            target = targets.get(sheet.get(_REL), "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            rows, number, tail = [], 0, b""
            with archive.open(member) as xml:
                while chunk := xml.read(1 << 20):
                    block = tail + chunk
                    end = block.rfind(b">") + 1
                    for match in _ROW_TAG.finditer(block, 0, end):
                        attributes = match[1]
                        given = _ROW_NUMBER.search(attributes)
                        number = int(given[1]) if given else number + 1
                        if _ROW_HIDDEN.search(attributes):
                            rows.append(number)
                    tail = block[end:]
            hidden[sheet.get("name")] = rows
    return hidden


_ODS_TAG = re.compile(rb"<(?:\w+:)?table(-row)?(?=[\s/>])([^>]*)>")
_ODS_NAME = re.compile(rb"(?:^|\s)(?:\w+:)?name=\"([^\"]*)\"")
_ODS_REPEATED = re.compile(rb"\bnumber-rows-repeated=\"(\d+)\"")
_ODS_HIDDEN = re.compile(rb"\bvisibility=\"(?:collapse|filter)\"")


def _ods_hidden_rows(path: Path) -> dict[str, list[int]]:
    """Rows of each table whose visibility is collapse or filter, read from content.xml's tags alone."""
    from html import unescape

    hidden, rows, number, tail = {}, None, 0, b""
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as xml:
        while chunk := xml.read(1 << 20):
            block = tail + chunk
            end = block.rfind(b">") + 1
            for match in _ODS_TAG.finditer(block, 0, end):
                attributes = match[2]
                if not match[1]:  # a table: its rows are numbered from 1
                    name = _ODS_NAME.search(attributes)
                    rows, number = hidden.setdefault(unescape(name[1].decode()) if name else "", []), 0
                    continue
                given = _ODS_REPEATED.search(attributes)
                repeated = int(given[1]) if given else 1
                if rows is not None and _ODS_HIDDEN.search(attributes):
                    rows.extend(range(number + 1, number + 1 + min(repeated, MAX_HIDDEN_RUN)))
                number += repeated
            tail = block[end:]
    return hidden


def _xls_hidden_rows(path: Path) -> dict[str, list[int]]:
    """Hidden rows of an Excel 97-2003 workbook: its ROW records with the "zero height" flag (BIFF8)."""
    stream = _cfb_stream(path.read_bytes(), ("Workbook", "Book"))
    records = _biff_records(stream, 0)
    sheets = []  # (name, offset of the sheet's records)
    for kind, data in records:
        if kind == 0x0085:  # BOUNDSHEET8
            offset, length, flags = struct.unpack_from("<I", data, 0)[0], data[6], data[7]
            raw = data[8:8 + (length * 2 if flags & 1 else length)]
            sheets.append((raw.decode("utf-16-le" if flags & 1 else "latin-1"), offset))
        elif kind == 0x000A:  # EOF of the globals
            break
    hidden = {}
    for name, offset in sheets:
        rows = []
        for kind, data in _biff_records(stream, offset):
            if kind == 0x0208 and len(data) >= 14 and struct.unpack_from("<H", data, 12)[0] & 0x20:
                rows.append(struct.unpack_from("<H", data, 0)[0] + 1)
            elif kind == 0x000A:
                break
        hidden[name] = rows
    return hidden


def _biff_records(stream: bytes, offset: int):
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4:offset + 4 + length]
        offset += 4 + length


def _cfb_stream(data: bytes, names) -> bytes:
    """A stream of an OLE2 compound file (what an .xls is) by name: enough of the format to find it."""
    if data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValueError("not a compound file")
    size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    first_directory, = struct.unpack_from("<I", data, 0x30)
    cutoff, first_minifat = struct.unpack_from("<II", data, 0x38)
    first_difat, difat_count = struct.unpack_from("<II", data, 0x44)
    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < 0xFFFFFFFA]
    sector = first_difat
    for _ in range(difat_count):
        entries = struct.unpack_from(f"<{size // 4}I", data, (sector + 1) * size)
        fat_sectors += [n for n in entries[:-1] if n < 0xFFFFFFFA]
        sector = entries[-1]

    def block(n):
        return data[(n + 1) * size:(n + 2) * size]

    fat = []
    for n in fat_sectors:
        fat += struct.unpack(f"<{size // 4}I", block(n))

    def chain(start, table):
        seen = set()
        while start < 0xFFFFFFFA and start not in seen and start < len(table):
            seen.add(start)
            yield start
            start = table[start]

    directory = b"".join(block(n) for n in chain(first_directory, fat))
    entries = []
    for at in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, at + 0x40)[0]
        name = directory[at:at + max(length - 2, 0)].decode("utf-16-le", "replace")
        entries.append((name, directory[at + 0x42], *struct.unpack_from("<II", directory, at + 0x74)))
    root_start = next(start for name, kind, start, _length in entries if kind == 5)
    for name, kind, start, length in entries:
        if kind != 2 or name not in names:
            continue
        if length >= cutoff:
            return b"".join(block(n) for n in chain(start, fat))[:length]
        minifat = []
        for n in chain(first_minifat, fat):
            minifat += struct.unpack(f"<{size // 4}I", block(n))
        mini_stream = b"".join(block(n) for n in chain(root_start, fat))
        return b"".join(mini_stream[n * mini_size:(n + 1) * mini_size] for n in chain(start, minifat))[:length]
    raise ValueError("no workbook stream")


#: A run of hidden rows longer than this (an .ods hides the empty rows to its end so) is listed this far only.
MAX_HIDDEN_RUN = 10_000


def _count(binary, needle: bytes, size: int = 1 << 20) -> int:
    """How often ``needle`` occurs in a binary stream, read in chunks (fast: nothing is parsed).

    For lines (``b"\\n"``), a last line without its end counts too.
    """
    count, tail, last = 0, b"", b""
    while chunk := binary.read(size):
        block = tail + chunk  # a needle split between two chunks is whole in the joined block
        count += block.count(needle)
        tail = block[len(block) - len(needle) + 1:] if len(needle) > 1 else b""
        last = chunk[-1:]
    if needle == b"\n" and last and last != b"\n":
        count += 1
    return count


def _long_cell(record: str, delimiter: str, limit: int) -> int | None:
    """The position of the first cell longer than ``limit`` in one CSV record, quotes respected."""
    index, length, quoted = 0, 0, False
    for char in record:
        if char == '"':
            quoted = not quoted  # a doubled quote inside a cell toggles twice
            continue
        if char == delimiter and not quoted:
            index, length = index + 1, 0
            continue
        elif char in "\r\n" and not quoted:
            continue
        length += 1
        if length > limit:
            return index
    return None


class _Lines:
    """The lines of a text file, remembering those of the record being read (to explain an error)."""

    def __init__(self, text):
        self.text = text
        self.record: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.text)
        self.record.append(line)
        return line


def _csv_problem(sheet, header, row, record: str, delimiter, error) -> UnreadableFile:
    """A clear message for a row the csv module refuses, naming the column where it can."""
    limit = csv.field_size_limit()
    if "field larger than field limit" not in str(error):
        return UnreadableFile(
            _("This row cannot be read as CSV (%(error)s).") % {"error": error}, sheet, row)
    index = _long_cell(record, delimiter, limit)
    column = None
    if index is not None:
        names = _header(header)
        column = names[index] if index < len(names) and names[index] else str(index + 1)
    return UnreadableFile(ngettext(
        "This cell is longer than the %(limit)d character a cell may hold.",
        "This cell is longer than the %(limit)d characters a cell may hold.", limit,
    ) % {"limit": limit}, sheet, row, column)
