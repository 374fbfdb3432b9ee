"""``Authorization: Bearer cas_…``: a token acts as its user; the two-step sign-in was passed when it was made."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions, throttling

from cascade import access

from .models import PREFIX, ApiToken, digest

#: last_used_at is written at most this often per token (a busy script would write on every call)
LAST_USED_EVERY = 60


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2 or not header[1].startswith(PREFIX):
            raise exceptions.AuthenticationFailed(_("The Authorization header is “Bearer” and one token."))
        token = ApiToken.objects.select_related("user").filter(digest=digest(header[1])).first()
        now = timezone.now()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not known."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        if not token.is_usable(now):
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class HasRole(permissions.BasePermission):
    """A signed-in user or a token's user with a role; read-only tokens only read."""

    message = _("Your account has no role in the network: ask the network admin for one.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if not access.has_role(request.user):
            return False
        if isinstance(request.auth, ApiToken) and request.auth.figures_only \
                and not getattr(view, "figures_view", False):
            self.message = _("This token reads only the figures.")
            return False
        if request.method not in permissions.SAFE_METHODS and isinstance(request.auth, ApiToken) \
                and request.auth.read_only:
            self.message = _("This token may only read: make a read-write token to send changes.")
            return False
        return True


class PerTokenThrottle(throttling.SimpleRateThrottle):
    """A rate limit per token (per user for a signed-in browser), counted in the shared cache."""

    scope = "api"

    def get_rate(self):
        from django.conf import settings

        return getattr(settings, "CASCADE_API_RATE", "1000/hour")

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
