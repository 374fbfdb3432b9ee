from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cascade.audit import services as audit
from cascade.ops import services


class Command(BaseCommand):
    help = _("Restore a backup made by `cascade backup` into an empty, migrated database.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            counts = services.restore(file)
        except (services.BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
        audit.log("cascade.backup.restored", None, None, file=str(file), rows=sum(counts.values()))
        self.stdout.write(_("Restored %(rows)d rows from %(file)s.") % {"rows": sum(counts.values()), "file": file})
