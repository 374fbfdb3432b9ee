"""How long work tells how far it is: one interface for the worker and the terminal.

A job's function is written once against :class:`Progress`:

    progress.phase(_("Checking rows"), total=len(rows))
    for row in rows:
        ...
        progress.advance()

In the worker, :class:`JobProgress` writes the job's row (at most a few times a
second, so progress costs nothing next to the work). At the command line,
:class:`TerminalProgress` draws a bar with tqdm when the output is a terminal and
stays silent otherwise (cron, pipes, logs). Neither may fail the work.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction

#: Seconds between two writes of a job's progress.
WRITE_EVERY = 0.5


def results_folder() -> Path:
    """Where finished jobs keep their files: private to the user that runs Cascade."""
    return Path(getattr(settings, "JOB_RESULTS_DIR", settings.DATA_DIR / "jobs"))


class Progress:
    """Silent progress: work run with no one watching (and the base of the others)."""

    def __init__(self) -> None:
        self.name = ""
        self.done = 0
        self.total: int | None = None

    def phase(self, name: str, total: int | None = None) -> None:
        self.name, self.done, self.total = str(name), 0, total
        self._show(force=True)

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        self._show()

    def update(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        self._show()

    def _show(self, force: bool = False) -> None:
        pass

    def close(self) -> None:
        pass


class JobProgress(Progress):
    """Progress written to a :class:`~cascade.jobs.models.Job` row for its page to poll."""

    def __init__(self, job) -> None:
        super().__init__()
        self.job = job
        self._written = 0.0

    def _show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written < WRITE_EVERY and self.done != self.total:
            return
        self._written = now
        from .models import Job

        try:
            # a savepoint: inside the work's own transaction, a failed write must not abort it
            with transaction.atomic():
                Job.objects.filter(pk=self.job.pk).update(phase=self.name[:120], done=self.done, total=self.total)
        except DatabaseError:  # a locked database delays the bar, never the work
            pass


class TerminalProgress(Progress):
    """A tqdm bar on standard error when it is a terminal; nothing otherwise."""

    def __init__(self, stream=None) -> None:
        super().__init__()
        self.stream = stream or sys.stderr
        self.bar = None
        self.on_terminal = hasattr(self.stream, "isatty") and self.stream.isatty()

    def phase(self, name: str, total: int | None = None) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        super().phase(name, total)
        if self.on_terminal:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=str(name), file=self.stream, leave=False, dynamic_ncols=True,
                            unit="", mininterval=0.2)

    def _show(self, force: bool = False) -> None:
        if self.bar is not None:
            if self.total is not None and self.bar.total != self.total:
                self.bar.total = self.total
            self.bar.n = self.done
            if force or self.done == self.total:
                self.bar.refresh()
            else:
                self.bar.update(0)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
