"""Background jobs as their users see them: who asked, what, how far it is, and what came of it.

The queue itself is django-tasks' database backend (``django_tasks_db``): a job is
enqueued there and run by ``cascade worker``. This model is the part people read:
the owner, the kind, the state, the progress (done of total, in a named phase), the
result file or the error. A job touches data; who may see it is decided by
``cascade.access.policy.visible_jobs``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    # Not a counter: a job's address names no sequence another user could walk.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200, blank=True)  # what it is about, in the owner's words (no person)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="jobs")
    owner_name = models.CharField(max_length=150, blank=True)  # the operator's account for command-line jobs
    language = models.CharField(max_length=10, blank=True)  # the owner's language when she asked
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    phase = models.CharField(max_length=120, blank=True)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)  # a summary for the page: counts, problems
    result_file = models.CharField(max_length=300, blank=True)  # relative to the private jobs folder
    result_name = models.CharField(max_length=200, blank=True)  # the name the download is saved under
    result_type = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    worker_id = models.CharField(max_length=64, blank=True)  # the worker running it: a dead one fails it
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "state"], name="job_kind_state"),
                   models.Index(fields=["owner", "created_at"], name="job_owner_created")]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.state == self.State.DONE else None
        return min(100, int(100 * self.done / self.total))


class WorkerHeartbeat(models.Model):
    """One row per running ``cascade worker``, touched every few seconds while it lives."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        default_permissions = ()
