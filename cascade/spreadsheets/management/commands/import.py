from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _, ngettext

from cascade.access import operator
from cascade.spreadsheets import services


class Command(BaseCommand):
    help = (
        "Import an .xlsx workbook, or a folder (or .zip) of .csv files named like its sheets. "
        "All or nothing: any error and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .xlsx workbook, folder of .csv files, or .zip of them.")
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Check everything and say what would change, without saving.",
        )

    def handle(self, *args, path, dry_run, **options):
        result = services.import_workbook(path, operator(), dry_run=dry_run)
        for warning in result.warnings:
            self.stderr.write(_("Warning: %(problem)s") % {"problem": warning})
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.unlisted_errors:
                self.stderr.write(ngettext(
                    "... and %(count)d more error.", "... and %(count)d more errors.", result.unlisted_errors,
                ) % {"count": result.unlisted_errors})
            raise CommandError(ngettext(
                "%(count)d error: nothing was imported.", "%(count)d errors: nothing was imported.",
                result.error_count,
            ) % {"count": result.error_count})
        for line in result.summary():
            self.stdout.write(line)
        self.stdout.write(_("Dry run: nothing was saved.") if dry_run else _("Import complete."))
