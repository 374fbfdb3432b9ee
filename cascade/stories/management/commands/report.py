"""``cascade report --region 143 --since 2014-01-01 --until 2019-12-31 --format xlsx|docx|pdf --output FILE``."""

from pathlib import Path

from django.conf import settings
from cascade.lib.commands import BaseCommand, CommandError
from django.utils.translation import gettext as _, gettext_lazy

from cascade.jobs.progress import TerminalProgress
from cascade.metrics.filters import FilterError, Filters, add_filter_arguments
from cascade.stories import report


class Command(BaseCommand):
    help = gettext_lazy("Write the donor report for a period and a part of the network (small counts suppressed).")

    def add_arguments(self, parser):
        add_filter_arguments(parser)
        parser.add_argument("--format", required=True, choices=("xlsx", "docx", "pdf"))
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--lang", default=settings.LANGUAGE_CODE, choices=[code for code, _n in settings.LANGUAGES])

    def handle(self, *args, region, country, partner, manual, since, until, format, output, lang, **options):
        try:
            filters = Filters.parse(region=region, country=country, partner=partner, manual=manual,
                                    since=since, until=until)
        except FilterError as error:
            raise CommandError(str(error))
        progress = TerminalProgress(self.stderr._out)  # a bar on a terminal, nothing in a pipe
        try:
            data = report.render(report.build(filters, lang, progress=progress), format, progress)
        finally:
            progress.close()
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(_("Cannot write %(file)s: %(reason)s") % {"file": output, "reason": error.strerror})
        self.stderr.write(_("Wrote %(file)s.") % {"file": output})
