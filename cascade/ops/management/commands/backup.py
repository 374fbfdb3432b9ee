from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cascade.audit import services as audit
from cascade.ops import services


class Command(BaseCommand):
    help = _("Write a consistent, encrypted backup of the database and the photos to FILE.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            rows = services.backup(file)
        except services.BackupError as error:
            raise CommandError(str(error)) from None
        audit.log("cascade.backup.written", None, None, file=str(file), rows=sum(rows.values()))
        self.stdout.write(_("Backup written to %(file)s: %(rows)d rows. It is encrypted: keep "
                            "CASCADE_FERNET_KEYS somewhere else, or the backup cannot be read.")
                          % {"file": file, "rows": sum(rows.values())})
