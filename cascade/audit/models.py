"""Who viewed, exported, changed or erased personal data.

Model field changes are recorded by django-auditlog (``auditlog.LogEntry``); this
table holds the events a model signal cannot see: views, exports, erasures, sign-ins.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    action = models.CharField(
        _("action"), max_length=100, db_index=True,
        help_text=_("A namespaced code such as cascade.person.viewed."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Kept as text: the user may be deleted, the entry must stay readable.
    username = models.CharField(_("username"), max_length=150, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=100, blank=True)
    # Never a name or contact: erasure must not leave the person behind in the log.
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'} {self.action} {self.object_label}"
