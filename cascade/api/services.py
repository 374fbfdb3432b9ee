"""Making and revoking API tokens: each change checked against its actor and written to the audit log."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from cascade import access
from cascade.audit import services as audit

from .models import ApiToken, digest


def create_token(actor, user, *, scope: str = ApiToken.Scope.READ, days: int | None = 90,
                 name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its secret, shown once and never stored."""
    access.require("api.tokens", actor, user)
    if not access.has_role(user):
        raise PermissionDenied(_("%(user)s has no role: a token of hers could read nothing.") % {
            "user": user.get_username()})
    if days is not None and days < 1:
        raise ValueError(_("days: a token lasts at least one day."))
    secret, prefix = ApiToken.make_secret()
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=prefix, digest=digest(secret), scope=ApiToken.Scope(scope),
        expires_at=timezone.now() + datetime.timedelta(days=days) if days else None)
    audit.log("cascade.api_token.created", actor, token, owner=user.get_username(), scope=token.scope,
              expires=token.expires_at.isoformat() if token.expires_at else None)
    return token, secret


def revoke_token(actor, token: ApiToken) -> None:
    access.require("api.tokens", actor, token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.log("cascade.api_token.revoked", actor, token, owner=token.user.get_username())
