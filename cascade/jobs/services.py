"""Start and run background jobs; each start checks its actor and writes the audit log.

``start(actor, kind, params)`` checks the kind's rule for the actor, records the job
and enqueues it on Django's Tasks API (django-tasks' database backend: the queue is
a table, so the job and its place in the queue are written in one transaction).
``cascade worker`` then calls ``run(job_id)``, which checks the rule again (a role
may have been taken away meanwhile), runs the kind's function in the owner's
language with a :class:`~cascade.jobs.progress.JobProgress`, and records the result
or the error.

``run_now(actor, kind, params, progress)`` runs the same function in the foreground
(the command line, and pages when no worker is running) through the same checks.
"""

from __future__ import annotations

import datetime
import logging
import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cascade.access import is_operator, operator, require
from cascade.audit import services as audit
from cascade.ops.files import private_open

from . import kinds
from .kinds import JobError
from .models import Job
from .progress import JobProgress, Progress, results_folder

logger = logging.getLogger(__name__)

__all__ = ["JobError", "start", "run", "run_now", "result_file", "fail_abandoned", "remove_old_results"]


def _owner(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def start(actor, kind: str, params: dict | None = None, title: str = "") -> Job:
    """Record and enqueue a job of ``kind`` for ``actor``; refused as the work itself would be."""
    spec = kinds.get(kind)
    if spec.rule:
        require(spec.rule, actor)
    with transaction.atomic():
        if spec.single:
            waiting = Job.objects.filter(kind=kind, state=Job.State.QUEUED).first()
            if waiting is not None:
                return waiting
        job = Job.objects.create(
            kind=kind, title=str(title)[:200], owner=_owner(actor), owner_name=actor.get_username() if actor else "",
            language=translation.get_language() or "", params=params or {},
        )
        from .tasks import run_job

        result = run_job.enqueue(str(job.pk))
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
        job.task_id = str(result.id)
        if _owner(actor) is not None or is_operator(actor):
            audit.log("cascade.job.started", actor, job, kind=kind)
    return job


def _actor_of(job: Job):
    if job.owner_id is None:
        return operator()
    return get_user_model().objects.get(pk=job.owner_id)


#: The id of the ``cascade worker`` running jobs in this process (set by cascade.jobs.worker).
running_worker = ""


def run(job_id: str) -> str:
    """Run a queued job (the worker's task); returns its final state."""
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now(), worker_id=running_worker[:64])
    if not claimed:  # already run, or withdrawn
        return Job.objects.filter(pk=job_id).values_list("state", flat=True).first() or "missing"
    job = Job.objects.get(pk=job_id)
    progress = JobProgress(job)
    try:
        actor = _actor_of(job)
        with translation.override(job.language or None):
            summary = _call(job, actor, progress)
    except JobError as error:
        return _finish(job, Job.State.FAILED, error=str(error))
    except Exception:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        with translation.override(job.language or None):
            message = _("The job failed unexpectedly; nothing was changed. The error was logged.")
        return _finish(job, Job.State.FAILED, error=message)
    return _finish(job, Job.State.DONE, result=summary or {})


def _call(job: Job, actor, progress: Progress):
    spec = kinds.get(job.kind)
    if spec.rule:
        require(spec.rule, actor)
    return spec.run(job, progress, actor)


def _finish(job: Job, state: str, result: dict | None = None, error: str = "") -> str:
    fields = {"state": state, "finished_at": timezone.now(), "error": error}
    if result is not None:
        fields["result"] = result
    if state == Job.State.DONE:
        current = Job.objects.filter(pk=job.pk).values_list("total", "done").first()
        if current and current[0]:
            fields["done"] = current[0]
    else:
        _remove_files(job)
        fields.update(result_file="", result_name="", result_type="")
    Job.objects.filter(pk=job.pk).update(**fields)
    return state


def run_now(actor, kind: str, params: dict | None = None, progress: Progress | None = None):
    """Run a kind's work in the foreground through the same checks (no job row is kept)."""
    spec = kinds.get(kind)
    if spec.rule:
        require(spec.rule, actor)
    job = Job(kind=kind, owner=_owner(actor), owner_name=actor.get_username() if actor else "",
              params=params or {}, language=translation.get_language() or "")
    return spec.run(job, progress or Progress(), actor)


def result_file(job: Job, name: str, content_type: str) -> Path:
    """A private path for the job's result file; the job's page links to it once the job is done."""
    folder = results_folder() / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / Path(name).name
    with private_open(path):
        pass
    if job.pk and Job.objects.filter(pk=job.pk).exists():
        Job.objects.filter(pk=job.pk).update(result_file=f"{job.pk}/{path.name}", result_name=path.name,
                                             result_type=content_type)
    job.result_file, job.result_name, job.result_type = f"{job.pk}/{path.name}", path.name, content_type
    return path


def result_path(job: Job) -> Path | None:
    if not job.result_file:
        return None
    path = (results_folder() / job.result_file).resolve()
    if results_folder().resolve() not in path.parents or not path.is_file():
        return None
    return path


def _remove_files(job: Job) -> None:
    shutil.rmtree(results_folder() / str(job.pk), ignore_errors=True)


def fail_abandoned(live_workers: set[str]) -> int:
    """Jobs left running by a worker that stopped (killed, machine restarted) are failed.

    Their work wrote in one transaction, so the database rolled it back: nothing changed.
    """
    abandoned = Job.objects.filter(state=Job.State.RUNNING).exclude(worker_id__in=live_workers).exclude(worker_id="")
    count = 0
    for job in abandoned:
        with translation.override(job.language or None):
            message = _("The worker stopped while this job ran; nothing was changed. Start it again.")
        count += Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.FAILED, finished_at=timezone.now(), error=message)
        _remove_files(job)
    return count


def remove_result_files() -> int:
    """Every finished job's result file is deleted (an erasure: files made before may name her)."""
    count = 0
    for job in Job.objects.exclude(result_file=""):
        _remove_files(job)
        count += Job.objects.filter(pk=job.pk).update(result_file="")
    return count


def remove_old_results(days: int) -> int:
    """Result files of jobs finished more than ``days`` ago are deleted (the job's row stays)."""
    before = timezone.now() - datetime.timedelta(days=days)
    old = Job.objects.filter(finished_at__lt=before).exclude(result_file="")
    count = 0
    for job in old:
        _remove_files(job)
        count += Job.objects.filter(pk=job.pk).update(result_file="")
    return count
