"""Who a signed-in user is in the network: the role that ``cascade.access`` reads."""

from django.conf import settings
from django.db import models
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
