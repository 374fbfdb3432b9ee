import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from cascade.network.models import Organization

from .conftest import database_counts, small_network


def test_import_prints_what_it_created(write_csv, db):
    out = io.StringIO()

    call_command("import", str(write_csv(small_network())), stdout=out)

    assert "participants: 4 rows created, 0 changed, 0 unchanged" in out.getvalue()
    assert database_counts()["Participation"] == 4


def test_import_dry_run_says_what_would_change_and_saves_nothing(write_csv, db):
    out = io.StringIO()

    call_command("import", str(write_csv(small_network())), "--dry-run", stdout=out)

    assert "people: 3 rows to create, 0 to change, 0 unchanged" in out.getvalue()
    assert "Dry run: nothing was saved." in out.getvalue()
    assert Organization.objects.count() == 0


def test_import_fails_with_every_error_on_stderr(write_csv, db):
    sheets = small_network()
    sheets["trainings"][1][4] = "2019-01-01"
    sheets["participants"][1][2] = "guest"
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 errors: nothing was imported."):
        call_command("import", str(write_csv(sheets)), stderr=err)

    assert err.getvalue().splitlines() == [
        "sheet trainings, row 2, column end_date: The training ends (2019-01-01) before it starts (2019-01-28).",
        "sheet participants, row 2, column role: “guest” is not one of: participant, facilitator, organiser.",
    ]
    assert set(database_counts().values()) == {0}


def test_template_and_export_write_workbooks(tmp_path, write_csv, db):
    call_command("import", str(write_csv(small_network())), stdout=io.StringIO())

    call_command("template", str(tmp_path / "template.xlsx"), stdout=io.StringIO())
    call_command("export", str(tmp_path / "export.xlsx"), stdout=io.StringIO())

    assert openpyxl.load_workbook(tmp_path / "template.xlsx")["people"].max_row == 1
    assert openpyxl.load_workbook(tmp_path / "export.xlsx")["people"].max_row == 4
