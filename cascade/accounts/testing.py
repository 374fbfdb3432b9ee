"""Test support: ``Client.force_login`` stands for a completed sign-in, second factor included.

Tests that exercise the second factor itself sign in through /accounts/login/ instead.
"""

from django.test import Client


def verified_force_login(original):
    def force_login(self, user, backend=None):
        original(self, user, backend)
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from cascade.access import needs_two_factor

        if needs_two_factor(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
                TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
            session = self.session
            session["otp_device_id"] = device.persistent_id
            session.save()

    return force_login


def patch_client(monkeypatch) -> None:
    monkeypatch.setattr(Client, "force_login", verified_force_login(Client.force_login))
