from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_mode_is_off(app_configs, **kwargs):
    """Demo mode lets staff in without a second factor: never on a server with real data."""
    if getattr(settings, "DEMO_MODE", False):
        return [Error("CASCADE_DEMO is on: staff can sign in without two-step verification.",
                      hint="Unset CASCADE_DEMO on any server that holds real people's data.",
                      id="cascade.E001")]
    return []
