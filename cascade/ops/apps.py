from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "cascade.ops"
    verbose_name = _("Operations")

    def ready(self):
        from . import checks, files

        del checks  # registered on import
        files.tighten_database_files()
