"""Whether a ``cascade worker`` is alive: each one touches its row every ``INTERVAL`` seconds.

``/healthz`` reports it; pages that would start a job say when none is running; the
engine schedules its recompute only when one is (with none, a read computes as before).
"""

import datetime
import os
import socket

from django.db import DatabaseError
from django.utils import timezone

from .models import WorkerHeartbeat

#: Seconds between two heartbeats of one worker.
INTERVAL = 5
#: A worker not seen for this long is taken for stopped.
STALE_AFTER = 30


def beat(worker_id: str, started_at: datetime.datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:200], "pid": os.getpid(), "started_at": started_at, "seen_at": now},
    )


def stopped(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def worker_status() -> dict:
    """``{"alive": bool, "workers": n, "last_seen": datetime or None}``; never raises for a database error."""
    try:
        latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        since = timezone.now() - datetime.timedelta(seconds=STALE_AFTER)
        workers = WorkerHeartbeat.objects.filter(seen_at__gte=since).count()
    except DatabaseError:
        return {"alive": False, "workers": 0, "last_seen": None}
    return {"alive": workers > 0, "workers": workers, "last_seen": latest}


def worker_alive() -> bool:
    return worker_status()["alive"]
