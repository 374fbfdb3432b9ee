"""The admin's import page in a real browser, with a worker: the check's progress, its result, the import."""

import csv
import io
import zipfile

import pytest
from django.utils import timezone

from cascade.jobs import heartbeat
from cascade.trainings.models import Participation

from ..spreadsheets.conftest import small_network
from .conftest import sign_in

# As every browser test. Without it, the flush after these tests puts Django's content types back
# under ids of their own, and the next browser test on the same worker failed to restore the
# serialized database over them (UNIQUE constraint failed: django_content_type; seen on main when
# test_institute_planning ran right after this file).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def zipped_workbook(path):
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in small_network().items():
            text = io.StringIO(newline="")
            csv.writer(text).writerows(rows)
            archive.writestr(f"{name}.csv", text.getvalue())
    return path


def run_waiting_jobs(page):
    """What ``cascade worker`` does, in this process, while the page keeps polling."""
    from cascade.jobs.worker import drain

    with page.expect_response(lambda response: "/progress/" in response.url):
        pass  # the page has polled at least once while the job waited
    assert drain() >= 1  # an import also schedules the figures' recompute


def test_an_admin_sees_the_check_and_the_import_progress_and_results_without_reloading(page, site, tmp_path):
    heartbeat.beat("browser-test-worker", timezone.now())  # a worker counts as running
    sign_in(page, site.url)

    page.goto(f"{site.url}/admin/import/")
    page.set_input_files("#id_file", str(zipped_workbook(tmp_path / "network.zip")))
    page.click("input[type=submit]")
    page.wait_for_url(f"{site.url}/jobs/*/")
    assert page.locator("section.job progress").is_visible()
    page.evaluate("window.notReloaded = true")

    run_waiting_jobs(page)
    page.wait_for_selector("#import-result", timeout=10_000)

    assert page.evaluate("window.notReloaded") is True
    assert page.locator("section.job progress").count() == 0
    assert "participants: 4 rows to create, 0 to change, 0 unchanged" in page.text_content("#import-result")
    assert Participation.objects.count() == 0

    page.click("#import-result input[type=submit]")
    page.wait_for_url(f"{site.url}/jobs/*/")
    page.wait_for_selector("section.job[data-state=queued]")
    page.evaluate("window.notReloaded = true")

    run_waiting_jobs(page)
    page.wait_for_selector("#import-result h2", timeout=10_000)

    assert page.evaluate("window.notReloaded") is True
    assert page.text_content("#import-result h2").strip() == "Imported network.zip."
    assert Participation.objects.count() == 4


PHONE = {"width": 360, "height": 740}


def test_the_staff_apps_import_page_and_its_changes_fit_a_phone_screen(page, site, tmp_path):
    """The staff app's page, its check with the rows to create, the import and its links: none wider than 360 px."""
    heartbeat.beat("browser-test-worker", timezone.now())
    sign_in(page, site.url)
    page.set_viewport_size(PHONE)

    page.goto(f"{site.url}/import/")
    assert page.locator('a[href="/import/template/"]').is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_input_files("#id_file", str(zipped_workbook(tmp_path / "network.zip")))
    page.click("form button.primary")
    page.wait_for_url(f"{site.url}/jobs/*/")
    run_waiting_jobs(page)
    page.wait_for_selector("#import-result table.import-created", timeout=10_000)
    assert "participants: 4 rows to create" in page.text_content("#import-result")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.click("#import-result input[type=submit]")
    page.wait_for_url(f"{site.url}/jobs/*/")
    run_waiting_jobs(page)
    page.wait_for_selector("#import-result ul.import-created", timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert Participation.objects.count() == 4
    page.click("#import-result ul.import-created a >> nth=0")
    page.wait_for_url(f"{site.url}/trainings/*/")
