"""The admin's import page: upload, preview what would change, confirm.

The upload waits in a private temporary file named only in the session, so the
confirmed import is exactly the previewed file; nothing is re-uploaded. An upload
never confirmed is deleted after an hour (see ``uploads.remove_abandoned_uploads``).

Checking a large workbook takes time, and there are no background jobs, so the
preview and the import stream their page: the top of the page at once, a line of
progress now and then, then the result. The browser shows each part as it comes,
no proxy time-out cuts a long check short, and the write transaction (short,
after the checks) is never held open while the page is being sent.
"""

import logging
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cascade import access
from cascade.spreadsheets import services, uploads
from cascade.spreadsheets.forms import UploadForm

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
        path = uploads.save_upload(upload)
        request.session[SESSION_KEY] = {"path": str(path), "name": upload.name}
        return _streamed(request, path, upload.name, dry_run=True)
    return render(request, "spreadsheets/upload.html", _context(request, form=form))


@require_POST
def _confirm(request):
    _check(request)
    path = _pending(request)
    if path is None:
        messages.error(request, _("There is no previewed upload to import; upload the workbook again."))
        return redirect("spreadsheets:upload")
    file_name = request.session[SESSION_KEY].get("name", "")
    request.session.pop(SESSION_KEY, None)  # the file is deleted once imported, whatever happens
    return _streamed(request, path, file_name, dry_run=False)


def _streamed(request, path: Path, file_name: str, dry_run: bool) -> StreamingHttpResponse:
    """The page of a preview (``dry_run``) or an import, sent while the import runs.

    The upload is deleted when the page ends, except after a good preview (it then
    waits for confirmation); also when the browser goes away half-way.
    """
    get_token(request)  # the result's form needs the CSRF cookie, set before the page starts
    page = render_to_string("spreadsheets/import.html", _context(
        request, file_name=file_name, dry_run=dry_run, slot=mark_safe(_SLOT)), request)
    top, bottom = page.split(_SLOT, 1)
    language = translation.get_language()  # the parts are made after this view returns

    steps, result = services.import_in_steps(path, request.user, dry_run=dry_run)  # checks her first

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
                request, result=result, file_name=file_name), request)
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
