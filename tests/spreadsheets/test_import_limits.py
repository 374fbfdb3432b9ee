"""The importer's limits: one short write transaction, huge cells, zip bombs, abandoned uploads."""

import csv
import io
import os
import stat
import time
import tracemalloc
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cascade.lib.crypto import email_digest
from cascade.network.models import Organization, Person
from cascade.spreadsheets import importer, reader, uploads
from cascade.spreadsheets.importer import import_in_steps, import_workbook
from cascade.trainings.models import Training

from .conftest import all_counts, database_counts, linked_sheets, small_network

LIMIT = csv.field_size_limit()
pytestmark = pytest.mark.django_db


def import_watching_transactions(path, during_checks=lambda: None):
    """Run an import; record, at each line of progress, whether a transaction was open."""
    steps, result = import_in_steps(path)
    seen = []
    for line in steps:
        seen.append((line, connection.in_atomic_block))
        if line.startswith("Checking sheet participants"):
            during_checks()
    return result, seen


@pytest.mark.django_db(transaction=True)
def test_the_whole_workbook_is_checked_with_no_transaction_open_then_written(write_csv):
    result, seen = import_watching_transactions(write_csv(small_network()))

    assert result.ok, result.errors
    checks = [open_ for line, open_ in seen if line.startswith("Checking sheet")]
    assert len(checks) == 5 and not any(checks)
    assert seen[-1] == ("Writing…", False)  # the transaction opens after the last line, and closes before the next
    assert database_counts()["Participation"] == 4


@pytest.mark.django_db(transaction=True)
def test_a_preview_counts_by_reading_and_never_opens_a_transaction(write_csv):
    steps, result = import_in_steps(write_csv({**small_network(), **linked_sheets()}), dry_run=True)

    lines = []
    for line in steps:
        lines.append((line, connection.in_atomic_block))

    assert result.ok
    assert lines[-1] == ("Comparing with Cascade…", False)
    assert set(all_counts().values()) == {0}


def preview_then_import(path) -> tuple[dict, dict]:
    preview = import_workbook(path, dry_run=True)
    done = import_workbook(path)
    assert preview.ok and done.ok, (preview.errors, done.errors)
    return dict(preview.counts), dict(done.counts)


def test_a_preview_counts_exactly_what_the_import_then_creates_and_updates(write_csv):
    first = {**small_network(), **linked_sheets()}
    preview, done = preview_then_import(write_csv(first))
    assert preview == done and done["participants"] == {"created": 4, "changed": 0, "unchanged": 0}

    second = {**small_network(), **linked_sheets()}
    second["people"] = [*second["people"], ["p-dana", "Dana New", "woman", "KZ", "", "", "", ""]]
    second["participants"] = [*second["participants"], ["sd-1", "p-dana", "participant", "yes"],
                              ["inst-2019", "p-aigul", "organiser", "no"]]
    second["memberships"] = [*second["memberships"], ["p-dana", "swrc", "Member", "", "", ""]]
    second["manual_sessions"] = [*second["manual_sessions"], ["ltc", "4", "Coalitions", "2", "", "", ""]]
    second["editions"] = [*second["editions"], ["ltc", "kk", "", "", "", ""]]
    second["sessions"] = [*second["sessions"], ["sd-1", "2", "Итоги", "2019-03-02", "", "", ""]]
    preview, done = preview_then_import(write_csv(second, folder="second"))

    assert preview == done
    assert done["people"] == {"created": 1, "changed": 0, "unchanged": 3}
    assert done["participants"] == {"created": 2, "changed": 0, "unchanged": 4}
    assert {done[name]["created"] for name in ("memberships", "manual_sessions", "editions", "sessions")} == {1}


@pytest.mark.django_db(transaction=True)
def test_a_write_that_fails_after_the_checks_leaves_nothing_half_written(write_csv):
    assert import_workbook(write_csv(small_network())).ok
    sheets = {
        "organizations": [small_network()["organizations"][0], ["bir-duino", "Bir Duino", "partner", "KG", "Bishkek"]],
        "participants": [small_network()["participants"][0], ["sd-1", "p-nino", "participant", "yes"]],
    }

    # Someone deletes the step-down after it was checked and before it is written.
    result, _seen = import_watching_transactions(
        write_csv(sheets, folder="second"), during_checks=lambda: Training.objects.filter(key="sd-1").delete())

    assert not result.ok
    assert result.errors[0].message.startswith("The database refused the import")
    assert not Organization.objects.filter(key="bir-duino").exists()


def test_a_csv_cell_longer_than_the_csv_limit_is_a_message_naming_row_and_column(write_csv):
    sheets = small_network()
    sheets["participants"][3][2] = "x" * (LIMIT + 1)

    result = import_workbook(write_csv(sheets))

    assert [(p.sheet, p.row, p.column, p.message) for p in result.errors] == [(
        "participants", 4, "role", f"This cell is longer than the {LIMIT} characters a cell may hold.",
    )]
    assert set(database_counts().values()) == {0}


def test_a_long_cell_spanning_lines_in_quotes_is_found_in_its_column(write_csv):
    sheets = small_network()
    sheets["people"][2][4] = "line\n" * (LIMIT // 5 + 1)  # city, quoted over many lines

    result = import_workbook(write_csv(sheets))

    assert [(p.sheet, p.row, p.column) for p in result.errors] == [("people", 3, "city")]


def test_a_header_cell_longer_than_the_limit_is_a_message_naming_row_one(write_csv):
    sheets = small_network()
    sheets["manuals"][0] = ["key", "t" * (LIMIT + 1), "languages"]

    result = import_workbook(write_csv(sheets))

    assert [(p.sheet, p.row, p.column) for p in result.errors] == [("manuals", 1, "2")]


def zip_bomb(path, unpacked=20 * 1024 * 1024):
    """An .xlsx-shaped zip whose worksheet unpacks to ``unpacked`` bytes from a few kilobytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", "<Types/>")
        with out.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"<row/>" * 100_000
            for _ in range(unpacked // len(block)):
                sheet.write(block)
    return path


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path):
    path = zip_bomb(tmp_path / "network.xlsx")
    assert path.stat().st_size < 200_000

    tracemalloc.start()
    try:
        result = import_workbook(path)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(result.errors) == 1
    assert result.errors[0].message.startswith(
        "network.xlsx was refused: its part xl/worksheets/sheet1.xml would unpack to ")
    assert "(at most 100 times is accepted)" in result.errors[0].message
    assert peak < 5 * 1024 * 1024


def test_a_zip_of_csv_files_that_would_unpack_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNPACKED", 1_000_000)
    path = tmp_path / "network.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as out:  # stored: no ratio at all, only size
        out.writestr("people.csv", os.urandom(1_200_000))

    result = import_workbook(path)

    assert [p.message for p in result.errors] == [
        "network.zip was refused: it would unpack to 1 MB, more than the 1 MB accepted."]


def test_an_ordinary_workbook_is_well_within_the_zip_limits(write_xlsx):
    path = write_xlsx(small_network())

    reader.check_zip(path)  # raises nothing
    assert import_workbook(path).ok




def test_a_waiting_upload_is_readable_by_its_owner_only(upload_folder):
    upload = io.BytesIO(b"key,name\n")
    upload.name = "Network.ZIP"
    upload.chunks = lambda: [upload.getvalue()]

    path = uploads.save_upload(upload)

    assert path.parent == upload_folder and path.suffix == ".zip"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == b"key,name\n"


def test_uploads_older_than_an_hour_are_deleted_and_newer_ones_kept(upload_folder):
    old = upload_folder / f"{uploads.UPLOAD_PREFIX}old.xlsx"
    new = upload_folder / f"{uploads.UPLOAD_PREFIX}new.xlsx"
    other = upload_folder / "someone-else.xlsx"
    for path in (old, new, other):
        path.write_bytes(b"names and e-mails")
    an_hour_ago = time.time() - uploads.UPLOAD_MAX_AGE - 1
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(other, (an_hour_ago, an_hour_ago))

    out = io.StringIO()
    call_command("clean-imports", stdout=out)

    assert not old.exists() and new.exists() and other.exists()
    assert out.getvalue().strip() == "1 abandoned upload deleted."


def test_a_damaged_worksheet_is_a_message_naming_the_sheet(write_xlsx, tmp_path):
    path = write_xlsx(small_network())
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet5.xml":  # participants, the fifth sheet, cut short
                data = data[:data.index(b'<row r="4"') + 12]
            out.writestr(member, data)

    result = import_workbook(damaged)

    assert [(p.sheet, p.row) for p in result.errors] == [("participants", None)]
    assert result.errors[0].message.startswith("This sheet cannot be read (")
    assert set(database_counts().values()) == {0}


def test_new_people_written_from_statements_prepared_before_the_transaction_keep_contacts_encrypted(write_csv):
    assert import_workbook(write_csv(small_network())).ok  # swrc exists from now on
    sheets = small_network()
    sheets["people"] = [sheets["people"][0], ["p-dana", "Dana New", "woman", "KZ", "", "swrc", "Dana@Example.org ", "+7 701"]]

    assert import_workbook(write_csv(sheets, folder="second")).ok

    dana = Person.objects.get(key="p-dana")
    assert (dana.full_name, dana.organization.key, dana.email, dana.phone) == (
        "Dana New", "swrc", "Dana@Example.org", "+7 701")
    assert dana.email_hash == email_digest("dana@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, phone FROM network_person WHERE key = %s", ["p-dana"])
        stored = cursor.fetchone()
    assert "Dana" not in stored[0] and "+7" not in stored[1]


def test_importing_the_same_people_again_writes_none_of_them_but_a_changed_one(write_csv):
    assert import_workbook(write_csv(small_network())).ok
    sheets = small_network()
    sheets["people"][3] = [*sheets["people"][3][:4], "Almaty", *sheets["people"][3][5:]]  # p-arman moved

    with CaptureQueriesContext(connection) as queries:
        result = import_workbook(write_csv(sheets, folder="second"))

    assert result.counts["people"] == {"created": 0, "changed": 1, "unchanged": 2}
    person_updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "network_person"')]
    arman = Person.objects.get(key="p-arman").pk
    assert len(person_updates) == 1 and person_updates[0].endswith(f'WHERE "network_person"."id" IN ({arman})')
    assert Person.objects.get(key="p-arman").city == "Almaty"
    assert Person.objects.get(key="p-aigul").email == "aigul@example.org"


def test_a_long_participants_sheet_reports_its_progress_as_it_is_checked(write_csv, monkeypatch):
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 2)

    steps, result = import_in_steps(write_csv(small_network()), dry_run=True)

    lines = list(steps)
    assert result.ok
    assert [line for line in lines if "participant" in line] == [
        "Checking sheet participants…", "2 participant rows checked…", "4 participant rows checked…"]


def test_a_file_named_xlsx_that_is_no_zip_is_refused_as_no_workbook(tmp_path):
    path = tmp_path / "network.xlsx"
    path.write_text("key,name\nswrc,SWRC\n")

    result = import_workbook(path)

    assert len(result.errors) == 1
    assert result.errors[0].message.startswith("network.xlsx cannot be read as an .xlsx workbook (")
