"""``safe_next(request, default)``: where to go after a form, never to another site.

Every redirect to an address the browser sent (``?next=``, a hidden ``next`` field)
goes through here, so a link crafted elsewhere cannot send a signed-in user on to
a look-alike page (an open redirect).
"""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str = "/") -> str:
    """The ``next`` of the POST or the query string if it stays on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
