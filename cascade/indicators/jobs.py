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
    """What an import did (or, in a dry run, would do): one line, then a line per remark."""
    message = ngettext(
        "%(format)s: %(created)d new, %(updated)d updated and %(unchanged)d unchanged observation",
        "%(format)s: %(created)d new, %(updated)d updated and %(unchanged)d unchanged observations",
        summary.total,
    ) % {"format": summary.format, "created": summary.created, "updated": summary.updated,
         "unchanged": summary.unchanged}
    if summary.released:
        message += " " + _("(file released %(date)s)") % {"date": summary.released.isoformat()}
    lines = [message]
    if summary.kept:
        lines.append(ngettext(
            "%(count)d value left alone: the file is older than the value it would change (released "
            "%(stored)s); --force takes the file's value",
            "%(count)d values left alone: the file is older than the values it would change (released up to "
            "%(stored)s); --force takes the file's values",
            summary.kept,
        ) % {"count": summary.kept, "stored": summary.kept_released.isoformat()})
    if summary.skipped:
        lines.append(_("skipped regions, aggregates and former states: %(codes)s")
                     % {"codes": ", ".join(summary.skipped)})
    lines.extend(summary.remarks)
    if summary.dry_run:
        lines.append(_("(dry run: nothing was written)"))
    return "\n".join(lines)


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
        summary = services.import_file(data, dry_run=dry_run, progress=progress,
                                       force=bool(job.params.get("force")), name=job.params.get("name", ""))
    except IndicatorFileError as error:
        raise JobError(_("%(file)s was not imported; nothing was written.") % {"file": job.params.get("name", "")}
                       + "\n" + "\n".join(error.problems))
    if not dry_run:
        audit.log("cascade.indicators.imported", actor, None, format=summary.format,
                  created=summary.created, updated=summary.updated, unchanged=summary.unchanged,
                  kept=summary.kept, released=summary.released.isoformat() if summary.released else "",
                  file=summary.source_file)
    return {"message": report(summary), "created": summary.created, "updated": summary.updated,
            "unchanged": summary.unchanged, "kept": summary.kept}
