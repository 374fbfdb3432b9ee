"""The admin's import page: upload, check what would change, confirm.

The upload waits in a private file (``uploads``), so the confirmed import is exactly
the checked file; nothing is re-uploaded. An upload never confirmed is deleted after
an hour (see ``uploads.remove_abandoned_uploads``).

When a ``cascade worker`` runs, the check and the import are background jobs
(``cascade.spreadsheets.jobs``): the upload starts a ``spreadsheet-check`` and sends
the admin to its page, which shows rows checked of total as they go, then every
problem or what would change and a Confirm button; that button posts the check's
id here and starts the ``spreadsheet-import`` of the same file. Only the admin who
uploaded the file may confirm it.

With no worker (``cascade demo``, a small install that runs none), a job would only
wait, so the page does the work itself, as before there were jobs: the check and
the import stream their page (the top at once, a line of progress now and then,
then the result), the upload named in the session between the two. No proxy
time-out cuts a long check short, and the write transaction (short, after the
checks) is never held open while the page is being sent.
"""

import logging
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cascade import access
from cascade.jobs import heartbeat
from cascade.jobs import services as jobs
from cascade.jobs.models import Job
from cascade.spreadsheets import services, uploads
from cascade.spreadsheets.forms import UploadForm
from cascade.spreadsheets.jobs import summarise

SESSION_KEY = "spreadsheets_import"
#: Where the streamed part goes in the page.
_SLOT = "<!-- cascade-import-progress -->"
logger = logging.getLogger(__name__)


def _check(request):
    # An import writes every partner's trainings and people, so only network admins may.
    if not access.is_network_admin(request.user):
        raise PermissionDenied


def _pending(request) -> Path | None:
    """The waiting upload, if the session names one of ours that still exists."""
    name = request.session.get(SESSION_KEY, {}).get("path")
    if not name:
        return None
    path = Path(name)
    return path if uploads.is_upload(path) else None


def _discard(request):
    path = _pending(request)
    if path:
        path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)


def _context(request, **context):
    return {**admin.site.each_context(request), "title": _("Import a spreadsheet"), **context}


@require_http_methods(["GET", "POST"])
def _upload(request):
    _check(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _discard(request)
        upload = form.cleaned_data["file"]
        include_hidden = form.cleaned_data["include_hidden"]
        path = uploads.save_upload(upload, csv_as_sheet=True)
        if heartbeat.worker_alive():
            job = jobs.start(request.user, "spreadsheet-check",
                             {"upload": path.name, "name": upload.name, "confirm": True,
                              "include_hidden": include_hidden}, title=upload.name)
            return redirect("jobs:detail", job.pk)
        request.session[SESSION_KEY] = {"path": str(path), "name": upload.name, "include_hidden": include_hidden}
        return _streamed(request, path, upload.name, dry_run=True, include_hidden=include_hidden)
    return render(request, "spreadsheets/upload.html", _context(request, form=form))


@require_POST
def _confirm(request):
    _check(request)
    if request.POST.get("job"):
        return _confirm_check(request, request.POST["job"])
    path = _pending(request)
    if path is None:
        messages.error(request, _("There is no previewed upload to import; upload the workbook again."))
        return redirect("spreadsheets:upload")
    file_name = request.session[SESSION_KEY].get("name", "")
    include_hidden = bool(request.session[SESSION_KEY].get("include_hidden"))
    request.session.pop(SESSION_KEY, None)  # the file is deleted once imported, whatever happens
    return _streamed(request, path, file_name, dry_run=False, include_hidden=include_hidden)


def _confirm_check(request, check_id: str):
    return start_confirmed_import(request, check_id, "spreadsheets:upload")


def start_confirmed_import(request, check_id: str, upload_page: str, run_without_worker: bool = False):
    """Import the file a good ``spreadsheet-check`` of hers kept; once (a second Confirm finds the import).

    ``run_without_worker``: with no ``cascade worker`` running, the import runs in the request
    (the staff app's page, which has no streamed fallback), and its page shows the result.
    """
    try:
        check = get_object_or_404(Job, pk=check_id, kind="spreadsheet-check", owner_id=request.user.pk,
                                  state=Job.State.DONE)
    except ValidationError:  # not a job's id at all
        raise Http404
    started = Job.objects.filter(kind="spreadsheet-import", params__check=str(check.pk)).first()
    if started is not None:
        return redirect("jobs:detail", started.pk)
    path = uploads.upload_named(check.params.get("upload", ""))
    if not check.result.get("can_confirm") or path is None:
        messages.error(request, _("There is no checked upload to import; upload the workbook again."))
        return redirect(upload_page)
    file_name = check.params.get("name", "")
    params = {"upload": path.name, "name": file_name, "check": str(check.pk)}
    if "page" in check.params:
        params["page"] = check.params["page"]
    # Should the worker have stopped since the check, the import waits for it and its page says so.
    params["include_hidden"] = bool(check.params.get("include_hidden"))
    job = jobs.start(request.user, "spreadsheet-import", params, title=file_name)
    if run_without_worker and not heartbeat.worker_alive():
        jobs.run(str(job.pk))
    return redirect("jobs:detail", job.pk)


def _streamed(request, path: Path, file_name: str, dry_run: bool, include_hidden: bool = False
              ) -> StreamingHttpResponse:
    """The page of a preview (``dry_run``) or an import, sent while the import runs.

    The upload is deleted when the page ends, except after a good preview (it then
    waits for confirmation); also when the browser goes away half-way.
    """
    get_token(request)  # the result's form needs the CSRF cookie, set before the page starts
    page = render_to_string("spreadsheets/import.html", _context(
        request, file_name=file_name, dry_run=dry_run, slot=mark_safe(_SLOT)), request)
    top, bottom = page.split(_SLOT, 1)
    language = translation.get_language()  # the parts are made after this view returns

    steps, result = services.import_in_steps(path, request.user, dry_run=dry_run,  # checks her first
                                             include_hidden=include_hidden)

    def parts():
        with translation.override(language):
            yield from import_parts()

    def import_parts():
        keep = finished = False
        try:
            yield top
            yield '<ul id="import-progress">'
            for line in steps:
                yield format_html("<li>{}</li>", line)
            finished = True
            yield "</ul>"
            keep = dry_run and result.ok
            yield render_to_string("spreadsheets/_result.html", _context(
                request, result=summarise(result, file_name, actor=request.user), file_name=file_name,
                can_confirm=keep), request)
            yield bottom
        except Exception:
            # The page has started, so no error page can replace it: say so in the page.
            logger.exception("The import of an uploaded workbook failed")
            keep = False
            if finished and result.ok and not dry_run:
                message = _("The workbook was imported, but this page could not be shown in full. The error was logged.")
            else:
                message = _("The import failed unexpectedly; nothing was imported. The error was logged.")
            yield format_html('</ul><p class="errornote">{}</p>', message)
            yield bottom
        finally:
            steps.close()  # closes the workbook if the browser left half-way
            if not keep:
                path.unlink(missing_ok=True)

    response = StreamingHttpResponse(parts(), content_type="text/html; charset=utf-8")
    response["X-Accel-Buffering"] = "no"  # a proxy passes each part on at once
    response["Cache-Control"] = "no-store"
    return response


upload = admin.site.admin_view(_upload)
confirm = admin.site.admin_view(_confirm)
