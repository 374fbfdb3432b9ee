from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from cascade.access import operator
from cascade.jobs import services as jobs
from cascade.jobs.cli import queued_lines
from cascade.jobs.progress import TerminalProgress
from cascade.spreadsheets import uploads
from cascade.spreadsheets.jobs import ImportFailed, headline


class Command(BaseCommand):
    help = (
        "Import an .xlsx, .xls or .ods workbook, a .csv file, or a folder (or .zip) of .csv files named like "
        "its sheets. All or nothing: any error and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The workbook (.xlsx, .xls, .ods), .csv file, folder of .csv files, "
                                         "or .zip of them.")
        parser.add_argument("--include-hidden", action="store_true", help=gettext_lazy(
            "Also read the rows and sheets hidden in the spreadsheet (left out otherwise; listed either way)."))
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Check everything and say what would change, without saving.",
        )
        parser.add_argument("--background", action="store_true", help=gettext_lazy(
            "Queue the import (a copy of the file) as a background job for “cascade worker”, print its id "
            "and page, and exit."))

    def handle(self, *args, path, dry_run, background=False, include_hidden=False, **options):
        kind = "spreadsheet-check" if dry_run else "spreadsheet-import"
        if background:
            return self.queue(Path(path), kind, include_hidden)
        progress = TerminalProgress(self.stderr._out)
        try:
            summary = jobs.run_now(operator(), kind, {"path": str(path), "name": Path(path).name,
                                                      "include_hidden": include_hidden}, progress)
        except ImportFailed as failure:
            summary = failure.summary
        finally:
            progress.close()
        self.report(summary, dry_run)

    def queue(self, path: Path, kind: str, include_hidden: bool = False):
        if not path.exists():
            raise CommandError(_("%(path)s does not exist.") % {"path": path})
        copy = uploads.save_copy(path, csv_as_sheet=True)
        try:
            job = jobs.start(operator(), kind, {"upload": copy.name, "name": path.name,
                                                "include_hidden": include_hidden}, title=path.name)
        except BaseException:
            copy.unlink(missing_ok=True)
            raise
        for line in queued_lines(job):
            self.stdout.write(line)

    def report(self, summary: dict, dry_run: bool):
        for warning in summary["warnings"]:
            self.stderr.write(_("Warning: %(problem)s") % {"problem": warning})
        if not summary["ok"]:
            for error in summary["errors"]:
                self.stderr.write(error["text"])
            if summary["unlisted_errors"]:
                self.stderr.write(ngettext(
                    "... and %(count)d more error.", "... and %(count)d more errors.", summary["unlisted_errors"],
                ) % {"count": summary["unlisted_errors"]})
            raise CommandError(headline(summary))
        for line in summary["summary"]:
            self.stdout.write(line)
        for sheet in summary.get("sheets", ()):  # the first changed rows of each sheet, field old → new
            for group in sheet["rows"]:
                for row in group["rows"] if group["action"] == "changed" else ():
                    changes = "; ".join(f"{column}: {old or '–'} → {new or '–'}" for column, old, new in row["fields"])
                    self.stdout.write("  " + _("%(sheet)s, row %(row)s (%(key)s): %(changes)s") % {
                        "sheet": sheet["name"], "row": row["row"], "key": row["key"], "changes": changes})
        self.stdout.write(_("Dry run: nothing was saved.") if dry_run else _("Import complete."))
