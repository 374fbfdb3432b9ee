"""The admin's import page in a real browser: the streamed preview, then the import."""

import csv
import io
import zipfile

from cascade.trainings.models import Participation

from ..spreadsheets.conftest import small_network
from .conftest import sign_in


def zipped_workbook(path):
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in small_network().items():
            text = io.StringIO(newline="")
            csv.writer(text).writerows(rows)
            archive.writestr(f"{name}.csv", text.getvalue())
    return path


def test_an_admin_uploads_a_workbook_sees_progress_and_the_preview_then_imports_it(page, site, tmp_path):
    sign_in(page, site.url)

    page.goto(f"{site.url}/admin/import/")
    page.set_input_files("#id_file", str(zipped_workbook(tmp_path / "network.zip")))
    page.click("input[type=submit]")
    page.wait_for_selector("#import-result")

    progress = page.locator("#import-progress li").all_text_contents()
    assert progress[0] == "Checking sheet organizations…" and progress[-1] == "Counting what would change…"
    assert "participants: 4 rows would be created, 0 would be updated" in page.text_content("#import-result")
    assert Participation.objects.count() == 0

    page.click("#import-result input[type=submit]")
    page.wait_for_url(f"{site.url}/admin/import/confirm/")
    page.wait_for_selector("#import-result h2")

    assert page.text_content("#import-result h2").strip() == "Imported network.zip."
    assert Participation.objects.count() == 4
