"""The network export as a background job: ``cascade export FILE --background`` leaves it to ``cascade worker``.

Started at the command line (the operator), the worker writes the workbook where the
command was told, as the command would have. Started by a user, it is the job's own
result file, downloaded from the job's page: a user never names a path on the server.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import gettext_lazy

from cascade.access import is_operator
from cascade.jobs import services as jobs
from cascade.jobs.kinds import JobError, register
from cascade.spreadsheets import services

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
