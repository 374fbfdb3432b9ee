"""Who is on the other end of a request: one answer for every rate limit and lockout."""

from django.conf import settings


def client_address(request) -> str:
    """The client's address.

    Behind our reverse proxy (CASCADE_BEHIND_PROXY), REMOTE_ADDR is the proxy's; the
    proxy appends the address it saw to X-Forwarded-For, so the last entry is the one a
    client cannot forge. The public form's rate limit and django-axes' sign-in lockout
    (AXES_CLIENT_IP_CALLABLE) both count per this address.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "BEHIND_PROXY", False) and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
