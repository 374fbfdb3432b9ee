"""Make the sample workbooks of tests/spreadsheets/test_import_formats.py (run once; the files are committed).

    python tests/spreadsheets/data/make_samples.py    # needs LibreOffice (apt-get install libreoffice-calc-nogui)

``regional.xlsx`` is written here with openpyxl as staff in the region make theirs: a title
row above the header, headers in Russian, Kazakh and Arabic, an ``E-mail`` column, dates
typed 30.01.2019 and as real dates, ИСТИНА/да for yes, a country by its Russian name, a
hidden row and a hidden sheet. LibreOffice turns it into ``regional.ods`` and
``regional.xls`` (hidden rows and sheets kept).
"""

import datetime
import subprocess
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent


def build(path: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    organizations = book.create_sheet("organizations")
    for row in (
        ["Ключ", "Название", "Тип", "Страна", "Город"],
        ["swrc", "Shymkent Women's Resource Center", "partner", "Казахстан", "Shymkent"],
    ):
        organizations.append(row)
    people = book.create_sheet("people")
    for row in (
        ["Участники института 2019"],
        [],
        ["Ключ", "ФИО", "Пол", "Страна", "Организация", "E-mail", "Телефон"],
        ["p-aigul", "Айгуль Тестова", "woman", "KZ", "swrc", "aigul@example.org", "+7 700 000 0001"],
        ["p-hidden", "Hidden Row", "woman", "KZ", "swrc", "hidden@example.org", ""],
        ["p-nino", "Nino Example", "woman", "Грузия", "", "nino@example.org", ""],
    ):
        people.append(row)
    people.row_dimensions[5].hidden = True  # p-hidden
    trainings = book.create_sheet("trainings")
    for row in (
        ["Кілт", "Атауы", "Түрі", "Басталу күні", "Аяқталу күні", "Ел"],
        ["inst-2019", "Шымкентский институт 2019", "institute", datetime.date(2019, 1, 28), "30.01.2019", "KZ"],
    ):
        trainings.append(row)
    participants = book.create_sheet("participants")
    for row in (
        ["التدريب", "الشخص", "الدور", "أكمل"],
        ["inst-2019", "p-aigul", "participant", "ИСТИНА"],
        ["inst-2019", "p-nino", "facilitator", "да"],
    ):
        participants.append(row)
    hidden = book.create_sheet("memberships")
    hidden.sheet_state = "hidden"
    for row in (
        ["person", "organization", "title"],
        ["p-aigul", "swrc", "President"],
    ):
        hidden.append(row)
    book.save(path)


if __name__ == "__main__":
    source = HERE / "regional.xlsx"
    build(source)
    for target in ("ods", "xls"):
        subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", str(HERE), str(source)],
                       check=True)
