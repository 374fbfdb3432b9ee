"""The backup as a background job: ``cascade backup FILE --background`` leaves it to ``cascade worker``.

The worker writes the backup where the command was told (an absolute path, checked when
the job was started), as the command would have.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cascade.jobs.kinds import JobError, register
from cascade.ops import services


@register("backup", rule="ops.backup", label=gettext_lazy("Backup"))
def backup(job, progress, actor):
    """``params``: ``path``, the backup file to write (absolute)."""
    path = job.params["path"]
    try:
        rows = services.write_backup(path, actor, progress)
    except services.BackupError as error:
        raise JobError(str(error)) from None
    return {"message": _("Backup written to %(file)s: %(rows)d rows.") % {"file": path, "rows": sum(rows.values())}}
