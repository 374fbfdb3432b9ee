"""The admin's import page: upload, preview what would change, confirm.

The upload waits in a private temporary file named only in the session, so the
confirmed import is exactly the previewed file; nothing is re-uploaded.
"""

import os
import tempfile
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cascade import access
from cascade.spreadsheets import services
from cascade.spreadsheets.forms import UploadForm

SESSION_KEY = "spreadsheets_import"
PREFIX = "cascade-import-"


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
    if path.parent != Path(tempfile.gettempdir()) or not path.name.startswith(PREFIX) or not path.is_file():
        return None
    return path


def _discard(request):
    path = _pending(request)
    if path:
        path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)


def _render(request, template, **context):
    return render(request, template, {
        **admin.site.each_context(request), "title": _("Import a spreadsheet"), **context,
    })


@require_http_methods(["GET", "POST"])
def _upload(request):
    _check(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _discard(request)
        upload = form.cleaned_data["file"]
        handle, name = tempfile.mkstemp(prefix=PREFIX, suffix=Path(upload.name).suffix.lower())
        with os.fdopen(handle, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        result = services.import_workbook(name, request.user, dry_run=True)
        if result.ok:
            request.session[SESSION_KEY] = {"path": name, "name": upload.name}
        else:
            os.unlink(name)
        return _render(request, "spreadsheets/preview.html", result=result, file_name=upload.name)
    return _render(request, "spreadsheets/upload.html", form=form)


@require_POST
def _confirm(request):
    _check(request)
    path = _pending(request)
    if path is None:
        messages.error(request, _("There is no previewed upload to import; upload the workbook again."))
        return redirect("spreadsheets:upload")
    file_name = request.session[SESSION_KEY].get("name", "")
    try:
        result = services.import_workbook(path, request.user)
    finally:
        _discard(request)
    if not result.ok:
        return _render(request, "spreadsheets/preview.html", result=result, file_name=file_name)
    for line in result.summary():
        messages.success(request, line)
    messages.success(request, _("Imported %(file)s.") % {"file": file_name})
    return redirect(reverse("admin:index"))


upload = admin.site.admin_view(_upload)
confirm = admin.site.admin_view(_confirm)
