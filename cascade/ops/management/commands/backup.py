from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cascade.access import operator
from cascade.jobs.progress import TerminalProgress
from cascade.lib.commands import BaseCommand, CommandError
from cascade.ops import services


class Command(BaseCommand):
    help = gettext_lazy("Write a consistent, encrypted backup of the database and the photos to FILE.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--background", action="store_true", help=gettext_lazy(
            "Leave the backup to `cascade worker`, which writes FILE; print the job's id and return at once."))

    def handle(self, *args, file, background=False, **options):
        if background:
            return self.enqueue(file)
        progress = TerminalProgress(self.stderr._out)
        try:
            rows = services.write_backup(file, operator(), progress)
        except services.BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            progress.close()
        self.stdout.write(_("Backup written to %(file)s: %(rows)d rows. It is encrypted: keep "
                            "CASCADE_FERNET_KEYS somewhere else, or the backup cannot be read.")
                          % {"file": file, "rows": sum(rows.values())})

    def enqueue(self, file):
        from cascade.jobs import services as jobs

        try:  # a wrong path is said now, not later in the worker's log
            path = services.check_target(Path(file).resolve())
        except services.BackupError as error:
            raise CommandError(str(error)) from None
        job = jobs.start(operator(), "backup", {"path": str(path)}, title=str(path))
        self.stdout.write(_("Backup queued as job %(job)s: `cascade worker` writes it to %(file)s.")
                          % {"job": job.pk, "file": path})
