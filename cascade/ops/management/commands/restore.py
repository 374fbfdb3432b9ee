from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cascade.access import erasure
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
        audit.log("cascade.backup.restored", None, None, file=str(file), rows=sum(counts.values()),
                  erasures_reapplied=counts.erasures_reapplied)
        self.stdout.write(_("Restored %(rows)d rows from %(file)s.") % {"rows": sum(counts.values()), "file": file})
        if counts.erasures_reapplied is None:
            self.stdout.write(self.style.WARNING(
                _("No register of erasures was found at %(path)s: anyone erased after this backup was made "
                  "is back. Erase them again with `cascade erase`.") % {"path": erasure.register_path()}))
        else:
            self.stdout.write(ngettext("Re-applied %(count)d erasure made after this backup.",
                                       "Re-applied %(count)d erasures made after this backup.",
                                       counts.erasures_reapplied) % {"count": counts.erasures_reapplied})
