"""`cascade export`: a progress bar on a terminal, and `--background` for `cascade worker`."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cascade.jobs import services as jobs
from cascade.jobs.models import Job
from cascade.lib.pseudonyms import pseudonym


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def network(create_training, create_person):
    aigul = create_person(key="aigul", full_name="Aigul Nurlanovna", email="aigul@example.org")
    create_training(key="inst", participants=[aigul])
    return aigul


def test_the_export_on_a_terminal_shows_each_sheet_and_piped_prints_only_its_counts(network, tmp_path):
    shown, said = Terminal(), io.StringIO()
    call_command("export", str(tmp_path / "a.xlsx"), "--pseudonymise", stdout=said, stderr=shown)
    assert "Writing the sheet “people”" in shown.getvalue() and "Writing the file" in shown.getvalue()
    piped, quiet = io.StringIO(), io.StringIO()
    call_command("export", str(tmp_path / "b.xlsx"), "--pseudonymise", stdout=quiet, stderr=piped)
    assert piped.getvalue() == ""
    assert quiet.getvalue() == said.getvalue().replace("a.xlsx", "b.xlsx")


def test_a_background_pseudonymised_export_is_written_by_the_worker_where_asked(network, tmp_path, run_jobs):
    said = io.StringIO()
    call_command("export", str(tmp_path / "evaluators.xlsx"), "--pseudonymise", "--background", stdout=said)
    job = Job.objects.get()
    assert job.kind == "spreadsheet-export" and job.owner is None and str(job.pk) in said.getvalue()
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    book = openpyxl.load_workbook(tmp_path / "evaluators.xlsx", read_only=True)
    people = [row for row in book["people"].iter_rows(min_row=2, values_only=True)]
    assert people[0][0] == pseudonym("person", "aigul") and "Aigul" not in str(people)
    assert "people: 1 row" in job.result["lines"]
    assert not job.result_file  # the file is where the operator asked, not among the jobs' results


def test_a_background_export_to_a_folder_is_refused_at_once(db, tmp_path):
    with pytest.raises(CommandError, match="is a folder"):
        call_command("export", str(tmp_path), "--background", stdout=io.StringIO())
    assert not Job.objects.exists()


def test_a_users_export_job_keeps_its_file_for_her_and_never_writes_a_path_she_names(network, alice, tmp_path,
                                                                                     client, run_jobs):
    job = jobs.start(alice, "spreadsheet-export", {"path": str(tmp_path / "mine.xlsx"), "pseudonymise": True})
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert not (tmp_path / "mine.xlsx").exists()
    client.force_login(alice)
    download = client.get(reverse("jobs:result", args=[job.pk]))
    assert download.status_code == 200 and "cascade-export-pseudonymised.xlsx" in download["Content-Disposition"]
