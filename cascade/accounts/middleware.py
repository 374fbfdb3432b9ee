from django.shortcuts import redirect
from django.utils.http import urlencode
from django.urls import Resolver404, resolve, reverse

from .two_factor import has_device, is_verified_enough

# The only pages a signed-in user reaches before her second factor: sign-in and sign-out,
# the code itself, enrolment (which refuses a user who has a device already), the
# language switch, the assets and the health check. Named, not by prefix, so a new page under /accounts/
# is closed until it is added here on purpose.
OPEN_URL_NAMES = {
    "accounts:login", "accounts:logout", "accounts:two_factor", "accounts:two_factor_setup",
    "web:set_language", "healthz",
}
OPEN_PREFIXES = ("/static/",)


def is_open(path: str) -> bool:
    if path.startswith(OPEN_PREFIXES):
        return True
    try:
        return resolve(path).view_name in OPEN_URL_NAMES
    except Resolver404:
        return False


class TwoFactorMiddleware:
    """Sends staff who have not passed their second factor to verify (or enrol) first.

    Applies to every page, so a new page cannot forget it. Runs after OTPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not is_open(request.path_info)
                and not is_verified_enough(request)):
            name = "accounts:two_factor" if has_device(user) else "accounts:two_factor_setup"
            return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
