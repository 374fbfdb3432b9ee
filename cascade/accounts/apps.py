from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cascade.accounts"
    default = True  # this module also names third-party apps (below)
    verbose_name = _("Accounts")

    def ready(self):
        from . import checks  # noqa: F401


# The sign-in apps under names a network admin recognises in the admin (their labels stay:
# "axes", "otp_totp" and "otp_static" name their tables and migrations).
from axes.apps import AppConfig as _AxesConfig  # noqa: E402
from django_otp.plugins.otp_static.apps import DefaultConfig as _StaticConfig  # noqa: E402
from django_otp.plugins.otp_totp.apps import DefaultConfig as _TOTPConfig  # noqa: E402


class AxesConfig(_AxesConfig):
    verbose_name = _("Sign-in attempts")


class TOTPConfig(_TOTPConfig):
    verbose_name = _("Two-step sign-in: authenticator apps")


class StaticConfig(_StaticConfig):
    verbose_name = _("Two-step sign-in: backup codes")
