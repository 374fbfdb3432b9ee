from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _, ngettext

from cascade.spreadsheets import uploads


class Command(BaseCommand):
    help = _(
        "Delete uploads of the admin's import page that were previewed but never confirmed "
        "(older than an hour): they hold names and contacts."
    )

    def handle(self, *args, **options):
        removed = uploads.remove_abandoned_uploads()
        self.stdout.write(ngettext(
            "%(count)d abandoned upload deleted.", "%(count)d abandoned uploads deleted.", removed,
        ) % {"count": removed})
