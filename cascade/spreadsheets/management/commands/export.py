from django.utils.translation import gettext as _, gettext_lazy, ngettext

from cascade.lib.commands import BaseCommand

from cascade.access import operator
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

    def handle(self, *args, file, pseudonymise=False, **options):
        counts = services.export_workbook(file, operator(), pseudonymise=pseudonymise)
        for sheet, count in counts.items():
            self.stdout.write(ngettext("%(sheet)s: %(count)d row", "%(sheet)s: %(count)d rows", count)
                              % {"sheet": sheet, "count": count})
        if pseudonymise:
            self.stdout.write(_("Wrote %(file)s. People appear as pseudonyms, without names or contacts; "
                                "their trainings can still tell who they are in a small place.") % {"file": file})
        else:
            self.stdout.write(_("Wrote %(file)s. It holds names and contacts: keep it safe.") % {"file": file})
