"""A job's page: its progress, updated without reload (htmx polls a fragment), then its result.

Every job is looked up through ``cascade.access.visible_jobs``: a job another user
started is a 404, whatever its address.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from cascade import access

from . import heartbeat, kinds
from .models import Job
from .services import result_path


def _job(request, pk) -> Job:
    return get_object_or_404(access.visible_jobs(request.user), pk=pk)


def _context(job: Job) -> dict:
    try:
        spec = kinds.get(job.kind)
        label, template = spec.label, spec.template
    except KeyError:
        label, template = job.kind, ""
    waiting_for_worker = job.state == Job.State.QUEUED and not heartbeat.worker_alive()
    return {"job": job, "label": label, "waiting_for_worker": waiting_for_worker, "result_template": template,
            "has_result": job.state == Job.State.DONE and result_path(job) is not None}


@login_required
def job_list(request):
    jobs = access.visible_jobs(request.user).select_related("owner")[:100]
    rows = []
    for job in jobs:
        rows.append(_context(job))
    return render(request, "jobs/list.html", {"rows": rows, "worker": heartbeat.worker_status()})


@login_required
def detail(request, pk):
    return render(request, "jobs/detail.html", _context(_job(request, pk)))


@login_required
def progress(request, pk):
    """The fragment htmx swaps in every second or so until the job is finished."""
    response = render(request, "jobs/_progress.html", _context(_job(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def result(request, pk):
    job = _job(request, pk)
    path = result_path(job) if job.state == Job.State.DONE else None
    if path is None:
        raise Http404(_("This job has no result file (it is not finished, failed, or its file was removed)."))
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name,
                            content_type=job.result_type or "application/octet-stream")
    response["Cache-Control"] = "no-store"
    return response
