"""The spreadsheet workflows that the commands and the admin page call."""

from cascade.spreadsheets.exporter import export_workbook, write_template  # noqa: F401
from cascade.spreadsheets.importer import ImportResult, Problem, import_workbook  # noqa: F401
