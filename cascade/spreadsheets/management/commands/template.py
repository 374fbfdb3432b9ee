from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cascade.spreadsheets import services


class Command(BaseCommand):
    help = "Write an empty import workbook: one sheet per table with its header row, and instructions."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx file to write.")

    def handle(self, *args, file, **options):
        services.write_template(file)
        self.stdout.write(_("Wrote the import template to %(file)s.") % {"file": file})
