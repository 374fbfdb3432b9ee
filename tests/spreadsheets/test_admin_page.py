import io
import zipfile

import pytest
from django.contrib.auth.models import User

from cascade.accounts.models import Role

from cascade.network.models import Organization

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
    assert "people: 3 rows would be created, 0 would be updated" in page(preview)
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
    assert "“ZZ” is not a country code: use two letters, such as KZ." in text
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

    assert "Upload an .xlsx workbook or a .zip of .csv files." in response.content.decode()


def test_people_who_are_not_staff_are_sent_to_the_login(client, db):
    User.objects.create_user("volunteer", password="pw")
    client.login(username="volunteer", password="pw")

    response = client.get("/admin/import/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_partner_staff_may_not_import_into_the_whole_network(client, create_organization):
    user = User.objects.create_user("pat", password="pw", is_staff=True)
    Role.objects.create(user=user, kind=Role.Kind.PARTNER_STAFF, organization=create_organization())
    client.force_login(user)

    assert client.get("/admin/import/").status_code == 403
    assert client.post("/admin/import/confirm/").status_code == 403


def test_the_admin_index_links_to_the_import(staff_client):
    assert 'href="/admin/import/"' in staff_client.get("/admin/").content.decode()
