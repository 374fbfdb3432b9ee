"""The import page with a worker running: a check job, its page, Confirm, the import job."""

import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from cascade.audit.models import AuditEntry
from cascade.jobs.models import Job
from cascade.jobs.progress import Progress
from cascade.network.models import Organization, Person
from cascade.spreadsheets import services

from .conftest import HEADERS, database_counts, small_network
from .test_admin_page import zipped


@pytest.fixture
def admin_client(client, alice):
    client.force_login(alice)
    return client


def upload(client, folder):
    response = client.post("/admin/import/", {"file": zipped(folder)})
    assert response.status_code == 302, response.content[:500]
    job = Job.objects.get(pk=re.fullmatch(r"/jobs/([0-9a-f-]+)/", response.url).group(1))
    return job


def test_an_upload_is_checked_in_the_background_then_confirmed_and_imported(
        admin_client, alice, write_csv, worker_running, run_jobs, upload_folder):
    check = upload(admin_client, write_csv(small_network()))

    assert (check.kind, check.state, check.owner) == ("spreadsheet-check", Job.State.QUEUED, alice)
    waiting = admin_client.get(reverse("jobs:detail", args=[check.pk])).content.decode()
    assert "<progress" in waiting and "No background worker is running" not in waiting

    assert run_jobs() == 1
    check.refresh_from_db()
    assert check.state == Job.State.DONE
    assert check.phase == "Comparing sheet participants with Cascade"  # the last phase (the sheets before it: see below)
    page = admin_client.get(reverse("jobs:detail", args=[check.pk])).content.decode()
    assert "people: 3 rows to create, 0 to change, 0 unchanged" in page
    assert f'name="job" value="{check.pk}"' in page and 'action="/admin/import/confirm/"' in page
    assert set(database_counts().values()) == {0}
    assert len(list(upload_folder.iterdir())) == 1  # kept for the Confirm

    confirmed = admin_client.post("/admin/import/confirm/", {"job": str(check.pk)})
    imported = Job.objects.get(kind="spreadsheet-import")
    assert confirmed.url == reverse("jobs:detail", args=[imported.pk])
    assert run_jobs() >= 1  # the import, and the figures' recompute it schedules

    imported.refresh_from_db()
    assert imported.state == Job.State.DONE, imported.error
    assert database_counts()["Participation"] == 4
    assert AuditEntry.objects.filter(action="cascade.spreadsheet.imported", user=alice).exists()
    assert list(upload_folder.iterdir()) == []
    assert "Imported network.zip." in admin_client.get(reverse("jobs:detail", args=[imported.pk])).content.decode()
    # a second Confirm (a double click, the back button) leads to the same import
    assert admin_client.post("/admin/import/confirm/", {"job": str(check.pk)}).url == confirmed.url
    assert Job.objects.filter(kind="spreadsheet-import").count() == 1


def test_a_check_lists_every_problem_offers_no_import_and_removes_the_upload(
        admin_client, write_csv, worker_running, run_jobs, upload_folder):
    sheets = small_network()
    sheets["people"] += [[f"p-{i}", "Someone", "", "ZZ", "", "", "", ""] for i in range(40)]

    check = upload(admin_client, write_csv(sheets))
    run_jobs()

    page = admin_client.get(reverse("jobs:detail", args=[check.pk])).content.decode()
    assert "40 errors: nothing was imported." in page
    for row in range(5, 45):  # all of them, each with its row, column and reason
        assert (f"<td>people</td><td>{row}</td><td>country</td>"
                "<td>“ZZ” is not a country: write its two-letter code, such as KZ, or its name, such as Kazakhstan.</td>") in page
    assert 'action="/admin/import/confirm/"' not in page
    assert list(upload_folder.iterdir()) == []
    refused = admin_client.post("/admin/import/confirm/", {"job": str(check.pk)})
    assert refused.url == "/admin/import/" and not Job.objects.filter(kind="spreadsheet-import").exists()


def test_an_import_refused_after_a_good_check_changes_nothing_and_names_row_and_column(
        admin_client, write_csv, worker_running, run_jobs, upload_folder):
    sheets = small_network()
    del sheets["organizations"]  # the people's organisation is already in Cascade...
    Organization.objects.create(key="swrc", name="SWRC", kind="partner", country_id="KZ")
    Organization.objects.create(key="osce", name="OSCE", kind="co-organiser", country_id="AT")
    check = upload(admin_client, write_csv(sheets))
    run_jobs()
    Organization.objects.filter(key="swrc").delete()  # ...until someone deletes it before the Confirm

    admin_client.post("/admin/import/confirm/", {"job": str(check.pk)})
    run_jobs()

    imported = Job.objects.get(kind="spreadsheet-import")
    assert imported.state == Job.State.FAILED
    assert imported.error.splitlines()[:2] == [
        "2 errors: nothing was imported.",
        "sheet people, row 2, column organization: No organizations row has the key “swrc”, "
        "in this workbook or in Cascade.",
    ]
    assert Person.objects.count() == 0 and database_counts()["Training"] == 0
    assert list(upload_folder.iterdir()) == []
    page = admin_client.get(reverse("jobs:detail", args=[imported.pk])).content.decode()
    assert "row 2, column organization" in page
    assert "people: 3 rows to create" in admin_client.get(reverse("jobs:detail", args=[check.pk])).content.decode()


def test_other_personas_cannot_see_or_confirm_an_admins_import(
        admin_client, client, bob, carol, erin, write_csv, worker_running, run_jobs):
    check = upload(admin_client, write_csv(small_network()))
    run_jobs()
    for user in (bob, carol, erin):
        client.force_login(user)
        for name in ("jobs:detail", "jobs:progress"):
            assert client.get(reverse(name, args=[check.pk])).status_code == 404, (user, name)
        assert client.post("/admin/import/confirm/", {"job": str(check.pk)}).status_code in (302, 403)
    assert not Job.objects.filter(kind="spreadsheet-import").exists()


def test_another_admin_cannot_confirm_a_check_she_did_not_upload(
        admin_client, client, write_csv, worker_running, run_jobs, django_user_model):
    from cascade.accounts.models import Role

    check = upload(admin_client, write_csv(small_network()))
    run_jobs()
    other = django_user_model.objects.create_user("second-admin", is_staff=True)
    Role.objects.create(user=other, kind=Role.Kind.NETWORK_ADMIN)
    client.force_login(other)

    assert client.post("/admin/import/confirm/", {"job": str(check.pk)}).status_code == 404
    assert client.post("/admin/import/confirm/", {"job": "not-a-job"}).status_code == 404


def test_the_command_queues_a_copy_with_background_and_a_worker_imports_it(write_csv, run_jobs, upload_folder):
    out = io.StringIO()
    folder = write_csv(small_network())

    call_command("import", str(folder), "--background", stdout=out)

    job = Job.objects.get(kind="spreadsheet-import")
    assert (job.owner, job.state) == (None, Job.State.QUEUED)
    text = out.getvalue()
    assert f"Queued job {job.pk}." in text and f"/jobs/{job.pk}/" in text and "cascade worker" in text
    assert database_counts()["Participation"] == 0
    assert run_jobs() >= 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert database_counts()["Participation"] == 4
    assert list(upload_folder.iterdir()) == [] and folder.exists()  # the copy goes, her folder stays


def test_the_command_queues_a_dry_run_as_a_check_without_confirm(write_csv, run_jobs, upload_folder):
    call_command("import", str(write_csv(small_network())), "--dry-run", "--background", stdout=io.StringIO())
    run_jobs()

    job = Job.objects.get()
    assert (job.kind, job.state, job.result["can_confirm"]) == ("spreadsheet-check", Job.State.DONE, False)
    assert "people: 3 rows to create, 0 to change, 0 unchanged" in job.result["summary"]
    assert list(upload_folder.iterdir()) == [] and database_counts()["Person"] == 0


class Recorded(Progress):
    def __init__(self):
        super().__init__()
        self.seen = []

    def _show(self, force=False):
        self.seen.append((self.name, self.done, self.total))


def write_only_xlsx(path, sheets):
    """As Cascade's export writes a workbook: no declared size, so the rows are counted."""
    book = openpyxl.Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("kind", ["csv", "xlsx", "xlsx written by openpyxl"])
def test_progress_names_each_sheet_and_counts_its_rows(kind, write_csv, write_xlsx, tmp_path, db):
    sheets = {"people": [HEADERS["people"]] + [[f"p{i}", f"Person {i}", "", "", "", "", "", ""] for i in range(2500)]}
    path = {"csv": lambda: write_csv(sheets), "xlsx": lambda: write_xlsx(sheets),
            "xlsx written by openpyxl": lambda: write_only_xlsx(tmp_path / "export.xlsx", sheets)}[kind]()
    progress = Recorded()

    services.import_workbook(path, _operator(), progress=progress)

    reading = [(done, total) for name, done, total in progress.seen if name == "Reading sheet people"]
    assert reading[0] == (0, 2500) and (1000, 2500) in reading and reading[-1] == (2500, 2500)
    checking = [(done, total) for name, done, total in progress.seen if name == "Checking sheet people"]
    assert checking[0] == (0, 2500) and checking[-1] == (2500, 2500)
    assert [name for name, _done, _total in progress.seen][-2:] == ["Preparing the rows to write", "Writing"]
    assert Person.objects.count() == 2500


def _operator():
    from cascade.access import operator

    return operator()
