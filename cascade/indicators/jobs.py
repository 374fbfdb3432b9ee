"""The indicator import as a background job (``cascade indicators import FILE --background``).

The same function runs in the foreground (``jobs.run_now``, a bar on the terminal).
The file is named in the job's parameters: ``upload``, a private copy in the import
folder (``cascade.spreadsheets.uploads``) that the job deletes once read, or ``path``,
the operator's own file, only for a run in the foreground.
"""

from pathlib import Path

from django.utils.translation import gettext as _, gettext_lazy, ngettext

from cascade.audit import services as audit
from cascade.indicators import services
from cascade.indicators.formats import IndicatorFileError
from cascade.jobs.kinds import JobError, register
from cascade.spreadsheets import uploads


def report(summary: services.ImportSummary) -> str:
    """One line on what an import did (or, in a dry run, would do)."""
    message = ngettext(
        "%(format)s: %(created)d new and %(updated)d updated observation",
        "%(format)s: %(created)d new and %(updated)d updated observations",
        summary.total,
    ) % {"format": summary.format, "created": summary.created, "updated": summary.updated}
    if summary.skipped:
        message += "; " + _("skipped regions and aggregates: %(codes)s") % {"codes": ", ".join(summary.skipped)}
    if summary.dry_run:
        message += " " + _("(dry run: nothing was written)")
    return message


def _read(job) -> bytes:
    params = job.params
    if "path" in params and job._state.adding:  # run_now: the operator's own file, in the foreground
        path = Path(params["path"])
        try:
            return path.read_bytes()
        except OSError as error:
            raise JobError(_("Cannot read %(file)s: %(reason)s") % {"file": path, "reason": error.strerror})
    path = uploads.upload_named(params.get("upload", ""))
    if path is None:
        raise JobError(_("The file to import is no longer there (a waiting file is deleted after an hour); "
                         "queue the import again."))
    try:
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


@register("indicator-import", rule="indicators.import", label=gettext_lazy("Indicator import"))
def indicator_import(job, progress, actor) -> dict:
    data = _read(job)
    dry_run = bool(job.params.get("dry_run"))
    try:
        summary = services.import_file(data, dry_run=dry_run, progress=progress)
    except IndicatorFileError as error:
        raise JobError(_("%(file)s was not imported; nothing was written.") % {"file": job.params.get("name", "")}
                       + "\n" + "\n".join(error.problems))
    if not dry_run:
        audit.log("cascade.indicators.imported", actor, None, format=summary.format,
                  created=summary.created, updated=summary.updated)
    return {"message": report(summary), "created": summary.created, "updated": summary.updated}
