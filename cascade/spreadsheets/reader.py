"""Read the sheets of a workbook as streams of numbered rows.

Three containers hold the same sheets: an .xlsx workbook, a folder of
``<sheet>.csv`` files, or a .zip of such files (what the admin page accepts).
Rows stream, so a million-row participants sheet never sits in memory.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from django.utils.translation import gettext as _, ngettext

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

    def estimated_rows(self) -> int | None:
        """About how many data rows the sheet holds (blank and multi-line rows make it approximate)."""
        try:
            count = self.count_rows()
        except Exception:  # an estimate for a progress bar never fails the import; reading it says what is wrong
            return None
        return None if count is None else max(count, 0)

    def rows(self) -> Iterator[Row]:
        """Data rows, numbered from 2 (the header is row 1); blank rows are skipped."""
        for number, cells in self.open_rows():
            if any(cell is not None and cell != "" for cell in cells):
                yield number, cells


def _header(cells) -> list[str]:
    # "key*" as written by people who copy the instructions is the same column.
    return [str(c).strip().lower().rstrip("*").strip() if c is not None else "" for c in cells]


class Workbook:
    """The sheets found in ``path``, by lower-case name; use as a context manager."""

    def __init__(self, path):
        self.path = Path(path)
        self.sheets: dict[str, SheetData] = {}
        self._stack = ExitStack()

    def __enter__(self):
        try:
            if self.path.is_dir():
                self._open_folder()
            elif self.path.suffix.lower() in (".xlsx", ".xlsm"):  # also a zip, so first
                check_zip(self.path)
                self._open_xlsx()
            elif zipfile.is_zipfile(self.path):
                check_zip(self.path)
                self._open_zip()
            elif self.path.suffix.lower() == ".csv":
                self._add_csv(self.path.stem, lambda p=self.path: open(p, "rb"))
            else:
                raise UnreadableFile(
                    _("%(name)s is not an .xlsx workbook, a folder of .csv files or a .zip of them.")
                    % {"name": self.path.name}
                )
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc):
        self._stack.close()

    def _open_xlsx(self):
        import openpyxl

        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise UnreadableFile(
                _("%(name)s cannot be read as an .xlsx workbook (%(error)s).")
                % {"name": self.path.name, "error": error}
            ) from error
        self._stack.callback(book.close)
        for sheet in book.worksheets:
            name = sheet.title.strip().lower()
            rows = sheet.iter_rows(values_only=True)
            header = next(_xlsx_rows(name, rows, start=1), (1, ()))[1]

            def open_rows(name=name, rows=rows):
                return _xlsx_rows(name, rows, start=2)

            def count_rows(sheet=sheet, archive=book._archive):
                if sheet.max_row:  # the size the workbook declares (Excel writes it)
                    return sheet.max_row - 1
                with archive.open(sheet._worksheet_path) as xml:  # unsized (openpyxl's own): count the rows
                    return _count(xml, b"<row") - 1

            self.sheets[name] = SheetData(name, _header(header), open_rows, count_rows)

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
        name = stem.strip().lower()
        binary = self._stack.enter_context(open_binary())
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        self._stack.callback(text.detach)
        try:
            first = text.readline()
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                _("%(name)s.csv is not UTF-8 text: save it as “CSV UTF-8”.") % {"name": stem}
            ) from error
        # Spreadsheet programs in Russian and other locales save CSV with semicolons.
        delimiter = ";" if first.count(";") > first.count(",") else ","
        try:
            header = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error as error:
            raise _csv_problem(name, [], 1, first, delimiter, error) from error

        def open_rows():
            lines = _Lines(text)
            reader = csv.reader(lines, delimiter=delimiter)
            number = 1
            try:
                for number, cells in enumerate(reader, start=2):
                    lines.record.clear()
                    yield number, cells
            except UnicodeDecodeError as error:
                raise UnreadableFile(
                    _("%(name)s.csv is not UTF-8 text: save it as “CSV UTF-8”.") % {"name": stem}
                ) from error
            except csv.Error as error:
                raise _csv_problem(name, header, number + 1, "".join(lines.record), delimiter, error) from error

        def count_rows():
            with open_binary() as again:  # a second handle: the rows are read from the first
                return _count(again, b"\n") - 1

        self.sheets[name] = SheetData(name, _header(header), open_rows, count_rows)


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


def _xlsx_rows(sheet: str, rows, start: int) -> Iterator[Row]:
    """Numbered rows of a worksheet; a row openpyxl cannot read is a message naming it, not a crash."""
    number = start - 1
    try:
        for number, cells in enumerate(rows, start=start):
            yield number, cells
    except Exception as error:  # damaged XML, a text node too large for the parser, ...
        raise UnreadableFile(
            _("This row cannot be read (%(error)s).") % {"error": error}, sheet, number + 1
        ) from error


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
