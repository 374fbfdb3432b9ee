"""``cascade worker``: run background jobs (imports, reports, exports, backups, the engine's recompute).

Run one beside ``cascade serve`` (deploy/systemd/cascade-worker.service); more than
one may run, on one machine or several, against the same database. ``--batch`` runs
what is waiting and exits (for a cron job, or a one-off catch-up).
"""

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as QueueCommand

from cascade.jobs.worker import Heartbeat, Worker


class Command(QueueCommand):
    help = ("Run Cascade's background jobs (imports, reports, exports, backups, the engine's recompute) "
            "until stopped; --batch runs what is waiting, then exits.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, exclude_queues, **options):
        self.configure_logging(verbosity)
        worker_id = worker_id or get_random_string(32)
        worker = Worker(
            queue_names=queue_name.split(","), interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay and not batch, max_tasks=max_tasks, worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        beat = Heartbeat(worker_id)
        beat.beat_once()  # alive before the first job is taken
        beat.start()
        if verbosity:
            self.stdout.write(f"Cascade worker {worker_id} is running; stop it with Ctrl+C or SIGTERM.")
        try:
            worker.configure_signals()
            worker.run()
        finally:
            beat.stopping.set()
            beat.join(timeout=10)
