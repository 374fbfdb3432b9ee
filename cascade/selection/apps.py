from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "cascade.selection"
    verbose_name = _("Calls and selection")
