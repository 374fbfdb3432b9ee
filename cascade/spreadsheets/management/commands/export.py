from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _, ngettext

from cascade.spreadsheets import services


class Command(BaseCommand):
    help = (
        "Write the whole network to an .xlsx workbook in the import format. "
        "It holds people's names and contacts: keep the file safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx file to write.")
        parser.add_argument("--pseudonymise", action="store_true",
                            help="People as stable pseudonyms, without names, cities or contacts (for evaluators).")

    def handle(self, *args, file, pseudonymise=False, **options):
        counts = services.export_workbook(file, pseudonymise=pseudonymise)
        for sheet, count in counts.items():
            self.stdout.write(ngettext("%(sheet)s: %(count)d row", "%(sheet)s: %(count)d rows", count)
                              % {"sheet": sheet, "count": count})
        self.stdout.write(_("Wrote %(file)s. It holds names and contacts: keep it safe.") % {"file": file})
