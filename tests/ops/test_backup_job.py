"""`cascade backup`: a progress bar on a terminal, and `--background` for `cascade worker`."""

import io

import pytest
from django.core.management import CommandError, call_command

from cascade.audit.models import AuditEntry
from cascade.jobs.models import Job
from cascade.ops import services


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_backup_on_a_terminal_shows_its_phases_and_piped_prints_only_its_line(create_training, tmp_path):
    create_training(key="inst")
    shown, said = Terminal(), io.StringIO()
    call_command("backup", str(tmp_path / "a.backup"), stdout=said, stderr=shown)
    assert "Reading the tables" in shown.getvalue() and "Reading the photo files" in shown.getvalue()
    assert said.getvalue().startswith(f"Backup written to {tmp_path / 'a.backup'}: ")

    piped, said = io.StringIO(), io.StringIO()
    call_command("backup", str(tmp_path / "b.backup"), stdout=said, stderr=piped)
    assert piped.getvalue() == ""
    assert len(said.getvalue().splitlines()) == 1


def test_a_background_backup_is_queued_and_the_worker_writes_it_where_asked(create_training, tmp_path, run_jobs):
    create_training(key="inst")
    said = io.StringIO()
    call_command("backup", str(tmp_path / "night.backup"), "--background", stdout=said, stderr=io.StringIO())
    job = Job.objects.get()
    assert (job.kind, job.owner, job.params) == ("backup", None, {"path": str(tmp_path / "night.backup")})
    assert str(job.pk) in said.getvalue()
    assert not (tmp_path / "night.backup").exists()

    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert (job.phase, job.result_file) == ("Encrypting and writing the backup", "")
    payload = services._read(tmp_path / "night.backup")
    assert any(row["fields"].get("key") == "inst" for row in payload["database"] if row["model"] == "trainings.training")
    assert AuditEntry.objects.filter(action="cascade.backup.written").exists()
    assert (tmp_path / "night.backup").stat().st_mode & 0o077 == 0


def test_a_background_backup_to_a_folder_that_is_not_there_is_refused_at_once(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "nowhere" / "x.backup"), "--background", stdout=io.StringIO())
    assert not Job.objects.exists()


def test_only_the_network_admin_may_start_a_backup_job(alice, bob, tmp_path, run_jobs):
    from django.core.exceptions import PermissionDenied

    from cascade.jobs import services as jobs

    with pytest.raises(PermissionDenied):
        jobs.start(bob, "backup", {"path": str(tmp_path / "x.backup")})
    jobs.start(alice, "backup", {"path": str(tmp_path / "x.backup")})
    run_jobs()
    assert Job.objects.get().state == Job.State.DONE
