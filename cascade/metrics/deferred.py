"""Figures never make a reader wait for a recompute, when a worker is there to do it.

A write to trainings or participations makes the generations stale; recomputing
them over a large network takes seconds. Where a ``cascade worker`` runs, a page that
finds the figures stale does not compute them: it schedules one "recompute" job (one
waiting at a time, whatever the number of writes) and shows the last figures, which
the page marks "being updated (as of HH:MM)". The worker recomputes the generations,
then the kept figures of the filter sets readers asked for, and the next read is
exact. With no worker (the demo without one, the tests, a command), reads compute as
before; commands and jobs always compute, so ``cascade stats`` is exact.

``reading()`` marks the current request as a page's (``ReaderMiddleware``); nothing
else decides whether a read may be served late.
"""

from __future__ import annotations

import contextvars
import time

_reader: contextvars.ContextVar[bool] = contextvars.ContextVar("cascade_figures_reader", default=False)
# what this page was served late: the times its last figures were computed (None: the generations')
_late: contextvars.ContextVar[list | None] = contextvars.ContextVar("cascade_figures_late", default=None)
_alive: tuple[float, bool] = (0.0, False)
#: Seconds a process trusts its last look at the workers' heartbeats.
ALIVE_FOR = 2.0
RECOMPUTE = "recompute"


class ReaderMiddleware:
    """Pages are readers: their figures may be the last ones while a worker recomputes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token, late = _reader.set(True), _late.set([])
        try:
            return self.get_response(request)
        finally:
            _reader.reset(token)
            _late.reset(late)


def _worker_alive() -> bool:
    global _alive
    checked, alive = _alive
    if time.monotonic() - checked > ALIVE_FOR:
        from cascade.jobs.heartbeat import worker_alive

        alive = worker_alive()
        _alive = (time.monotonic(), alive)
    return alive


def forget_workers() -> None:
    """Look at the heartbeats again on the next read (tests start and stop workers)."""
    global _alive
    _alive = (0.0, False)


def workers_running() -> bool:
    """Whether a ``cascade worker`` is alive (looked at every few seconds)."""
    return _worker_alive()


def deferring() -> bool:
    """Whether this read leaves recomputation to the worker: a page's read, with a worker alive."""
    return _reader.get() and _worker_alive()


def after_write() -> None:
    """A write made figures stale: with a worker alive, it recomputes them at once (``engine.invalidate``)."""
    if _worker_alive():
        schedule()


def schedule(filters_key: str | None = None) -> None:
    """Have the worker recompute (one waiting job at a time); ``filters_key`` names a filter set a
    reader asked for, recomputed with the whole network's figures."""
    from django.db import DatabaseError

    from cascade.jobs import services
    from cascade.jobs.models import Job

    try:
        job = services.start(None, RECOMPUTE)
        if filters_key and filters_key not in job.params.get("keys", []):
            keys = [*job.params.get("keys", []), filters_key][-50:]
            Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(params={**job.params, "keys": keys})
    except DatabaseError:  # a locked database: the next read schedules it
        pass


def served_late(computed_at=None) -> None:
    """The engine served this page figures from before a write (``computed_at``: when they were
    computed; None for figures computed now from the last generations)."""
    late = _late.get()
    if late is not None:
        late.append(computed_at)


def status() -> dict:
    """``{"being_updated": bool, "as_of": datetime or None}``: whether this page was served
    figures from before a write, and the time of the oldest of them."""
    late = _late.get()
    if not late:
        return {"being_updated": False, "as_of": None}
    from cascade.metrics.models import CacheState

    times = [when for when in late if when is not None]
    if len(times) < len(late):
        times.append(CacheState.objects.filter(pk=1).values_list("computed_at", flat=True).first())
    times = [when for when in times if when is not None]
    return {"being_updated": True, "as_of": min(times) if times else None}
