"""The spreadsheets' background jobs: the network export, and the import (a check, then the import).

The export: ``cascade export FILE --background`` leaves it to ``cascade worker``.
Started at the command line (the operator), the worker writes the workbook where the
command was told, as the command would have. Started by a user, it is the job's own
result file, downloaded from the job's page: a user never names a path on the server.

The import: the import page (the staff app's, or the admin's) saves the upload
(``uploads``) and starts a ``spreadsheet-check``: the dry run, with rows checked of
total per sheet. Its page lists every problem, or what would change (per sheet, the
rows to create, to change with each field old → new, and unchanged; the first rows
of each, and all of them in the job's result file) and a Confirm button; confirming
starts a ``spreadsheet-import`` of that same file, all or nothing, which writes only
the rows to create or change and links to what it created. ``cascade import``
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

from cascade import access
from cascade.access import is_operator
from cascade.jobs import services as jobs
from cascade.jobs.kinds import JobError, register
from cascade.jobs.models import Job
from cascade.spreadsheets import services, uploads
from cascade.spreadsheets.compare import ACTIONS
from cascade.spreadsheets.importer import ImportResult
from cascade.spreadsheets.schema import SHEETS

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


def summarise(result: ImportResult, file_name: str, can_confirm: bool = False, actor=None) -> dict:
    """The result as the job keeps it (JSON) and its page, the command and the streamed page show it.

    ``sheets``: per sheet, the counts and the first rows of each kind (created, changed with
    each field old → new, unchanged). After an import, ``created_trainings`` are those it
    created that ``actor`` may open, to link to.
    """
    changes = result.changes
    sheets = [
        {"name": spec.name, "counts": dict(changes.counts[spec.name]),
         "rows": [{"action": action, "count": changes.counts[spec.name][action],
                  "rows": [row.as_dict() for row in changes.samples[spec.name][action]]}
                  for action in ACTIONS if changes.samples[spec.name][action]]}
        for spec in SHEETS if spec.name in changes.counts
    ]
    created = []
    if result.ok and not result.dry_run and actor is not None and changes.created_keys.get("trainings"):
        trainings = access.visible_trainings(actor) if not is_operator(actor) else None
        if trainings is not None:
            created = [{"pk": training.pk, "title": str(training), "start_date": training.start_date.isoformat()}
                       for training in trainings.filter(key__in=changes.created_keys["trainings"])
                       .order_by("start_date", "pk")[:20]]
    return {
        "ok": result.ok,
        "dry_run": result.dry_run,
        "file_name": file_name,
        "summary": result.summary(),
        "sheets": sheets,
        "changed": changes.any,
        "created_trainings": created,
        "created_people": changes.counts["people"]["created"] if "people" in changes.counts else 0,
        "error_count": result.error_count,
        "unlisted_errors": result.unlisted_errors,
        "errors": [{"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message, "text": str(p)}
                   for p in result.errors],
        "warnings": [str(problem) for problem in result.warnings],
        "can_confirm": can_confirm,
    }


def _changes_file(job):
    """Where the check lists every compared row: the job's result file (none in the foreground).

    The import itself writes no such list: its check has it, and a re-import of an unchanged
    workbook should cost little more than reading it."""
    if job._state.adding:  # run_now: the command prints its summary
        return None
    return lambda: jobs.result_file(job, "changes.xlsx", XLSX)


def _drop_changes_file(job) -> None:
    """A check that found problems offers no list of changes (it would be a partial one)."""
    if job._state.adding or not job.result_file:
        return
    path = jobs.result_path(job)
    if path is not None:
        path.unlink(missing_ok=True)
    Job.objects.filter(pk=job.pk).update(result_file="", result_name="", result_type="")


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
                                          include_hidden=bool(job.params.get("include_hidden")),
                                          changes_to=_changes_file(job))
        keep = upload and result.ok and bool(job.params.get("confirm"))
    finally:
        if upload and not keep:
            path.unlink(missing_ok=True)
    if keep:
        uploads.keep_waiting(path)  # its hour of waiting for a Confirm starts now
    if not result.ok:
        _drop_changes_file(job)
    return summarise(result, job.params.get("name", ""), can_confirm=keep, actor=actor)


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
    summary = summarise(result, job.params.get("name", ""), actor=actor)
    if not result.ok:
        raise ImportFailed(summary)
    return summary
