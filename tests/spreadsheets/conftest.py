"""Write workbooks for the tests: a folder of CSV files or an .xlsx, from plain lists."""

import csv

import openpyxl
import pytest

from cascade.curriculum.models import Edition, Manual, ManualSession
from cascade.network.models import Membership, Organization, Person
from cascade.trainings.models import Participation, Training, TrainingSession

HEADERS = {
    "organizations": ["key", "name", "kind", "country", "city"],
    "people": ["key", "full_name", "gender", "country", "city", "organization", "email", "phone"],
    "manuals": ["key", "title", "languages"],
    "trainings": [
        "key", "title", "kind", "start_date", "end_date", "country", "city", "host", "co_organisers",
        "language", "manuals", "source_training", "women_count", "men_count", "other_count",
    ],
    "participants": ["training", "person", "role", "completed"],
    "memberships": ["person", "organization", "title", "start_date", "end_date", "title_ru"],
    "manual_sessions": ["manual", "number", "title", "part", "part_title", "kind", "title_ru"],
    "editions": ["manual", "language", "variant", "title", "year", "url"],
    "sessions": ["training", "order", "title", "date", "manual", "session_number", "facilitators"],
}


def small_network() -> dict[str, list[list]]:
    """A valid workbook: SWRC's 2019 institute, its Georgian facilitator and one step-down."""
    return {
        "organizations": [
            HEADERS["organizations"],
            ["swrc", "Shymkent Women's Resource Center", "partner", "KZ", "Shymkent"],
            ["osce", "OSCE", "co-organiser", "AT", "Vienna"],
        ],
        "people": [
            HEADERS["people"],
            ["p-aigul", "Aigul Testova", "woman", "KZ", "Shymkent", "swrc", "aigul@example.org", "+7 700 000 0001"],
            ["p-nino", "Nino Example", "woman", "GE", "Tbilisi", "", "", ""],
            ["p-arman", "Arman Fictional", "", "kz", "", "", "", ""],
        ],
        "manuals": [
            HEADERS["manuals"],
            ["ltc", "Leading to Choices", "en;ru;ky"],
        ],
        "trainings": [
            HEADERS["trainings"],
            ["inst-2019", "Shymkent institute 2019", "institute", "2019-01-28", "2019-01-30", "KZ", "Shymkent",
             "swrc", "osce", "ru", "ltc", "", "", "", ""],
            ["sd-1", "Step-down in Turkestan", "step-down", "2019-03-02", "", "KZ", "Turkestan",
             "", "", "", "ltc", "inst-2019", "14", "3", "0"],
        ],
        "participants": [
            HEADERS["participants"],
            ["inst-2019", "p-aigul", "participant", "yes"],
            ["inst-2019", "p-nino", "facilitator", ""],
            ["inst-2019", "p-arman", "participant", "no"],
            ["sd-1", "p-aigul", "facilitator", "yes"],
        ],
    }


def linked_sheets() -> dict[str, list[list]]:
    """The optional sheets for :func:`small_network`: roles, the manual's sessions and editions, agendas."""
    return {
        "memberships": [
            HEADERS["memberships"],
            ["p-aigul", "swrc", "President", "2015-03-01", "", "Президент"],
            ["p-nino", "osce", "Consultant", "", "", ""],
        ],
        "manual_sessions": [
            HEADERS["manual_sessions"],
            ["ltc", "1", "Communicating for change", "1", "Communication", "discussion", "Общение ради перемен"],
            ["ltc", "2", "Building consensus", "1", "Communication", "exercise", ""],
            ["ltc", "3", "Negotiating", "2", "", "roleplay", ""],
        ],
        "editions": [
            HEADERS["editions"],
            ["ltc", "ru", "", "Путь к выбору", "2004", "https://example.org/ltc-ru.pdf"],
            ["ltc", "ar", "maghrebi", "", "2012", ""],
        ],
        "sessions": [
            HEADERS["sessions"],
            ["inst-2019", "1", "", "2019-01-28", "ltc", "1", "p-nino"],
            ["inst-2019", "2", "Обед", "2019-01-28", "", "", ""],
            ["sd-1", "1", "", "2019-03-02", "ltc", "2", "p-aigul;p-nino"],
        ],
    }


def all_counts() -> dict[str, int]:
    """:func:`database_counts` and the rows of the optional sheets."""
    return {
        **database_counts(),
        **{model.__name__: model.objects.count() for model in (Membership, ManualSession, TrainingSession)},
        "facilitators": TrainingSession.facilitators.through.objects.count(),
    }


def database_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organization, Person, Manual, Edition, Training, Participation)
    }


@pytest.fixture
def write_csv(tmp_path):
    """``write_csv(sheets)`` -> a folder with one UTF-8 CSV per sheet."""

    def write(sheets: dict[str, list[list]], folder: str = "workbook", encoding: str = "utf-8", delimiter=","):
        path = tmp_path / folder
        path.mkdir(exist_ok=True)
        for name, rows in sheets.items():
            with open(path / f"{name}.csv", "w", encoding=encoding, newline="") as out:
                csv.writer(out, delimiter=delimiter).writerows(rows)
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path):
    """``write_xlsx(sheets)`` -> an .xlsx with one sheet per entry (cells may be dates or numbers)."""

    def write(sheets: dict[str, list[list]], name: str = "workbook.xlsx"):
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        path = tmp_path / name
        book.save(path)
        return path

    return write


@pytest.fixture
def upload_folder(settings):
    """The folder of the test's own where uploads of the admin's import page wait (see tests/conftest.py)."""
    from cascade.spreadsheets import uploads

    return uploads.upload_folder()
