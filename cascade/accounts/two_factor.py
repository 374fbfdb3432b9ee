"""Who must sign in with a second factor, and whether this session has.

Network admins and partner staff see activists' names, so a stolen password
must not be enough. In the clearly labelled demo mode (CASCADE_DEMO=1) the
second factor is offered but not enforced, so a visitor can try the product.
"""

from django.conf import settings
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from cascade.access import needs_two_factor


def enforced() -> bool:
    return not getattr(settings, "DEMO_MODE", False)


def is_verified(request) -> bool:
    """This session has passed a confirmed device (a code or a backup code)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def is_verified_enough(request) -> bool:
    user = request.user
    if not needs_two_factor(user) or not enforced():
        return True
    return is_verified(request)


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def new_backup_codes(user, count: int = 8) -> list[str]:
    """Fresh single-use codes for a lost phone; earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(count)]
    device.token_set.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
