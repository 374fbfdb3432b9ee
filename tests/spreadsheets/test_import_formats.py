"""Spreadsheets as staff in the region make them: .ods and .xls, Windows-1251 CSV, title rows,
headers in other languages, hidden rows and sheets, dates and yes/no as typed.

The .ods and .xls samples in data/ were made once from data/make_samples.py with LibreOffice.
"""

import datetime
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from cascade.network.models import Organization, Person
from cascade.spreadsheets import values
from cascade.spreadsheets.exporter import write_template
from cascade.spreadsheets.importer import import_workbook
from cascade.spreadsheets.reader import Workbook
from cascade.trainings.models import Participation, Training

from .conftest import HEADERS, database_counts, small_network

DATA = Path(__file__).parent / "data"


def _messages(result):
    return [str(problem) for problem in result.errors]


# -- the region's workbooks, in three formats ----------------------------------------------------

@pytest.mark.parametrize("name", ["regional.xlsx", "regional.ods", "regional.xls"])
def test_a_regional_workbook_imports_in_every_format_leaving_hidden_rows_and_sheets_out(name, db):
    result = import_workbook(DATA / name)

    assert result.ok, _messages(result)
    aigul = Person.objects.get(key="p-aigul")
    assert (aigul.full_name, aigul.email, aigul.country_id) == ("Айгуль Тестова", "aigul@example.org", "KZ")
    assert Person.objects.get(key="p-nino").country_id == "GE"  # typed Грузия
    assert not Person.objects.filter(key="p-hidden").exists()
    assert Organization.objects.get(key="swrc").country_id == "KZ"  # typed Казахстан
    institute = Training.objects.get(key="inst-2019")
    assert (institute.start_date, institute.end_date) == (datetime.date(2019, 1, 28), datetime.date(2019, 1, 30))
    assert set(Participation.objects.values_list("person__key", "completed")) == {("p-aigul", True), ("p-nino", True)}
    warnings = [(w.sheet, w.message) for w in result.warnings]
    assert ("memberships", "This sheet is hidden in the spreadsheet, so it was left out. To import it, show it, "
            "or include hidden rows and sheets.") in warnings
    assert ("people", "Row 5 is hidden in the spreadsheet, so it was left out. To import it, show it, "
            "or include hidden rows and sheets.") in warnings
    assert not Person.objects.get(key="p-aigul").memberships.exists()


@pytest.mark.parametrize("name", ["regional.xlsx", "regional.ods", "regional.xls"])
def test_hidden_rows_and_sheets_are_read_when_included(name, db):
    result = import_workbook(DATA / name, include_hidden=True)

    assert result.ok, _messages(result)
    assert Person.objects.get(key="p-hidden").email == "hidden@example.org"
    assert Person.objects.get(key="p-aigul").memberships.get().title == {"en": "President"}
    assert any(w.message.startswith("Row 5 is hidden") and "read, as asked" in w.message for w in result.warnings)


def test_the_reader_finds_the_header_below_the_title_rows_and_names_the_columns():
    with Workbook(DATA / "regional.ods") as book:
        people = book.sheets["people"]
        assert people.header_row == 3
        assert people.header == ["key", "full_name", "gender", "country", "organization", "email", "phone"]
        assert people.hidden_rows == [5]
        assert [number for number, _cells in people.rows()] == [4, 6]
        assert book.sheets["participants"].header == ["training", "person", "role", "completed"]
        assert book.sheets["trainings"].header[:4] == ["key", "title", "kind", "start_date"]
        assert book.hidden_sheets == ["memberships"] and "memberships" not in book.sheets


def test_the_import_command_includes_hidden_rows_when_asked(db):
    call_command("import", str(DATA / "regional.ods"), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Person.objects.filter(key="p-hidden").exists()

    call_command("import", str(DATA / "regional.ods"), "--include-hidden", stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert Person.objects.filter(key="p-hidden").exists()


# -- CSV as Excel saves it in Russian ------------------------------------------------------------

def test_a_windows_1251_csv_with_semicolons_and_a_title_row_imports(write_csv, db):
    sheets = small_network()
    sheets["people"] = [
        ["Список участников"],
        ["Ключ", "ФИО", "Пол", "Страна", "Город", "Организация", "E-mail", "Телефон"],
        ["p-aigul", "Айгуль Тестова", "woman", "Казахстан", "Шымкент", "swrc", "aigul@example.org", ""],
        ["p-nino", "Нино", "woman", "GE", "Тбилиси", "", "", ""],
        ["p-arman", "Арман", "", "KZ", "", "", "", ""],
    ]
    folder = write_csv(sheets, encoding="cp1251", delimiter=";")

    result = import_workbook(folder)

    assert result.ok, _messages(result)
    aigul = Person.objects.get(key="p-aigul")
    assert (aigul.full_name, aigul.city, aigul.email) == ("Айгуль Тестова", "Шымкент", "aigul@example.org")


def test_a_utf8_csv_with_a_byte_order_mark_imports(write_csv, db):
    result = import_workbook(write_csv(small_network(), encoding="utf-8-sig"))

    assert result.ok, _messages(result)
    assert database_counts()["Person"] == 3


def test_a_single_csv_file_is_its_sheet(tmp_path, write_csv, db):
    folder = write_csv({"organizations": small_network()["organizations"]})

    result = import_workbook(folder / "organizations.csv")

    assert result.ok and Organization.objects.count() == 2


# -- columns -------------------------------------------------------------------------------------

def test_an_unknown_column_is_an_error_naming_sheet_row_and_column_never_dropped(write_csv, db):
    sheets = small_network()
    sheets["people"][0] = ["key", "full_name", "gender", "country", "city", "organization", "Электронка", "phone"]

    result = import_workbook(write_csv(sheets))

    assert not result.ok and database_counts()["Person"] == 0
    [problem] = result.errors
    assert (problem.sheet, problem.row, problem.column) == ("people", 1, "электронка")
    assert problem.message.startswith("Cascade does not know this column. Rename it to one of key, full_name,")


def test_a_near_miss_column_gets_the_column_it_may_mean(write_csv, db):
    sheets = small_network()
    sheets["people"][0] = [*HEADERS["people"][:6], "emial", "phone"]

    result = import_workbook(write_csv(sheets))

    assert _messages(result) == ["sheet people, row 1, column emial: Cascade does not know this column: did you mean "
                                 "email? Rename it, or delete the column (nothing in it would be imported)."]


@pytest.mark.parametrize("header", ["E-mail", "Email", "e_mail", "Электронная почта", "Эл. почта", "ایمیل",
                                    "البريد الإلكتروني", "ელ-ფოსტა"])
def test_an_email_column_is_read_whatever_it_is_called(header, write_csv, db):
    sheets = small_network()
    sheets["people"][0] = [header if column == "email" else column for column in HEADERS["people"]]

    result = import_workbook(write_csv(sheets))

    assert result.ok, _messages(result)
    assert Person.objects.get(key="p-aigul").email == "aigul@example.org"


def test_the_same_column_twice_under_two_names_is_an_error(write_csv, db):
    sheets = small_network()
    sheets["people"] = [list(row) for row in sheets["people"]]  # HEADERS stays as it is
    for row in sheets["people"]:
        row.append("Full name" if row[0] == "key" else "x")

    result = import_workbook(write_csv(sheets))

    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("people", 1, "full_name", "This column appears twice.")]


@pytest.mark.parametrize("language", ["ru", "kk", "ar"])
def test_a_template_in_a_language_imports_back(language, tmp_path, db):
    path = tmp_path / f"template-{language}.xlsx"
    call_command("template", str(path), "--lang", language, stdout=io.StringIO())
    book = openpyxl.load_workbook(path)
    with translation.override(language):
        from cascade.spreadsheets.schema import label_of, sheet_label

        people = book[str(sheet_label("people"))]
        assert [cell.value for cell in people[1]][:2] == [str(label_of("key")), str(label_of("full_name"))]
    people.append(["p-1", "Айгуль", "woman", "KZ", "", "", "a@example.org", ""])
    book.save(path)

    result = import_workbook(path)

    assert result.ok, _messages(result)
    assert Person.objects.get(key="p-1").email == "a@example.org"


def test_the_template_command_refuses_a_language_cascade_lacks(tmp_path):
    with pytest.raises(CommandError, match="not one of Cascade's languages"):
        call_command("template", str(tmp_path / "t.xlsx"), "--lang", "xx", stdout=io.StringIO())


def test_the_english_template_keeps_the_schema_names(tmp_path):
    write_template(tmp_path / "t.xlsx")
    assert [c.value for c in openpyxl.load_workbook(tmp_path / "t.xlsx")["people"][1]][:2] == ["key", "full_name"]


# -- values --------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("15.01.2019", datetime.date(2019, 1, 15)),
    ("5.1.2019", datetime.date(2019, 1, 5)),
    ("15.01.2019 г.", datetime.date(2019, 1, 15)),
    ("2019-01-15", datetime.date(2019, 1, 15)),
    ("2019-01-15 00:00:00", datetime.date(2019, 1, 15)),
    (43480, datetime.date(2019, 1, 15)),
    (43480.0, datetime.date(2019, 1, 15)),
    ("43480", datetime.date(2019, 1, 15)),
    ("15 января 2019 г.", datetime.date(2019, 1, 15)),
    ("15 январь 2019", datetime.date(2019, 1, 15)),
    ("15 янв. 2019", datetime.date(2019, 1, 15)),
    ("3 қаңтар 2020 ж.", datetime.date(2020, 1, 3)),
    ("15 January 2019", datetime.date(2019, 1, 15)),
    ("January 15, 2019", datetime.date(2019, 1, 15)),
    ("15/01/2019", datetime.date(2019, 1, 15)),  # only one reading is a day
    ("01/01/2019", datetime.date(2019, 1, 1)),  # the same either way
    (datetime.datetime(2019, 1, 15, 10, 30), datetime.date(2019, 1, 15)),
    ("", None),
])
def test_dates_are_read_when_unambiguous(raw, expected):
    assert values.parse_date(raw) == (expected, None)


@pytest.mark.parametrize("raw, message", [
    ("01/02/2019", "“01/02/2019” could be February 1, 2019 or January 2, 2019: write it as YYYY-MM-DD "
                   "(February 1, 2019 is 2019-02-01) or as DD.MM.YYYY."),
    ("15.01.19", "“15.01.19” has a two-digit year: write the year in full, as in 15.01.2019."),
    ("31.02.2019", "“31.02.2019” is not a day of the calendar."),
    (2019, "2019 is a number, not a date: write the date as YYYY-MM-DD (2019-01-15) or DD.MM.YYYY (15.01.2019)."),
    ("soon", "“soon” is not a date: write it as YYYY-MM-DD (2019-01-15), DD.MM.YYYY (15.01.2019), "
             "or as a spreadsheet date."),
])
def test_ambiguous_or_wrong_dates_are_refused_with_the_fix(raw, message):
    with translation.override("en"):
        assert values.parse_date(raw) == (None, message)


def test_an_ambiguous_date_in_a_workbook_names_sheet_row_and_column(write_csv, db):
    sheets = small_network()
    sheets["trainings"][1][3] = "01/02/2019"

    result = import_workbook(write_csv(sheets))

    assert not result.ok and database_counts()["Training"] == 0
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("trainings", 2, "start_date")]
    assert "could be February 1, 2019 or January 2, 2019" in result.errors[0].message


@pytest.mark.parametrize("raw", ["yes", "TRUE", "1", "ИСТИНА", "Да", "иә", "ооба", "ha", "ҳа", True, 1.0, ""])
def test_yes_in_every_language(raw):
    assert values.yes_no(raw) is True


@pytest.mark.parametrize("raw", ["no", "False", "0", "ЛОЖЬ", "нет", "жоқ", "жок", "yo'q", "yoʻq", "не", False, 0])
def test_no_in_every_language(raw):
    assert values.yes_no(raw) is False


def test_a_word_that_is_neither_yes_nor_no_says_what_is_accepted(write_csv, db):
    sheets = small_network()
    sheets["participants"][1][3] = "может быть"

    result = import_workbook(write_csv(sheets))

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("participants", 2, "completed")]
    assert result.errors[0].message.startswith("“может быть” is not yes or no (also accepted: true/false, 1/0, да/нет")


def test_a_cyrillic_letter_in_a_country_code_is_named(write_csv, db):
    sheets = small_network()
    sheets["organizations"][1][3] = "КZ"  # a Cyrillic К

    result = import_workbook(write_csv(sheets))

    assert _messages(result) == ["sheet organizations, row 2, column country: “КZ” has the Cyrillic letter К in it: "
                                 "type KZ with Latin letters."]


@pytest.mark.parametrize("name, code", [
    ("Kazakhstan", "KZ"), ("Казахстан", "KZ"), ("Қазақстан", "KZ"), ("Кыргызстан", "KG"),
    ("Qozogʻiston", "KZ"), ("საქართველო", "GE"), ("كازاخستان", "KZ"), ("قزاقستان", "KZ"), ("kz", "KZ"),
])
def test_a_country_may_be_named_in_any_of_the_nine_languages(name, code):
    assert values.country(name, {"KZ", "KG", "GE"}) == (code, None)


def test_a_country_that_is_no_country_says_how_to_write_one():
    assert values.country("Narnia", {"KZ"}) == (None, "“Narnia” is not a country: write its two-letter code, "
                                                      "such as KZ, or its name, such as Kazakhstan.")


# -- a workbook that is neither --------------------------------------------------------------------

def test_a_file_of_another_kind_is_refused_naming_the_kinds_accepted(tmp_path, db):
    path = tmp_path / "network.pdf"
    path.write_bytes(b"%PDF-1.4")

    result = import_workbook(path)

    assert _messages(result) == ["network.pdf is not a workbook (.xlsx, .xls or .ods), a .csv file, a folder of .csv "
                                 "files or a .zip of them."]


def test_a_damaged_ods_is_one_clear_message(tmp_path, db):
    path = tmp_path / "network.ods"
    shutil.copy(DATA / "regional.xlsx", path)  # a zip, but no OpenDocument

    result = import_workbook(path)

    assert not result.ok and result.errors[0].message.startswith("network.ods cannot be read as an .ods workbook")


# -- the upload form -----------------------------------------------------------------------------

def _upload(client, path: Path, **fields):
    with open(path, "rb") as data:
        return client.post("/admin/import/", {"file": data, **fields})


@pytest.mark.parametrize("include_hidden", [False, True])
def test_the_upload_form_passes_include_hidden_to_the_check_and_the_import(
        include_hidden, client, alice, worker_running, run_jobs, upload_folder):
    from cascade.jobs.models import Job

    client.force_login(alice)
    response = _upload(client, DATA / "regional.ods", **({"include_hidden": "on"} if include_hidden else {}))
    check = Job.objects.get(kind="spreadsheet-check")
    assert response.status_code == 302 and check.params["include_hidden"] is include_hidden
    run_jobs()
    check.refresh_from_db()
    assert any("Row 5 is hidden" in warning for warning in check.result["warnings"])

    client.post("/admin/import/confirm/", {"job": str(check.pk)})
    assert Job.objects.get(kind="spreadsheet-import").params["include_hidden"] is include_hidden
    run_jobs()
    assert Person.objects.filter(key="p-hidden").exists() is include_hidden


def test_a_single_csv_upload_keeps_its_sheet_name(client, alice, worker_running, run_jobs, upload_folder, write_csv):
    from cascade.jobs.models import Job

    client.force_login(alice)
    folder = write_csv({"organizations": small_network()["organizations"]})
    _upload(client, folder / "organizations.csv")
    run_jobs()
    check = Job.objects.get(kind="spreadsheet-check")
    assert check.result["ok"] and check.result["summary"] == ["organizations: 2 rows to create, 0 to change, "
                                                              "0 unchanged"]


def test_hidden_rows_of_an_ods_are_counted_through_repeated_and_grouped_rows(tmp_path):
    import zipfile

    from cascade.spreadsheets.reader import _ods_hidden_rows

    content = (
        '<office:document-content xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body>'
        '<table:table table:style-name="ta1" table:name="people &amp; roles">'
        '<table:table-header-rows><table:table-row><table:table-cell/></table:table-row></table:table-header-rows>'
        '<table:table-row table:number-rows-repeated="2"/>'
        '<table:table-row-group><table:table-row table:visibility="collapse" table:number-rows-repeated="2">'
        '<table:table-cell/></table:table-row></table:table-row-group>'
        '<table:table-row table:visibility="filter"/><table:table-row/>'
        '</table:table><table:table table:name="other"><table:table-row table:visibility="collapse"/></table:table>'
        '</office:body></office:document-content>'
    )
    path = tmp_path / "grouped.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", content)

    assert _ods_hidden_rows(path) == {"people & roles": [4, 5, 6], "other": [1]}


def test_every_label_in_every_language_names_its_own_column_and_sheet(settings):
    """What the template writes in a language imports back: a translation that made two columns
    of a sheet alike, or a sheet name Excel refuses, fails here."""
    from cascade.spreadsheets.headers import column_name, sheet_name
    from cascade.spreadsheets.schema import INSTRUCTIONS_SHEET, SHEETS, label_of, sheet_label

    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for spec in SHEETS:
                assert sheet_name(str(sheet_label(spec.name))) == spec.name, (language, spec.name)
                title = str(sheet_label(spec.name))
                assert len(title) <= 31 and not set(title) & set("[]:*?/\\"), (language, title)
                for column in spec.column_names:
                    assert column_name(spec.name, str(label_of(column))) == column, (language, spec.name, column)
            assert sheet_name(str(sheet_label(INSTRUCTIONS_SHEET))) == INSTRUCTIONS_SHEET


def test_a_cyrillic_letter_in_a_language_code_is_named(write_csv, db):
    sheets = small_network()
    sheets["trainings"][1][9] = "kk".replace("k", "к")  # both Cyrillic

    result = import_workbook(write_csv(sheets))

    assert _messages(result) == ["sheet trainings, row 2, column language: “кк” has the Cyrillic letter к in it: "
                                 "type kk with Latin letters."]
