import csv
import io
import os
import stat
import time
import zipfile

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from cascade.accounts.models import Role

from cascade.network.models import Organization
from cascade.spreadsheets import importer, services, uploads

from .conftest import database_counts, small_network


def zipped(folder) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for path in folder.iterdir():
            out.write(path, path.name)
    buffer.seek(0)
    buffer.name = "network.zip"
    return buffer


def page(response) -> str:
    """The whole text of a page, streamed or not (reading a streamed page runs the import)."""
    return response.getvalue().decode()


@pytest.fixture(autouse=True)
def _second_factor_not_enforced(settings):
    """The page is the subject here; cascade.accounts' tests cover the second factor."""
    settings.DEMO_MODE = True


@pytest.fixture
def staff_client(client, db):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


def test_staff_preview_then_confirm_an_upload(staff_client, write_csv):
    preview = staff_client.post("/admin/import/", {"file": zipped(write_csv(small_network()))})

    assert preview.status_code == 200
    assert "people: 3 rows to create, 0 to change, 0 unchanged" in page(preview)
    assert set(database_counts().values()) == {0}

    done = staff_client.post("/admin/import/confirm/")

    assert done.status_code == 200
    assert "Imported network.zip." in page(done)
    assert database_counts()["Participation"] == 4


def test_a_preview_with_errors_lists_them_and_offers_no_import(staff_client, write_csv):
    sheets = small_network()
    sheets["organizations"][1][3] = "ZZ"

    preview = staff_client.post("/admin/import/", {"file": zipped(write_csv(sheets))})

    text = page(preview)
    assert "“ZZ” is not a country: write its two-letter code, such as KZ, or its name, such as Kazakhstan." in text
    assert "/admin/import/confirm/" not in text
    assert staff_client.post("/admin/import/confirm/").status_code == 302
    assert set(database_counts().values()) == {0}


def test_confirm_imports_the_previewed_file_not_a_new_upload(staff_client, write_csv):
    staff_client.post("/admin/import/", {"file": zipped(write_csv(small_network()))})
    other = small_network()
    other["organizations"][1][1] = "Swapped in"

    page(staff_client.post("/admin/import/confirm/", {"file": zipped(write_csv(other, folder="other"))}))

    assert Organization.objects.get(key="swrc").name == "Shymkent Women's Resource Center"
    assert staff_client.post("/admin/import/confirm/").status_code == 302  # nothing waits any more
    assert database_counts()["Organization"] == 2


def test_an_upload_that_is_no_workbook_is_refused(staff_client):
    upload = io.BytesIO(b"hello")
    upload.name = "notes.txt"

    response = staff_client.post("/admin/import/", {"file": upload})

    assert "Upload an .xlsx, .xls or .ods workbook, a .csv file or a .zip of .csv files." in response.content.decode()


def test_a_signed_in_user_without_a_role_is_told_she_has_none(client, db):
    User.objects.create_user("volunteer", password="pw")
    client.login(username="volunteer", password="pw")

    response = client.get("/admin/import/")

    assert response.status_code == 403 and "You have no role yet" in response.content.decode()


def test_partner_staff_may_not_import_into_the_whole_network(client, create_organization):
    user = User.objects.create_user("pat", password="pw", is_staff=True)
    Role.objects.create(user=user, kind=Role.Kind.PARTNER_STAFF, organization=create_organization())
    client.force_login(user)

    assert client.get("/admin/import/").status_code == 403
    assert client.post("/admin/import/confirm/").status_code == 403


def test_the_admin_index_links_to_the_import(staff_client):
    assert 'href="/admin/import/"' in staff_client.get("/admin/").content.decode()




def test_the_preview_streams_its_progress_before_the_result(staff_client, write_csv, upload_folder):
    preview = staff_client.post("/admin/import/", {"file": zipped(write_csv(small_network()))})

    assert preview.streaming
    parts = [part.decode() for part in preview.streaming_content]
    first_result = next(i for i, part in enumerate(parts) if "import-result" in part)
    progress = [part for part in parts[:first_result] if part.startswith("<li>")]
    assert progress[0] == "<li>Checking sheet organizations…</li>" and progress[-1] == "<li>Comparing with Cascade…</li>"


def test_a_good_preview_keeps_the_upload_until_it_is_confirmed(staff_client, write_csv, upload_folder):
    page(staff_client.post("/admin/import/", {"file": zipped(write_csv(small_network()))}))

    assert len(list(upload_folder.iterdir())) == 1

    page(staff_client.post("/admin/import/confirm/"))

    assert list(upload_folder.iterdir()) == []


def test_a_huge_csv_cell_is_a_message_on_the_page_and_the_upload_is_removed(staff_client, write_csv, upload_folder):
    sheets = small_network()
    sheets["people"][1][1] = "A" * (csv.field_size_limit() + 1)

    preview = staff_client.post("/admin/import/", {"file": zipped(write_csv(sheets))})

    assert preview.status_code == 200
    text = page(preview)
    assert "<td>people</td><td>2</td><td>full_name</td><td>This cell is longer than the 131072 characters" in text
    assert list(upload_folder.iterdir()) == []


def test_a_preview_read_only_in_part_still_removes_the_upload(staff_client, write_csv, upload_folder):
    preview = staff_client.post("/admin/import/", {"file": zipped(write_csv(small_network()))})

    next(iter(preview.streaming_content))  # the browser goes away after the top of the page
    preview.close()

    assert list(upload_folder.iterdir()) == []


def test_a_new_preview_deletes_uploads_abandoned_over_an_hour_ago(staff_client, write_csv, upload_folder):
    abandoned = upload_folder / f"{uploads.UPLOAD_PREFIX}abandoned.zip"
    abandoned.write_bytes(b"names and e-mails")
    long_ago = time.time() - 2 * 60 * 60
    os.utime(abandoned, (long_ago, long_ago))

    page(staff_client.post("/admin/import/", {"file": zipped(write_csv(small_network()))}))

    assert not abandoned.exists()
    [waiting] = upload_folder.iterdir()
    assert stat.S_IMODE(waiting.stat().st_mode) == 0o600


def test_the_streamed_page_stays_in_the_language_of_the_request(staff_client, write_csv, upload_folder):
    preview = staff_client.post("/admin/import/", {"file": zipped(write_csv(small_network()))},
                                HTTP_ACCEPT_LANGUAGE="ru")
    translation.activate("en")  # the server thread served another request before the page was sent

    assert "Что изменит импорт" in page(preview)


def test_an_unexpected_failure_is_said_on_the_page_and_the_upload_is_removed(
        staff_client, write_csv, upload_folder, monkeypatch):
    def fail(self):
        raise RuntimeError("a fault injected in comparing")

    monkeypatch.setattr(importer._Import, "_compare", fail)

    text = page(staff_client.post("/admin/import/", {"file": zipped(write_csv(small_network()))}))

    assert "The import failed unexpectedly; nothing was imported. The error was logged." in text
    assert text.rstrip().endswith("</html>")
    assert list(upload_folder.iterdir()) == []
