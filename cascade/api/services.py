"""Making and revoking API tokens: each change checked against its actor and written to the audit log."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from cascade import access
from cascade.audit import services as audit

from .models import ApiToken, digest


def can_manage(actor, user) -> bool:
    """Her own tokens (a user with a role), every token for the network admin and the operator."""
    if access.is_operator(actor) or access.is_network_admin(actor):
        return True
    return actor is not None and actor.pk == user.pk and access.has_role(actor)


def create_token(actor, user, *, scope: str = ApiToken.Scope.READ, days: int | None = 90,
                 name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its secret, shown once and never stored."""
    if not can_manage(actor, user):
        raise PermissionDenied(_("You may only make tokens for yourself."))
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
    if not can_manage(actor, token.user):
        raise PermissionDenied(_("You may only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.log("cascade.api_token.revoked", actor, token, owner=token.user.get_username())


def visible_tokens(user):
    """The tokens a user may list: her own; every token for the network admin."""
    if access.is_network_admin(user):
        return ApiToken.objects.select_related("user")
    if not access.has_role(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).select_related("user")
