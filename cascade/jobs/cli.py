"""What a command says when its ``--background`` queued a job: its id, its page, and the worker."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import heartbeat


def queued_lines(job) -> list[str]:
    lines = [
        _("Queued job %(id)s.") % {"id": job.pk},
        _("Follow it at %(path)s (signed in as a network admin).") % {"path": reverse("jobs:detail", args=[job.pk])},
    ]
    if heartbeat.worker_alive():
        lines.append(_("A worker is running: it will run the job."))
    else:
        lines.append(_("No worker is running: start one with “cascade worker” (or run the waiting jobs once "
                       "with “cascade worker --batch”)."))
    return lines
