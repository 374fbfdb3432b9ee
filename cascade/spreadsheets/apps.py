from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    name = "cascade.spreadsheets"
    verbose_name = _("Spreadsheets")

    def ready(self):
        from django.contrib import admin

        # Adds the "Import a spreadsheet" link; another app's own index wins.
        if admin.site.index_template is None:
            admin.site.index_template = "spreadsheets/admin_index.html"
