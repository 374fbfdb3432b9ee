"""The staff app's import page (``/import/``): for network admins and partner staff.

The same check and import as the admin's page (``views``), as background jobs: the
upload starts a ``spreadsheet-check`` and sends her to its page, which shows the rows
to create, to change (each field old → new) and unchanged, with the list of every
row to download; Import there starts the ``spreadsheet-import`` of the same file,
whose page links to what it created. A partner's staff member imports only her
partner's rows (``cascade.access.import_scope``): the check lists every other row
with its reason, and nothing is imported.

With no ``cascade worker`` running, the check and the import run in the request
(the page waits for them) rather than wait in the queue; the admin's page streams
instead, for the very large workbooks only network admins import.

The page links to the empty template (``template/``, in her language) and to the
format (``format/``: every sheet and column, read from the same schema as the
template, the importer and docs/import-format.md).
"""

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cascade import access
from cascade.jobs import heartbeat
from cascade.jobs import services as jobs
from cascade.spreadsheets import services, uploads
from cascade.spreadsheets.forms import UploadForm
from cascade.spreadsheets.schema import LIST_SEPARATOR, SHEETS
from cascade.spreadsheets.views import start_confirmed_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check(request) -> None:
    if not access.allows("spreadsheets.import", request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    _check(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        path = uploads.save_upload(upload, csv_as_sheet=True)
        job = jobs.start(request.user, "spreadsheet-check",
                         {"upload": path.name, "name": upload.name, "confirm": True, "page": "staff",
                          "include_hidden": form.cleaned_data["include_hidden"]},
                         title=upload.name)
        if not heartbeat.worker_alive():
            jobs.run(str(job.pk))  # nobody would run it: check now, and show the result at once
        return redirect("jobs:detail", job.pk)
    scope = access.import_scope(request.user)
    return render(request, "spreadsheets/staff_import.html", {
        "form": form, "partner": scope.organization if scope is not None else "",
        "worker": heartbeat.worker_alive(),
    })


@login_required
@require_POST
def confirm(request):
    _check(request)
    return start_confirmed_import(request, request.POST.get("job", ""), "imports:upload", run_without_worker=True)


@login_required
def template(request):
    """The empty workbook to fill in: every sheet with its header row, and the instructions."""
    _check(request)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    handle.close()
    path = Path(handle.name)
    try:
        services.write_template(path)
        data = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="cascade-template.xlsx"'
    return response


@login_required
def format_page(request):
    _check(request)
    return render(request, "spreadsheets/format.html", {"sheets": SHEETS, "separator": LIST_SEPARATOR})
