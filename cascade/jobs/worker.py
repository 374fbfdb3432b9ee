"""``cascade worker``: django-tasks' database worker, with a heartbeat and housekeeping.

The queue and the loop are django-tasks-db's (``Worker``); Cascade adds a thread that
touches this worker's heartbeat row every few seconds (``/healthz`` and the engine
read it), fails jobs left running by a worker that died, and removes old result files.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker

from . import heartbeat, services
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: Seconds between two removals of old result files.
HOUSEKEEPING_EVERY = 3600


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self._housekept = 0.0

    def beat_once(self) -> None:
        heartbeat.beat(self.worker_id, self.started_at)
        since = timezone.now() - timezone.timedelta(seconds=heartbeat.STALE_AFTER)
        live = set(WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("worker_id", flat=True))
        failed = services.fail_abandoned(live | {self.worker_id})
        if failed:
            logger.warning("%d job(s) left running by a stopped worker were marked failed", failed)
        if time.monotonic() - self._housekept > HOUSEKEEPING_EVERY:
            self._housekept = time.monotonic()
            services.remove_old_results(settings.JOB_RESULT_DAYS)
            WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timezone.timedelta(days=1)).delete()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    close_old_connections()
                    self.beat_once()
                except DatabaseError:
                    logger.warning("The worker's heartbeat could not be written; trying again", exc_info=True)
                self.stopping.wait(heartbeat.INTERVAL)
        finally:
            try:
                heartbeat.stopped(self.worker_id)
            except DatabaseError:
                pass
            connection.close()


class Worker(QueueWorker):
    """The queue worker; jobs it runs record its id, so a dead worker's jobs are known."""

    def run_task(self, db_task_result) -> None:
        services.running_worker = self.worker_id
        try:
            super().run_task(db_task_result)
        finally:
            services.running_worker = ""


def drain(max_tasks: int | None = None) -> int:
    """Run every job waiting in the queue in this process, then return how many ran.

    What ``cascade worker --batch`` does, without the heartbeat: for the tests and the
    foreground fallbacks.
    """
    from django_tasks_db.models import DBTaskResult

    ran = 0
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="in-process", excluded_queue_names=[])
    while max_tasks is None or ran < max_tasks:
        task_result = DBTaskResult.objects.ready().filter(backend_name="default").order_by(
            "-priority", "enqueued_at").first()
        if task_result is None:
            break
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1
    return ran
