"""``cascade indicators import FILE [--dry-run] [--background]``, ``show --country KZ [--json]``, ``load-snapshot``."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cascade.access import operator
from cascade.indicators import services
from cascade.indicators.jobs import report
from cascade.jobs import services as jobs
from cascade.jobs.cli import queued_lines
from cascade.jobs.kinds import JobError
from cascade.jobs.progress import TerminalProgress
from cascade.lib.numbers import decimal_text
from cascade.spreadsheets import uploads


class Command(BaseCommand):
    help = _("Context indicators (women in parliament): import files, load the snapshot, show a country.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser(
            "import", help=_("Import a World Bank, UN SDG 5.5.1 or IPU women-in-parliament file (CSV or Excel; "
                             "docs/indicators.md lists the layouts)."))
        importing.add_argument("file", type=Path)
        importing.add_argument("--dry-run", action="store_true",
                               help=_("Check the file and say what would change; write nothing."))
        importing.add_argument("--force", action="store_true", help=_(
            "Take the file's values even where the stored ones come from a newer release."))
        importing.add_argument("--background", action="store_true", help=_(
            "Queue the import (a copy of the file) as a background job for “cascade worker”, print its id "
            "and page, and exit."))
        showing = actions.add_parser("show", help=_("Show a country's observations."))
        showing.add_argument("--country", required=True, help=_("ISO code, such as KZ."))
        showing.add_argument("--json", action="store_true", help=_("Print JSON."))
        actions.add_parser("load-snapshot", help=_("Load the shipped recent values for the network's countries."))

    def handle(self, *args, action, **options):
        if action == "import":
            return self.import_file(options["file"], options["dry_run"], options["background"], options["force"])
        if action == "load-snapshot":
            return self.report(services.load_snapshot())
        return self.show(options["country"], options["json"])

    def import_file(self, path: Path, dry_run: bool, background: bool = False, force: bool = False):
        if background:
            if not path.is_file():
                raise CommandError(_("Cannot read %(file)s: %(reason)s") % {"file": path, "reason": _("no such file")})
            copy = uploads.save_copy(path)
            try:
                job = jobs.start(operator(), "indicator-import",
                                 {"upload": copy.name, "name": str(path), "dry_run": dry_run, "force": force}, title=path.name)
            except BaseException:
                copy.unlink(missing_ok=True)
                raise
            for line in queued_lines(job):
                self.stdout.write(line)
            return
        progress = TerminalProgress(self.stderr._out)
        try:
            summary = jobs.run_now(operator(), "indicator-import",
                                   {"path": str(path), "name": str(path), "dry_run": dry_run, "force": force}, progress)
        except JobError as error:
            raise CommandError(str(error))
        finally:
            progress.close()
        self.stdout.write(summary["message"])

    def report(self, summary):
        self.stdout.write(report(summary))

    def show(self, country: str, as_json: bool):
        observations = list(services.series(country, unit=None))
        if as_json:
            self.stdout.write(json.dumps(
                {"country": country.upper(), "observations": [services.as_dict(o) for o in observations]},
                ensure_ascii=False, indent=2,
            ))
            return
        if not observations:
            self.stdout.write(_("No observations for %(country)s.") % {"country": country.upper()})
        for o in observations:
            self.stdout.write(
                f"{o.date.isoformat()}  {o.get_chamber_display():<24}  {decimal_text(o.value)}{o.unit:<6}  "
                f"{o.source_name} ({o.licence})"
            )
