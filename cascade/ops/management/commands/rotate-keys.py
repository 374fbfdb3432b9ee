from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cascade.audit import services as audit
from cascade.ops import services


class Command(BaseCommand):
    help = _("Re-encrypt contact details with the newest key in CASCADE_FERNET_KEYS.")

    def handle(self, *args, **options):
        done = services.rotate_keys()
        audit.log("cascade.keys.rotated", None, None, rows=done)
        for label, count in done.items():
            self.stdout.write(_("%(model)s: %(count)d rows re-encrypted") % {"model": label, "count": count})
        self.stdout.write(_("Older keys can now be removed from CASCADE_FERNET_KEYS."))
