"""``cascade indicators import FILE [--dry-run]``, ``show --country KZ [--json]``, ``load-snapshot``."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _, ngettext

from cascade.indicators import services
from cascade.indicators.formats import IndicatorFileError
from cascade.lib.numbers import decimal_text


class Command(BaseCommand):
    help = _("Context indicators (women in parliament): import files, load the snapshot, show a country.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser(
            "import", help=_("Import a World Bank, UN SDG 5.5.1 or IPU Parline CSV file."))
        importing.add_argument("file", type=Path)
        importing.add_argument("--dry-run", action="store_true",
                               help=_("Check the file and say what would change; write nothing."))
        showing = actions.add_parser("show", help=_("Show a country's observations."))
        showing.add_argument("--country", required=True, help=_("ISO code, such as KZ."))
        showing.add_argument("--json", action="store_true", help=_("Print JSON."))
        actions.add_parser("load-snapshot", help=_("Load the shipped recent values for the network's countries."))

    def handle(self, *args, action, **options):
        if action == "import":
            return self.import_file(options["file"], options["dry_run"])
        if action == "load-snapshot":
            return self.report(services.load_snapshot())
        return self.show(options["country"], options["json"])

    def import_file(self, path: Path, dry_run: bool):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(reason)s") % {"file": path, "reason": error.strerror})
        try:
            summary = services.import_file(data, dry_run=dry_run)
        except IndicatorFileError as error:
            raise CommandError(
                _("%(file)s was not imported; nothing was written.") % {"file": path}
                + "\n" + "\n".join(error.problems)
            )
        self.report(summary)

    def report(self, summary):
        message = ngettext(
            "%(format)s: %(created)d new and %(updated)d updated observation",
            "%(format)s: %(created)d new and %(updated)d updated observations",
            summary.total,
        ) % {"format": summary.format, "created": summary.created, "updated": summary.updated}
        if summary.skipped:
            message += "; " + _("skipped regions and aggregates: %(codes)s") % {"codes": ", ".join(summary.skipped)}
        if summary.dry_run:
            message += " " + _("(dry run: nothing was written)")
        self.stdout.write(message)

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
