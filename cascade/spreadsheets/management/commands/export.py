from pathlib import Path

from django.utils.translation import gettext as _, gettext_lazy, ngettext

from cascade.lib.commands import BaseCommand, CommandError

from cascade.access import operator
from cascade.jobs.progress import TerminalProgress
from cascade.spreadsheets import services


class Command(BaseCommand):
    help = gettext_lazy(
        "Write the whole network to an .xlsx workbook in the import format. "
        "It holds people's names and contacts (unless --pseudonymise): keep the file safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("The .xlsx file to write."))
        parser.add_argument("--pseudonymise", action="store_true", help=gettext_lazy(
            "People as stable pseudonyms, without names, cities or contacts (for evaluators)."))
        parser.add_argument("--background", action="store_true", help=gettext_lazy(
            "Leave the export to `cascade worker`, which writes FILE; print the job's id and return at once."))

    def handle(self, *args, file, pseudonymise=False, background=False, **options):
        if background:
            return self.enqueue(file, pseudonymise)
        progress = TerminalProgress(self.stderr._out)
        try:
            counts = services.export_workbook(file, operator(), pseudonymise=pseudonymise, progress=progress)
        finally:
            progress.close()
        for sheet, count in counts.items():
            self.stdout.write(ngettext("%(sheet)s: %(count)d row", "%(sheet)s: %(count)d rows", count)
                              % {"sheet": sheet, "count": count})
        if pseudonymise:
            self.stdout.write(_("Wrote %(file)s. People appear as pseudonyms, without names or contacts; "
                                "their trainings can still tell who they are in a small place.") % {"file": file})
        else:
            self.stdout.write(_("Wrote %(file)s. It holds names and contacts: keep it safe.") % {"file": file})

    def enqueue(self, file, pseudonymise):
        from cascade.jobs import services as jobs

        try:  # a wrong path is said now, not later in the worker's log
            path = services.check_export_target(Path(file).resolve())
        except services.ExportError as error:
            raise CommandError(str(error)) from None
        job = jobs.start(operator(), "spreadsheet-export", {"path": str(path), "pseudonymise": pseudonymise},
                         title=str(path))
        self.stdout.write(_("Export queued as job %(job)s: `cascade worker` writes it to %(file)s.")
                          % {"job": job.pk, "file": path})
