"""API tokens: stored as a SHA-256 digest of a random secret; only its prefix is kept readable.

A token acts as its user, with her role and partner (cascade.access decides what it sees);
Its scope: ``figures`` reads only the figures, always with small counts suppressed (a token to hand
to an M&E tool or a partner's dashboard); ``read`` reads whatever its user may; ``read-write`` may also
report step-downs and import. The secret is printed once, when it is made.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "cas_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    class Scope(models.TextChoices):
        FIGURES = "figures", _("figures only, small counts suppressed")
        READ = "read", _("read")
        WRITE = "read-write", _("read and write")

    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.get_username()})"

    @property
    def read_only(self) -> bool:
        return self.scope != self.Scope.WRITE

    @property
    def figures_only(self) -> bool:
        return self.scope == self.Scope.FIGURES

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @classmethod
    def make_secret(cls) -> tuple[str, str]:
        """A new token and its shown prefix (``cas_`` and 8 characters)."""
        prefix = PREFIX + secrets.token_hex(4)
        return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


class IdempotentRequest(models.Model):
    """The answer to a POST sent with an ``Idempotency-Key``: the same key again gets the same answer."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    path = models.CharField(max_length=200)
    body = models.CharField(max_length=64)  # SHA-256 of the request: the same key with another report is refused
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key", "path"], name="api_idempotency_once")]
