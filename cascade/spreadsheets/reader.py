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

from django.utils.translation import gettext as _

#: (spreadsheet row number as the user sees it, the row's cells)
Row = tuple[int, tuple]


class UnreadableFile(Exception):
    """The file is not a workbook, a folder or a zip of CSV files."""


@dataclass
class SheetData:
    name: str
    header: list[str]
    open_rows: Callable[[], Iterator[Row]]

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
                self._open_xlsx()
            elif zipfile.is_zipfile(self.path):
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
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, ())

            def open_rows(rows=rows):
                return enumerate(rows, start=2)

            self.sheets[sheet.title.strip().lower()] = SheetData(
                sheet.title.strip().lower(), _header(header), open_rows
            )

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
        header = next(csv.reader([first], delimiter=delimiter), [])

        def open_rows():
            reader = csv.reader(text, delimiter=delimiter)
            try:
                for number, cells in enumerate(reader, start=2):
                    yield number, cells
            except UnicodeDecodeError as error:
                raise UnreadableFile(
                    _("%(name)s.csv is not UTF-8 text: save it as “CSV UTF-8”.") % {"name": stem}
                ) from error

        self.sheets[name] = SheetData(name, _header(header), open_rows)
