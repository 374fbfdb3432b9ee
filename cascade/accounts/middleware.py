from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import has_device, is_verified_enough

# Pages a signed-in user needs before her second factor: sign-in, enrolment, sign-out, assets.
OPEN_PREFIXES = ("/accounts/", "/static/", "/jsi18n/", "/language/")


class TwoFactorMiddleware:
    """Sends staff who have not passed their second factor to verify (or enrol) first.

    Applies to every page, so a new page cannot forget it. Runs after OTPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.path.startswith(OPEN_PREFIXES)
                and not is_verified_enough(request)):
            name = "accounts:two_factor" if has_device(user) else "accounts:two_factor_setup"
            return redirect(f"{reverse(name)}?next={request.get_full_path()}")
        return self.get_response(request)
