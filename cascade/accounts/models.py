"""Who a signed-in user is in the network: the role that ``cascade.access`` reads, and the
invitations that give a colleague her account and role."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.Model):
    """One role per user. A superuser without a role counts as a network admin."""

    class Kind(models.TextChoices):
        NETWORK_ADMIN = "network-admin", _("network admin")
        PARTNER_STAFF = "partner-staff", _("partner staff")
        TRAINER = "trainer", _("trainer")
        DONOR = "donor", _("donor viewer")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="cascade_role",
    )
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    organization = models.ForeignKey(
        "network.Organization", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="staff_roles",
        help_text=_("For partner staff: the organisation whose trainings they manage."),
    )
    person = models.ForeignKey(
        "network.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="user_roles",
        help_text=_("For trainers: her own record in the network."),
    )
    can_manage_users = models.BooleanField(
        _("manages her partner's users"), default=False,
        help_text=_("For partner staff: she invites colleagues and trainers of her organisation and changes "
                    "their roles (a partner admin)."),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="partner-staff") | models.Q(organization__isnull=False),
                name="role_partner_staff_has_organization",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["network-admin", "partner-staff", "trainer", "donor"]),
                name="role_kind_known",
            ),
        ]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The role decides who may open the admin and staff tools; Django's flag follows it.
        is_staff = self.kind in (self.Kind.NETWORK_ADMIN, self.Kind.PARTNER_STAFF)
        if self.user.is_staff != is_staff:
            type(self.user).objects.filter(pk=self.user_id).update(is_staff=is_staff)
            self.user.is_staff = is_staff

    def __str__(self) -> str:
        where = self.organization or self.person
        return f"{self.user}: {self.get_kind_display()}" + (f" ({where})" if where else "")


class Invitation(models.Model):
    """A colleague invited by e-mail to take a role; she opens the link once to set up her account.

    The link's token is never stored, only its SHA-256 digest: a copy of the database opens no
    account. A new link (resend) replaces the digest, so the old link stops working.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("revoked")

    #: How long a link stays open.
    DAYS = 14

    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language of the e-mail"), max_length=10, default="en")
    kind = models.CharField(_("role"), max_length=20, choices=Role.Kind.choices)
    organization = models.ForeignKey(
        "network.Organization", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey(
        "network.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="invitations")
    can_manage_users = models.BooleanField(_("manages her partner's users"), default=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="invitations_sent")
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    sent_at = models.DateTimeField(_("link sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("link expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="invitation")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="partner-staff") | models.Q(organization__isnull=False),
                name="invitation_partner_staff_has_organization",
            ),
        ]

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def new_token(self) -> str:
        """A fresh link (the earlier one stops working); returns the token, which is never stored."""
        token = secrets.token_urlsafe(32)
        self.token_digest = self.digest(token)
        self.sent_at = timezone.now()
        self.expires_at = self.sent_at + datetime.timedelta(days=self.DAYS)
        return token

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def open(self) -> bool:
        """Its link may still be used."""
        return self.state == self.State.PENDING and not self.expired

    def status(self) -> str:
        """What the list shows: waiting, expired, accepted or revoked."""
        if self.state == self.State.PENDING and self.expired:
            return str(_("expired"))
        return self.get_state_display()

    def __str__(self) -> str:
        return f"invitation {self.pk}: {self.get_kind_display()}"
