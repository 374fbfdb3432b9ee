from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy

from cascade.lib.commands import BaseCommand, CommandError
from cascade.spreadsheets import services


class Command(BaseCommand):
    help = gettext_lazy(
        "Write an empty import workbook: one sheet per table with its header row, and instructions, "
        "in the language of --lang."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("The .xlsx file to write."))
        parser.add_argument("--lang", default=None, help=gettext_lazy(
            "The language of the sheet names, headers and instructions, such as ru or kk (English by default). "
            "The importer reads headers in every language."))

    def handle(self, *args, file, lang=None, **options):
        codes = [code for code, _name in settings.LANGUAGES]
        if lang is not None and lang not in codes:
            raise CommandError(_("“%(lang)s” is not one of Cascade's languages: %(codes)s.")
                               % {"lang": lang, "codes": ", ".join(codes)})
        with translation.override(lang or "en"):
            services.write_template(file)
            self.stdout.write(_("Wrote the import template to %(file)s.") % {"file": file})
