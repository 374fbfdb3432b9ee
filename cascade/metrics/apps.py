from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "cascade.metrics"
    verbose_name = _("Cascade figures")

    def ready(self):
        from cascade.metrics import signals

        signals.connect()
