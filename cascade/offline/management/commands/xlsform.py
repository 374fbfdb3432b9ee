from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _, gettext_lazy

from cascade.offline import xlsform


class Command(BaseCommand):
    help = ("Write the step-down report as an XLSForm for ODK Collect and KoboCollect, with its "
            "lists of trainers, countries, manuals and sessions as CSV files beside it.")

    def add_arguments(self, parser):
        parser.add_argument("path", help=gettext_lazy("The .xlsx file to write."))
        parser.add_argument("--for", dest="username", default="", help=gettext_lazy(
            "Write the names of the trainers this account may see (for that account's phone); "
            "without it, trainers are listed by key only."))

    def handle(self, *args, path, username="", **options):
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(_("No account is called %(name)s.") % {"name": username})
        for written in xlsform.write(Path(path), user=user):
            self.stdout.write(str(written))
