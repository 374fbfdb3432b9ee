from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "cascade.audit"
    default = True  # this module also names third-party apps (below)
    verbose_name = _("Audit log")

    def ready(self):
        from auditlog.registry import auditlog
        from django.apps import apps

        # Change history of personal data (django-auditlog). Contact details are left out of
        # the diffs: the history table is not encrypted and must not hold them in plain text.
        contacts = ["email", "phone", "email_hash"]
        auditlog.register(apps.get_model("network", "Person"), exclude_fields=contacts)
        for label in ("network.Organization", "network.Membership", "trainings.Training",
                      "trainings.Participation", "photos.Photo", "accounts.Role"):
            auditlog.register(apps.get_model(label))


from auditlog.apps import AuditlogConfig as _AuditlogConfig  # noqa: E402


class ChangeHistoryConfig(_AuditlogConfig):
    """django-auditlog's field-by-field history, named apart from the audit log above (both were
    "Audit log" in the admin's index)."""

    verbose_name = _("Change history")
