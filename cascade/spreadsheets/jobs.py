"""The spreadsheets' background jobs: the network export, and the import (a check, then the import).

The export: ``cascade export FILE --background`` leaves it to ``cascade worker``.
Started at the command line (the operator), the worker writes the workbook where the
command was told, as the command would have. Started by a user, it is the job's own
result file, downloaded from the job's page: a user never names a path on the server.

The import: the admin's import page saves the upload (``uploads``) and starts a
``spreadsheet-check``: the dry run, with rows checked of total per sheet. Its page
lists every problem, or what would change and a Confirm button; confirming starts a
``spreadsheet-import`` of that same file, all or nothing. ``cascade import``
runs the same two functions, in the foreground (``jobs.run_now``, a bar on the
terminal) or with ``--background``.

``include_hidden`` (bool) in the parameters reads the sheets and rows hidden in the
spreadsheet too; without it they are listed in the result and left out. The workbook is
named in the job's parameters: ``upload`` (a file of the upload
folder, deleted after the import, after a check that found problems, and when
abandoned), or ``path`` (the operator's own file or folder, read where it is and
never deleted; only for a run in the foreground, never from the queue).
"""

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cascade.access import is_operator
from cascade.jobs import services as jobs
from cascade.jobs.kinds import JobError, register
from cascade.spreadsheets import services, uploads
from cascade.spreadsheets.importer import ImportResult

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@register("spreadsheet-export", rule="spreadsheets.export", label=gettext_lazy("Network export"))
def spreadsheet_export(job, progress, actor):
    """``params``: ``pseudonymise`` (bool) and, from the command line, ``path`` (absolute)."""
    pseudonymise = bool(job.params.get("pseudonymise"))
    if is_operator(actor) and job.params.get("path"):
        try:
            path = services.check_export_target(job.params["path"])
        except services.ExportError as error:
            raise JobError(str(error)) from None
    else:
        name = "cascade-export-pseudonymised.xlsx" if pseudonymise else "cascade-export.xlsx"
        path = jobs.result_file(job, name, XLSX)
    counts = services.export_workbook(path, actor, pseudonymise=pseudonymise, progress=progress)
    return {"message": _("Wrote %(file)s.") % {"file": path if is_operator(actor) else path.name},
            "lines": [ngettext("%(sheet)s: %(count)d row", "%(sheet)s: %(count)d rows", count)
                      % {"sheet": sheet, "count": count} for sheet, count in counts.items()]}


TEMPLATE = "spreadsheets/_job_result.html"


class ImportFailed(JobError):
    """An import refused for the problems it lists; nothing was imported."""

    def __init__(self, summary: dict):
        self.summary = summary
        lines = [headline(summary), *(error["text"] for error in summary["errors"])]
        if summary["unlisted_errors"]:
            lines.append(ngettext("... and %(count)d more error.", "... and %(count)d more errors.",
                                  summary["unlisted_errors"]) % {"count": summary["unlisted_errors"]})
        super().__init__("\n".join(lines))


def headline(summary: dict) -> str:
    return ngettext("%(count)d error: nothing was imported.", "%(count)d errors: nothing was imported.",
                    summary["error_count"]) % {"count": summary["error_count"]}


def summarise(result: ImportResult, file_name: str, can_confirm: bool = False) -> dict:
    """The result as the job keeps it (JSON) and its page, the command and the streamed page show it."""
    return {
        "ok": result.ok,
        "dry_run": result.dry_run,
        "file_name": file_name,
        "summary": result.summary(),
        "error_count": result.error_count,
        "unlisted_errors": result.unlisted_errors,
        "errors": [{"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message, "text": str(p)}
                   for p in result.errors],
        "warnings": [str(problem) for problem in result.warnings],
        "can_confirm": can_confirm,
    }


def _workbook(job) -> tuple[Path, bool]:
    """The file to read, and whether it is a waiting upload (to delete once used)."""
    params = job.params
    if "path" in params and job._state.adding:  # run_now: the operator's own file, in the foreground
        return Path(params["path"]), False
    path = uploads.upload_named(params.get("upload", ""))
    if path is None:
        raise JobError(_("The uploaded workbook is no longer there: it is deleted once imported, after a "
                         "check that found problems, and an hour after a check nobody confirmed. "
                         "Upload it again."))
    return path, True


@register("spreadsheet-check", rule="spreadsheets.import", label=gettext_lazy("Spreadsheet check"),
          template=TEMPLATE)
def spreadsheet_check(job, progress, actor) -> dict:
    """The dry run; a good upload from the admin's page waits for its Confirm (``confirm`` in the params)."""
    path, upload = _workbook(job)
    keep = False
    try:
        result = services.import_workbook(path, actor, dry_run=True, progress=progress,
                                          include_hidden=bool(job.params.get("include_hidden")))
        keep = upload and result.ok and bool(job.params.get("confirm"))
    finally:
        if upload and not keep:
            path.unlink(missing_ok=True)
    if keep:
        uploads.keep_waiting(path)  # its hour of waiting for a Confirm starts now
    return summarise(result, job.params.get("name", ""), can_confirm=keep)


@register("spreadsheet-import", rule="spreadsheets.import", label=gettext_lazy("Spreadsheet import"),
          template=TEMPLATE)
def spreadsheet_import(job, progress, actor) -> dict:
    """The import, all or nothing (the importer writes in one transaction once every row is checked)."""
    path, upload = _workbook(job)
    try:
        if upload:
            uploads.keep_waiting(path)  # not abandoned while it is being imported
        result = services.import_workbook(path, actor, dry_run=False, progress=progress,
                                          include_hidden=bool(job.params.get("include_hidden")))
    finally:
        if upload:
            path.unlink(missing_ok=True)
    summary = summarise(result, job.params.get("name", ""))
    if not result.ok:
        raise ImportFailed(summary)
    return summary
