"""A signed-in user without a role sees nothing but a page that says so.

Decided here, for every page at once (closed by default): a new page cannot forget
it. She may still sign out, switch language, and open what the public may open
(a call's form, the confirmation of a place, the certificate check).
"""

from django.shortcuts import render

from .rules import has_role

# Paths open to a signed-in user without a role: sign-in and sign-out, assets, the
# language switcher, the health check, and the public pages that anyone without an account may open.
OPEN_PREFIXES = ("/accounts/", "/static/", "/jsi18n/", "/language/", "/help/", "/calls/apply/",
                 "/calls/confirm/", "/calls/verify/", "/stories/indicators/", "/healthz")


class NoRoleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not has_role(user)
                and not request.path.startswith(OPEN_PREFIXES)):
            return render(request, "access/no_role.html", status=403)
        return self.get_response(request)
