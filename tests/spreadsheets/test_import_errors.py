"""Every kind of bad input: the message names sheet, row and column, and nothing is written."""

import pytest

from cascade.network.models import Organization
from cascade.spreadsheets.importer import import_workbook  # the work itself; services check the actor
from cascade.trainings.models import Participation

from .conftest import all_counts, database_counts, linked_sheets, small_network

COLUMN = {name: index for name, index in (
    ("organizations.name", 1), ("organizations.kind", 2), ("organizations.country", 3),
    ("people.key", 0), ("people.gender", 2), ("people.country", 3), ("people.organization", 5),
    ("people.email", 6), ("trainings.key", 0), ("trainings.title", 1), ("trainings.kind", 2),
    ("trainings.start_date", 3), ("trainings.end_date", 4), ("trainings.host", 7),
    ("trainings.co_organisers", 8), ("trainings.language", 9), ("trainings.manuals", 10), ("trainings.source_training", 11),
    ("trainings.women_count", 12), ("trainings.men_count", 13), ("manuals.languages", 2),
    ("participants.training", 0), ("participants.person", 1), ("participants.role", 2),
    ("participants.completed", 3),
    ("memberships.person", 0), ("memberships.organization", 1), ("memberships.title", 2),
    ("memberships.start_date", 3), ("memberships.end_date", 4),
    ("manual_sessions.manual", 0), ("manual_sessions.number", 1), ("manual_sessions.title", 2),
    ("manual_sessions.kind", 5),
    ("editions.manual", 0), ("editions.language", 1), ("editions.year", 4), ("editions.url", 5),
    ("sessions.training", 0), ("sessions.order", 1), ("sessions.date", 3), ("sessions.manual", 4),
    ("sessions.session_number", 5), ("sessions.facilitators", 6),
)}

CASES = [
    # (sheet, data row index, column, bad value, expected row, expected message)
    ("organizations", 1, "name", "", 2, "A value is required."),
    ("organizations", 2, "kind", "donor", 3, "“donor” is not one of: partner, co-organiser, funder, other."),
    ("organizations", 1, "country", "Narnia", 2,
     "“Narnia” is not a country: write its two-letter code, such as KZ, or its name, such as Kazakhstan."),
    ("organizations", 1, "country", "КZ", 2, "“КZ” has the Cyrillic letter К in it: type KZ with Latin letters."),
    ("people", 1, "gender", "female", 2, "“female” is not one of: woman, man, other, not stated."),
    ("people", 2, "country", "XX", 3,
     "“XX” is not a country: write its two-letter code, such as KZ, or its name, such as Kazakhstan."),
    ("people", 1, "organization", "nope", 2, "No organizations row has the key “nope”, in this workbook or in Cascade."),
    ("people", 1, "email", "aigul at example", 2, "“aigul at example” is not an email address."),
    ("manuals", 1, "languages", "en;Russian", 2, "“russian” is not a language code, such as ru or kk."),
    ("manuals", 1, "languages", "en;xx", 2, "“xx” is not a language code, such as ru or kk."),
    ("trainings", 1, "language", "zz", 2, "“zz” is not a language code, such as ru or kk."),
    ("trainings", 1, "title", "", 2, "A value is required."),
    ("trainings", 1, "kind", "workshop", 2, "“workshop” is not one of: institute, step-down."),
    ("trainings", 1, "start_date", "01/02/2019", 2, "“01/02/2019” could be February 1, 2019 or January 2, 2019: "
     "write it as YYYY-MM-DD (February 1, 2019 is 2019-02-01) or as DD.MM.YYYY."),
    ("trainings", 1, "end_date", "2019-01-27", 2, "The training ends (2019-01-27) before it starts (2019-01-28)."),
    ("trainings", 1, "host", "unknown-org", 2, "No organizations row has the key “unknown-org”, in this workbook or in Cascade."),
    ("trainings", 1, "co_organisers", "osce;undp", 2, "No organizations row has the key “undp”, in this workbook or in Cascade."),
    ("trainings", 2, "manuals", "lta", 3, "No manuals row has the key “lta”, in this workbook or in Cascade."),
    ("trainings", 2, "source_training", "sd-1", 3, "A training cannot be its own source."),
    ("trainings", 2, "women_count", "-4", 3, "A count cannot be negative."),
    ("trainings", 2, "men_count", "2.5", 3, "“2.5” is not a whole number."),
    ("trainings", 2, "men_count", "many", 3, "“many” is not a whole number."),
    ("participants", 1, "training", "inst-2020", 2, "No trainings row has the key “inst-2020”, in this workbook or in Cascade."),
    ("participants", 2, "person", "", 3, "A value is required."),
    ("participants", 3, "role", "trainee", 4, "“trainee” is not one of: participant, facilitator, organiser."),
    ("participants", 4, "completed", "maybe", 5, "“maybe” is not yes or no (also accepted: true/false, 1/0, "
     "да/нет, ИСТИНА/ЛОЖЬ, иә/жоқ, ооба/жок, ha/yo'q, ҳа/не)."),
    ("memberships", 1, "person", "p-nobody", 2, "No people row has the key “p-nobody”, in this workbook or in Cascade."),
    ("memberships", 2, "organization", "", 3, "A value is required."),
    ("memberships", 1, "start_date", "March 2015", 2, "“March 2015” is not a date: write it as YYYY-MM-DD "
     "(2019-01-15), DD.MM.YYYY (15.01.2019), or as a spreadsheet date."),
    ("memberships", 1, "end_date", "2014-12-31", 2, "The role ends (2014-12-31) before it starts (2015-03-01)."),
    ("manual_sessions", 3, "manual", "ltx", 4, "No manuals row has the key “ltx”, in this workbook or in Cascade."),
    ("manual_sessions", 3, "number", "three", 4, "“three” is not a whole number."),
    ("manual_sessions", 3, "number", "0", 4, "0 is not from 1 to 32767."),
    ("manual_sessions", 3, "title", "", 4, "A value is required."),
    ("manual_sessions", 2, "kind", "lecture", 3, "“lecture” is not one of: case study, scenario, roleplay, discussion, exercise, other."),
    ("editions", 1, "manual", "lta", 2, "No manuals row has the key “lta”, in this workbook or in Cascade."),
    ("editions", 1, "language", "Russian", 2, "“russian” is not a language code, such as ru or kk."),
    ("editions", 1, "year", "2004.5", 2, "“2004.5” is not a whole number."),
    ("editions", 2, "year", "12", 3, "12 is not from 1000 to 9999."),
    ("editions", 1, "url", "example dot org", 2, "“example dot org” is not a web address, such as https://example.org/manual.pdf."),
    ("sessions", 1, "training", "inst-2020", 2, "No trainings row has the key “inst-2020”, in this workbook or in Cascade."),
    ("sessions", 2, "order", "second", 3, "“second” is not a whole number."),
    ("sessions", 3, "order", "", 4, "A value is required."),
    ("sessions", 1, "date", "29.02.2019", 2, "“29.02.2019” is not a day of the calendar."),
    ("sessions", 1, "manual", "", 2, "Give the key of the manual whose session this is."),
    ("sessions", 1, "session_number", "", 2, "Give the number of the manual's session, or leave manual blank."),
    ("sessions", 1, "session_number", "9", 2, "The manual “ltc” has no session 9, in this workbook or in Cascade."),
    ("sessions", 3, "facilitators", "p-aigul;p-ghost", 4, "No people row has the key “p-ghost”, in this workbook or in Cascade."),
]


@pytest.mark.parametrize("sheet, index, column, value, row, message", CASES)
def test_a_bad_cell_is_named_and_nothing_is_written(write_csv, db, sheet, index, column, value, row, message):
    sheets = {**small_network(), **linked_sheets()}
    sheets[sheet][index][COLUMN[f"{sheet}.{column}"]] = value

    result = import_workbook(write_csv(sheets))

    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [(sheet, row, column, message)]
    assert result.error_count == 1
    assert set(all_counts().values()) == {0}


@pytest.mark.parametrize("sheet, row, column, message", [
    ("memberships", ["p-aigul", "swrc", "Founder", "", "", ""], "organization",
     "The same person and organisation are already in row 2."),
    ("manual_sessions", ["ltc", "2", "Again", "", "", "", ""], "number",
     "The same manual and number are already in row 3."),
    ("editions", ["ltc", "AR", "maghrebi", "", "", ""], "language",
     "The same manual, language and variant are already in row 3."),
    ("sessions", ["sd-1", "1", "Twice", "", "", "", ""], "order",
     "The same training and order are already in row 4."),
])
def test_a_row_repeating_another_names_the_first_one(write_csv, db, sheet, row, column, message):
    sheets = {**small_network(), **linked_sheets()}
    sheets[sheet].append(row)

    result = import_workbook(write_csv(sheets))

    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        (sheet, len(sheets[sheet]), column, message),
    ]
    assert set(all_counts().values()) == {0}


def test_a_key_used_twice_in_a_sheet_names_the_first_row(write_csv, db):
    sheets = small_network()
    sheets["people"].append(["p-aigul", "Aigul Other", "woman", "KZ", "", "", "", ""])

    result = import_workbook(write_csv(sheets))

    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("people", 5, "key", "The key “p-aigul” is already used in row 2."),
    ]
    assert set(database_counts().values()) == {0}


def test_a_duplicate_participant_row_names_the_first_one(write_csv, db):
    sheets = small_network()
    sheets["participants"].append(["inst-2019", "p-aigul", "participant", "no"])

    result = import_workbook(write_csv(sheets))

    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("participants", 6, "person", "The same person, role and training are already in row 2."),
    ]
    assert set(database_counts().values()) == {0}


def test_a_missing_required_column_is_an_error_on_the_header_row(write_csv, db):
    sheets = small_network()
    sheets["trainings"] = [row[:5] + row[6:] for row in sheets["trainings"]]  # no country

    result = import_workbook(write_csv(sheets))

    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("trainings", 1, "country", "This required column is missing."),
    ]
    assert set(database_counts().values()) == {0}


def test_a_title_column_that_contradicts_the_title_is_refused(write_csv, db):
    sheets = small_network()
    sheets["trainings"][0].append("title_ru")
    sheets["trainings"][1].append("Другое название")
    sheets["trainings"][2].append("")

    result = import_workbook(write_csv(sheets))

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("trainings", 2, "title_ru")]
    assert result.errors[0].message == "This differs from the title column, which is already the title in ru."
    assert set(database_counts().values()) == {0}


def test_all_errors_are_reported_at_once_across_sheets(write_csv, db):
    sheets = small_network()
    sheets["organizations"][1][3] = "QQ"
    sheets["trainings"][2][3] = "yesterday"
    sheets["participants"][3][2] = "boss"
    sheets["participants"][4][0] = "nowhere"

    result = import_workbook(write_csv(sheets))

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        ("organizations", 2, "country"), ("trainings", 3, "start_date"),
        ("participants", 4, "role"), ("participants", 5, "training"),
    ]
    assert set(database_counts().values()) == {0}


def test_an_error_in_the_last_row_undoes_updates_to_data_already_there(write_csv, db):
    assert import_workbook(write_csv(small_network())).ok
    sheets = small_network()
    sheets["organizations"][1][1] = "Renamed"
    sheets["participants"][2][3] = "no"
    sheets["participants"].append(["sd-1", "p-nino", "participant", "perhaps"])
    before = database_counts()

    result = import_workbook(write_csv(sheets, folder="again"))

    assert not result.ok
    assert database_counts() == before
    assert Organization.objects.get(key="swrc").name == "Shymkent Women's Resource Center"
    assert Participation.objects.get(person__key="p-nino").completed is True


def test_a_windows_1251_file_is_read_as_russian_excel_saves_it(write_csv, db):
    sheets = {"organizations": small_network()["organizations"]}
    sheets["organizations"][1][4] = "Шымкент"

    result = import_workbook(write_csv(sheets, encoding="cp1251"))

    assert result.ok, [str(e) for e in result.errors]
    assert Organization.objects.get(key="swrc").city == "Шымкент"


def test_a_file_that_is_not_text_is_refused_with_the_reason(tmp_path, db):
    (tmp_path / "organizations.csv").write_bytes(bytes(range(256)) * 40)

    result = import_workbook(tmp_path / "organizations.csv")

    assert [e.message for e in result.errors] == [
        "organizations.csv is neither UTF-8 nor Windows-1251 text: save it as “CSV UTF-8”."]
    assert set(database_counts().values()) == {0}


def test_a_file_that_is_no_workbook_is_refused(tmp_path, db):
    path = tmp_path / "notes.txt"
    path.write_text("hello")

    result = import_workbook(path)

    assert [e.message for e in result.errors] == [
        "notes.txt is not a workbook (.xlsx, .xls or .ods), a .csv file, a folder of .csv files or a .zip of them."
    ]


def test_a_workbook_without_known_sheets_is_refused(write_csv, db):
    result = import_workbook(write_csv({"Sheet1": [["a", "b"], ["1", "2"]]}))

    assert [e.message for e in result.errors] == [
        "No sheet to import: name the sheets organizations, people, manuals, trainings, participants, "
        "memberships, manual_sessions, editions, sessions."
    ]


def test_completed_yes_on_a_training_that_has_not_ended_is_refused_naming_row_and_last_day(write_csv, db):
    import time_machine

    sheets = small_network()
    sheets["trainings"][1][3:5] = ["2027-05-10", "2027-05-12"]  # the institute is planned
    with time_machine.travel("2026-12-02"):
        result = import_workbook(write_csv(sheets))

    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("participants", 2, "completed", "The training has not ended (its last day is 2027-05-12): "
                                         "completed can be yes only from that day on."),
    ]
    assert set(all_counts().values()) == {0}


def test_a_blank_completed_on_a_planned_training_means_not_completed(write_csv, db):
    import time_machine

    sheets = small_network()
    sheets["trainings"][1][3:5] = ["2027-05-10", "2027-05-12"]
    sheets["participants"][1][3] = ""
    with time_machine.travel("2026-12-02"):
        result = import_workbook(write_csv(sheets))
        assert result.ok, result.errors
    assert Participation.objects.get(person__key="p-aigul", training__key="inst-2019").completed is False
    assert Participation.objects.get(person__key="p-aigul", training__key="sd-1").completed is True
