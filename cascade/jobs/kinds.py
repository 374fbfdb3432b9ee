"""What background work there is: each app registers its kinds of job in its ``jobs`` module.

    @jobs.kinds.register("spreadsheet-import", rule="spreadsheets.import", label=_("Spreadsheet import"))
    def spreadsheet_import(job, progress, actor):
        ...

The function receives the :class:`~cascade.jobs.models.Job` (its ``params``), a
:class:`~cascade.jobs.progress.Progress` and its actor (checked against ``rule`` already); it
returns a summary for the job's page
(JSON) and may write a result file with :func:`cascade.jobs.services.result_file`.
It raises :class:`JobError` for a failure its owner can act on (the message is
shown to her); any other exception is logged and shown as an unexpected failure.
A job changes nothing when it fails: its function writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class JobError(Exception):
    """A failure with a message for the job's owner (bad rows, a missing file)."""


@dataclass(frozen=True)
class Kind:
    name: str
    run: Callable
    rule: str | None  # checked with cascade.access.require when the job is started and when it runs
    label: str
    # kinds the system starts for itself (the engine's recompute): one waiting job at a time
    single: bool = False
    # a template that shows a finished job's result (``job`` in its context) instead of the plain summary
    template: str = ""


KINDS: dict[str, Kind] = {}


def register(name: str, *, rule: str | None, label, single: bool = False, template: str = ""):
    def decorator(function: Callable) -> Callable:
        KINDS[name] = Kind(name=name, run=function, rule=rule, label=label, single=single, template=template)
        return function

    return decorator


def get(name: str) -> Kind:
    from django.utils.module_loading import autodiscover_modules

    if name not in KINDS:
        autodiscover_modules("jobs")
    return KINDS[name]
