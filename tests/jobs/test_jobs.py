"""Background jobs: queued, run by the worker with progress, visible only to who may see them."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cascade.access import operator
from cascade.audit.models import AuditEntry
from cascade.jobs import heartbeat, kinds, services
from cascade.jobs.models import Job, WorkerHeartbeat
from cascade.jobs.progress import TerminalProgress
from cascade.network.models import Person


@pytest.fixture
def test_kinds():
    """Kinds of job only these tests know: one that counts and writes a file, one that fails."""
    def count(job, progress, actor):
        progress.phase("Counting", total=job.params["n"])
        for _ in range(job.params["n"]):
            progress.advance()
        path = services.result_file(job, "count.txt", "text/plain")
        path.write_text(str(job.params["n"]))
        return {"message": f"counted {job.params['n']}"}

    def half_then_fail(job, progress, actor, raises=kinds.JobError("Row 3, column email: not an e-mail address.")):
        with transaction.atomic():  # a job's writes are one transaction
            Person.objects.create(key="written-then-undone", full_name="Half")
            raise raises

    def crash(job, progress, actor):
        raise RuntimeError("a bug")

    kinds.register("test-count", rule="figures.read", label="Count")(count)
    kinds.register("test-fail", rule=None, label="Fail")(half_then_fail)
    kinds.register("test-crash", rule=None, label="Crash")(crash)
    kinds.register("test-admin-only", rule="people.erase", label="Admin")(count)
    yield
    for name in ("test-count", "test-fail", "test-crash", "test-admin-only"):
        kinds.KINDS.pop(name, None)


def test_a_job_waits_then_runs_with_progress_and_a_result(test_kinds, bob, client, run_jobs):
    job = services.start(bob, "test-count", {"n": 7}, title="Seven")
    assert job.state == Job.State.QUEUED
    assert AuditEntry.objects.filter(action="cascade.job.started", user=bob).exists()
    client.force_login(bob)
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert page.status_code == 200
    # polled until finished: the fragment asks to be fetched again
    assert b'hx-trigger="every 1s"' in page.content
    assert b"No background worker is running" in page.content

    assert run_jobs() == 1
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.phase) == (Job.State.DONE, 7, 7, "Counting")
    fragment = client.get(reverse("jobs:progress", args=[job.pk]))
    assert b"hx-trigger" not in fragment.content  # finished: polling stops
    assert b"counted 7" in fragment.content
    download = client.get(reverse("jobs:result", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"7"
    assert "count.txt" in download["Content-Disposition"]


def test_a_job_is_seen_only_by_its_owner_and_the_network_admin(test_kinds, alice, bob, carol, erin, client, run_jobs):
    job = services.start(bob, "test-count", {"n": 1})
    run_jobs()
    for user, status in ((bob, 200), (alice, 200), (carol, 404), (erin, 404)):
        client.force_login(user)
        for name in ("jobs:detail", "jobs:progress", "jobs:result"):
            assert client.get(reverse(name, args=[job.pk])).status_code == status, (user.username, name)
        listed = client.get(reverse("jobs:list"))
        assert (str(job.pk) in listed.content.decode()) == (status == 200)
    client.logout()
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 302  # to sign-in


def test_a_job_is_refused_when_it_starts_and_when_it_runs_without_the_right(test_kinds, bob, alice, run_jobs):
    with pytest.raises(PermissionDenied):
        services.start(bob, "test-admin-only", {"n": 1})
    job = services.start(alice, "test-admin-only", {"n": 1})
    alice.cascade_role.kind = "donor"  # her role changed while the job waited
    alice.cascade_role.save()
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "does not allow" in job.error or "unexpectedly" in job.error


def test_a_failed_job_shows_its_error_and_changes_nothing(test_kinds, alice, client, run_jobs):
    job = services.start(alice, "test-fail")
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "Row 3, column email: not an e-mail address."
    assert not Person.objects.filter(key="written-then-undone").exists()
    client.force_login(alice)
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert "Row 3, column email" in page.content.decode()
    assert client.get(reverse("jobs:result", args=[job.pk])).status_code == 404


def test_an_unexpected_failure_is_logged_and_named_as_such(test_kinds, alice, run_jobs, caplog):
    job = services.start(alice, "test-crash")
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "failed unexpectedly" in job.error and "a bug" not in job.error
    assert "a bug" in caplog.text


def test_jobs_of_a_worker_that_died_fail_and_the_heartbeat_tells_who_is_alive(test_kinds, alice):
    assert heartbeat.worker_status()["alive"] is False
    job = services.start(alice, "test-count", {"n": 1})
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, worker_id="gone")
    old = timezone.now() - datetime.timedelta(minutes=5)
    WorkerHeartbeat.objects.create(worker_id="gone", started_at=old, seen_at=old)
    from cascade.jobs.worker import Heartbeat

    beat = Heartbeat("alive-one")
    beat.beat_once()
    status = heartbeat.worker_status()
    assert status["alive"] is True and status["workers"] == 1
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "worker stopped" in job.error


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_what_waits_and_exits_with_batch(test_kinds, alice):
    job = services.start(alice, "test-count", {"n": 3})
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.worker_id
    assert not WorkerHeartbeat.objects.exists()  # a stopped worker leaves no heartbeat behind


def test_the_operator_starts_jobs_too(test_kinds, run_jobs):
    job = services.start(operator(), "test-admin-only", {"n": 2})
    assert job.owner is None and job.owner_name
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.DONE


def test_old_result_files_are_removed_and_the_page_says_so(test_kinds, alice, client, run_jobs):
    job = services.start(alice, "test-count", {"n": 1})
    run_jobs()
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    assert services.remove_old_results(days=7) == 1
    client.force_login(alice)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "was removed" in page
    assert client.get(reverse("jobs:result", args=[job.pk])).status_code == 404


def test_the_terminal_progress_bar_draws_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    shown = Terminal()
    progress = TerminalProgress(shown)
    progress.phase("Checking rows", total=10)
    progress.advance(10)
    progress.close()
    assert "Checking rows" in shown.getvalue() and "10/10" in shown.getvalue()
    piped = io.StringIO()
    quiet = TerminalProgress(piped)
    quiet.phase("Checking rows", total=10)
    quiet.advance(10)
    quiet.close()
    assert piped.getvalue() == ""


def test_an_erasure_removes_every_result_file(test_kinds, alice, create_person, run_jobs):
    """A report or an export made before may name her: its file goes; it can be made again."""
    from cascade.access.services import erase_person

    job = services.start(alice, "test-count", {"n": 1})
    run_jobs()
    job.refresh_from_db()
    assert services.result_path(job) is not None
    erase_person(create_person(full_name="Aigul Karimova"), alice)
    job.refresh_from_db()
    assert job.result_file == "" and services.result_path(job) is None
